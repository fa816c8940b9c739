package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/coderules"
	"github.com/mppwallet/mppwallet/assets"
)

func identifyCmd() *command {
	return &command{
		name:      "identify",
		summary:   "decide with the Alipay+ code rules whether a merchant code is Alipay+'s (exit 0 yes, 1 no, 2 error)",
		usage:     "identify [--rules FILE] CODE [--json]",
		takesArgs: true,
		examples: []string{
			"mppwallet identify https://aps.testacquirer.com/order/123",
			"mppwallet identify --json 'https://qr.alipay.com/bax01234'",
			"mppwallet identify --rules rules.json \"$(cat scanned.txt)\"",
		},
		setup: func(fs *flag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			rulesFile := fs.String("rules", "", "an inquiryCodeRules response body `FILE` (default: the embedded sandbox rules)")
			asJSON := fs.Bool("json", false, "print the decision as JSON")
			return func(ctx context.Context, args []string) error {
				if len(args) != 1 {
					return usagef("identify", "want exactly one code (quote it)")
				}
				raw := assets.SandboxCodeRules
				if *rulesFile != "" {
					b, err := os.ReadFile(*rulesFile)
					if err != nil {
						return &exitError{2, fmt.Errorf("cannot read the rules: %w", unwrapPathError(err))}
					}
					raw = b
				}
				var resp alipayplus.InquiryCodeRulesResponse
				if _, err := alipayplus.Decode(raw, &resp); err != nil {
					return &exitError{2, fmt.Errorf("the rules file is not an inquiryCodeRules response: %v", err)}
				}
				m, warnings := coderules.New(resp.CodeRules)
				for _, w := range warnings {
					fmt.Fprintln(env.stderr, "warning:", w)
				}
				d := m.Identify(args[0])
				if *asJSON {
					out := map[string]any{"supported": d.Supported, "action": d.Action, "matchMethod": d.Method,
						"prefix": d.Prefix, "priority": d.Priority, "url": d.URL, "userAgent": d.UserAgent, "reason": d.Reason,
						"rulesVersion": resp.Version}
					if err := json.NewEncoder(env.stdout).Encode(out); err != nil {
						return err
					}
				} else if d.Supported {
					fmt.Fprintf(env.stdout, "supported  %s\nrule       %s", d.Action, d.Method)
					if d.Prefix != "" {
						fmt.Fprintf(env.stdout, " %q", d.Prefix)
					}
					fmt.Fprintf(env.stdout, ", priority %d (rules %s)\n", d.Priority, resp.Version)
					if d.URL != "" {
						fmt.Fprintf(env.stdout, "open       %s\nuser agent %s\n", d.URL, d.UserAgent)
					}
				} else {
					fmt.Fprintf(env.stdout, "not supported: %s\n", d.Reason)
				}
				if !d.Supported {
					return errSilentFailure
				}
				return nil
			}
		},
	}
}
