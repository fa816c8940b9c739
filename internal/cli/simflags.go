package cli

import (
	"fmt"
	"strings"

	"github.com/mppwallet/mppwallet/alipayplus/simulator/simclient"
	"github.com/spf13/pflag"
)

// simFlags locate a running simulator: --sim URL, $MPPWALLET_SIM, or the
// one running on the data dir; and the admin token it takes:
// --sim-token-file FILE, $MPPWALLET_SIM_TOKEN, or the data dir's.
type simFlags struct {
	data, url *string
	// tokenFile is --sim-token-file (nil: not a flag of this command).
	tokenFile *string
	// envToken is $MPPWALLET_SIM_TOKEN.
	envToken string
}

func addSimFlags(fs *pflag.FlagSet, env *cliEnv) simFlags {
	return simFlags{
		data: dataFlag(fs, env),
		url:  fs.String("sim", env.getenv("MPPWALLET_SIM"), "simulator base `URL` (env MPPWALLET_SIM; default: the 'mppwallet sim' running on the data dir)"),
		tokenFile: fs.String("sim-token-file", "", "the simulator's admin token `FILE` (env MPPWALLET_SIM_TOKEN gives the token; "+
			"default: the data dir's keys/sim/admin.token, sent only to the data dir's simulator)"),
		envToken: env.getenv("MPPWALLET_SIM_TOKEN"),
	}
}

// client is the admin API client of the simulator the flags locate, with
// its token.
func (f simFlags) client() (*simclient.Client, error) {
	url, err := f.resolve()
	if err != nil {
		return nil, err
	}
	tok, err := f.token(url)
	if err != nil {
		return nil, err
	}
	return simclient.New(url, simclient.WithToken(tok)), nil
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

// token is the admin token for the simulator at url: --sim-token-file's,
// else $MPPWALLET_SIM_TOKEN, else the data dir's when url is the
// simulator running on the data dir (a simulator elsewhere is never sent
// it), else none (and the simulator answers 401 saying where its token is).
func (f simFlags) token(url string) (string, error) {
	if f.tokenFile != nil && *f.tokenFile != "" {
		tok, _, err := readTokenFile(*f.tokenFile)
		if err != nil {
			return "", fmt.Errorf("--sim-token-file: %w", err)
		}
		return tok, nil
	}
	if f.envToken != "" {
		tok, err := checkToken(f.envToken)
		if err != nil {
			return "", fmt.Errorf("MPPWALLET_SIM_TOKEN: %w", err)
		}
		return tok, nil
	}
	return dataDirToken(dataDir{root: *f.data}, url), nil
}

// dataDirToken is the data dir's admin token when url is the simulator
// running on the data dir, else "".
func dataDirToken(d dataDir, url string) string {
	if d.root == "" {
		return ""
	}
	s, ok := running(d, "sim")
	if !ok || !sameServer(s.URL, url) {
		return ""
	}
	// Unreadable, it is sent as none: the simulator says where it is.
	tok, _, _ := readTokenFile(d.simAdminTokenPath())
	return tok
}
