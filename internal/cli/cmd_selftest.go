package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/mppwallet/mppwallet/ui/render"
)

func selftestCmd() *command {
	return &command{
		name:      "selftest",
		summary:   "render a QR code and a barcode, rasterise them like terminals do, and check a decoder reads them",
		use:       "[CODE] [flags]",
		takesArgs: true,
		examples: []string{
			"mppwallet selftest",
			"mppwallet selftest 259999021234567890123456 --json",
			"mppwallet selftest --show",
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			asJSON := fs.Bool("json", false, "print the checks as a JSON array")
			show := fs.Bool("show", false, "draw the QR code here in each style, ask whether your scanner read it, and remember the one that did for the app (with --data)")
			data := dataFlag(fs, env)
			return func(ctx context.Context, args []string) error {
				code := "259999021234567890123456"
				switch len(args) {
				case 0:
				case 1:
					code = args[0]
				default:
					return usagef("selftest", "want at most one code")
				}
				for _, r := range code {
					if r < '0' || r > '9' {
						return usagef("selftest", "code %q: a payment code is digits only", code)
					}
				}
				if *show {
					if *asJSON {
						return usagef("selftest", "--show asks questions: it does not take --json")
					}
					return selftestShow(env, *data, code)
				}
				checks := render.SelfTest(code)
				table, pass := render.Report(checks)
				if *asJSON {
					if err := json.NewEncoder(env.stdout).Encode(checks); err != nil {
						return err
					}
				} else {
					fmt.Fprint(env.stdout, table)
				}
				if !pass {
					return errSilentFailure
				}
				return nil
			}
		},
	}
}
