package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/mppwallet/mppwallet/alipayplus"
)

func statusCmd() *command {
	return &command{
		name:     "status",
		summary:  "show a data dir: client id, keys, the running server, users",
		use:      "[flags]",
		examples: []string{"mppwallet status", "mppwallet status --data /tmp/w1 --json"},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			data := dataFlag(fs, env)
			asJSON := fs.Bool("json", false, "print JSON")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("status", "unexpected argument %q", args[0])
				}
				d, st, _, err := openWallet(*data)
				if err != nil {
					return err
				}
				defer st.Close()
				cfg, err := d.loadConfig()
				if err != nil {
					return err
				}
				users, err := st.Users(ctx)
				if err != nil {
					return err
				}
				s := statusJSON{DataDir: d.root, ClientID: cfg.ClientID, Gateway: cfg.Gateway, Users: len(users),
					MPPPublicKey: keyInfo(d.mppPublicPath()), AlipayPublicKey: keyInfo(d.alipayPublicPath())}
				rules := ruleCache(d, nil)
				s.CodeRules = rules.Current().Source()
				s.CodeRulesWarnings = rules.Warnings()
				if srv, ok := running(d, "serve"); ok {
					s.Server = &srv
				}
				if sim, ok := running(d, "sim"); ok {
					s.Simulator = &sim
				}
				if app, err := appOnScreen(d); err == nil {
					o := onScreenAt(app, time.Now())
					s.App = &o
				}
				if *asJSON {
					return json.NewEncoder(env.stdout).Encode(s)
				}
				fmt.Fprintf(env.stdout, "data dir       %s\nclient id      %s\n", s.DataDir, s.ClientID)
				gw := s.Gateway
				if gw == "" {
					gw = "none"
				}
				fmt.Fprintf(env.stdout, "gateway        %s\n", gw)
				fmt.Fprintf(env.stdout, "wallet key     %s\nAlipay+ key    %s\n", s.MPPPublicKey, s.AlipayPublicKey)
				if s.Server != nil {
					fmt.Fprintf(env.stdout, "server         %s (pid %d)\n", s.Server.URL, s.Server.PID)
				} else {
					fmt.Fprintln(env.stdout, "server         not running")
				}
				if s.Simulator != nil {
					fmt.Fprintf(env.stdout, "simulator      %s (pid %d)\n", s.Simulator.URL, s.Simulator.PID)
				} else {
					fmt.Fprintln(env.stdout, "simulator      not running")
				}
				if s.App != nil {
					fmt.Fprintf(env.stdout, "code on screen %s\n", s.App.describe())
				}
				fmt.Fprintf(env.stdout, "users          %d\n", s.Users)
				fmt.Fprintf(env.stdout, "code rules     %s\n", s.CodeRules)
				for _, w := range s.CodeRulesWarnings {
					fmt.Fprintf(env.stdout, "               warning: %s\n", w)
				}
				return nil
			}
		},
	}
}

type statusJSON struct {
	DataDir         string      `json:"dataDir"`
	ClientID        string      `json:"clientId"`
	Gateway         string      `json:"gateway,omitempty"`
	MPPPublicKey    string      `json:"mppPublicKey"`
	AlipayPublicKey string      `json:"alipayplusPublicKey"`
	Server          *serveState `json:"server,omitempty"`
	Simulator       *serveState `json:"simulator,omitempty"`
	// App is what the app running on the data dir shows (run/ui.json).
	App   *onScreenJSON `json:"app,omitempty"`
	Users int           `json:"users"`
	// CodeRules says which code rules scan and identify use.
	CodeRules         string   `json:"codeRules"`
	CodeRulesWarnings []string `json:"codeRulesWarnings,omitempty"`
}

// keyInfo describes a public key file by path and a short fingerprint.
func keyInfo(path string) string {
	k, err := alipayplus.LoadPublicKeyFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "none yet (made on the first serve)"
	} else if err != nil {
		return "unreadable: " + cleanErr(err).Error()
	}
	sum := sha256.Sum256([]byte(alipayplus.PublicKeyBase64(k)))
	return fmt.Sprintf("%s (sha256 %s)", path, hex.EncodeToString(sum[:6]))
}

// running reads run/NAME.json and reports whether its server is up: the
// process is alive and accepts connections at the address it published. A
// run file left by a crash may name a pid that some other process has since
// taken (after a reboot, say); only a server that answers counts.
func running(d dataDir, name string) (serveState, bool) {
	var s serveState
	b, err := os.ReadFile(d.runPath(name))
	if err != nil || json.Unmarshal(b, &s) != nil || !pidAlive(s.PID) {
		return s, false
	}
	u, err := url.Parse(s.URL)
	if err != nil || u.Host == "" {
		return s, false
	}
	conn, err := net.DialTimeout("tcp", u.Host, time.Second)
	if err != nil {
		return s, false
	}
	conn.Close()
	return s, true
}
