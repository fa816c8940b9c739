package cli

import (
	"fmt"
	"strings"

	"github.com/mppwallet/mppwallet/alipayplus/simulator/simclient"
	"github.com/spf13/pflag"
)

// simFlags locate a running simulator: --sim URL, $MPPWALLET_SIM, or the
// one running on the data dir.
type simFlags struct {
	data, url *string
}

func addSimFlags(fs *pflag.FlagSet, env *cliEnv) simFlags {
	return simFlags{
		data: dataFlag(fs, env),
		url:  fs.String("sim", env.getenv("MPPWALLET_SIM"), "simulator base `URL` (env MPPWALLET_SIM; default: the 'mppwallet sim' running on the data dir)"),
	}
}

// client is the admin API client of the simulator the flags locate.
func (f simFlags) client() (*simclient.Client, error) {
	url, err := f.resolve()
	if err != nil {
		return nil, err
	}
	return simclient.New(url), nil
}

func (f simFlags) resolve() (string, error) {
	if *f.url != "" {
		return strings.TrimRight(*f.url, "/"), nil
	}
	d, err := openDataDir(*f.data)
	if err != nil {
		return "", err
	}
	if s, ok := running(d, "sim"); ok {
		return s.URL, nil
	}
	return "", fmt.Errorf("no simulator is running on %s: start 'mppwallet sim' there, or pass --sim URL", d.root)
}
