package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/mppwallet/mppwallet/alipayplus/coderules"
)

func identifyCmd() *command {
	return &command{
		name:      "identify",
		summary:   "decide with the Alipay+ code rules whether a merchant code is Alipay+'s (exit 0 yes, 1 no, 2 error)",
		use:       "CODE [flags]",
		takesArgs: true,
		examples: []string{
			"mppwallet identify https://aps.testacquirer.com/order/123",
			"mppwallet identify --json 'https://qr.alipay.com/bax01234'",
			"mppwallet identify --rules rules.json \"$(cat scanned.txt)\"",
			"mppwallet identify --refresh 'https://qr.mppwallet.test/2819990400011234567890123456'",
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			data := dataFlag(fs, env)
			rulesFile := fs.String("rules", "", "an inquiryCodeRules response body `FILE` (default: the data dir's cached rules, else the embedded sandbox set)")
			refresh := fs.Bool("refresh", false, "ask Alipay+ for the rules now, even when the cache is less than a day old")
			gateway := fs.String("gateway", env.getenv("MPPWALLET_GATEWAY"), "Alipay+ base `URL` to fetch the rules from (env MPPWALLET_GATEWAY; default: the data dir's, or the simulator running on it)")
			asJSON := fs.Bool("json", false, "print the decision as JSON")
			return func(ctx context.Context, args []string) error {
				if len(args) != 1 {
					return usagef("identify", "want exactly one code (quote it)")
				}
				if *rulesFile != "" && *refresh {
					return usagef("identify", "--rules and --refresh exclude each other")
				}
				if err := checkURL("identify", "gateway", *gateway); err != nil {
					return err
				}
				set, err := identifyRules(ctx, env, *rulesFile, *data, *gateway, *refresh)
				if err != nil {
					return err
				}
				for _, w := range set.Warnings {
					fmt.Fprintln(env.stderr, "warning:", w)
				}
				d := set.Identify(args[0])
				if *asJSON {
					out := map[string]any{"supported": d.Supported, "action": d.Action, "matchMethod": d.Method,
						"prefix": d.Prefix, "priority": d.Priority, "url": d.URL, "userAgent": d.UserAgent, "reason": d.Reason,
						"rulesVersion": set.Version, "rules": set.Source()}
					if err := json.NewEncoder(env.stdout).Encode(out); err != nil {
						return err
					}
				} else if d.Supported {
					fmt.Fprintf(env.stdout, "supported  %s\nrule       %s", d.Action, d.Method)
					if d.Prefix != "" {
						fmt.Fprintf(env.stdout, " %q", d.Prefix)
					}
					fmt.Fprintf(env.stdout, ", priority %d\nrules      %s\n", d.Priority, set.Source())
					if d.URL != "" {
						fmt.Fprintf(env.stdout, "open       %s\nuser agent %s\n", d.URL, d.UserAgent)
					}
				} else {
					fmt.Fprintf(env.stdout, "not supported: %s\nrules      %s\n", d.Reason, set.Source())
				}
				if !d.Supported {
					return errSilentFailure
				}
				return nil
			}
		},
	}
}

// identifyRules picks identify's rules: the file named, else the data dir's
// cache (else the embedded set), refreshed from a gateway already known
// (flag, config, a simulator running on the data dir) when asked to or when
// the cache is missing or a day old. Without a gateway it stays offline.
func identifyRules(ctx context.Context, env *cliEnv, file, data, gateway string, refresh bool) (*coderules.Set, error) {
	if file != "" {
		raw, err := os.ReadFile(file)
		if err != nil {
			return nil, &exitError{2, fmt.Errorf("cannot read the rules: %w", unwrapPathError(err))}
		}
		set, err := coderules.Parse(raw)
		if err != nil {
			return nil, &exitError{2, fmt.Errorf("the rules file is not an inquiryCodeRules response: %v", err)}
		}
		set.Origin, set.Name = coderules.FromFile, file
		return set, nil
	}
	d := dataDir{root: data} // read only: identify creates no data dir
	cache := ruleCache(d, nil)
	age, cached := cache.Age()
	stale := !cached || age >= 24*time.Hour
	gw := knownGateway(d, gateway)
	if gw == "" || !(refresh || stale) {
		if refresh {
			return nil, &exitError{2, errors.New("no Alipay+ gateway to ask: pass --gateway URL, or start 'mppwallet sim' on this data dir")}
		}
		for _, w := range cache.Warnings() {
			fmt.Fprintln(env.stderr, "warning:", w)
		}
		return cache.Current(), nil
	}
	client, done, err := walletClient(env, data, gw)
	if err != nil {
		return nil, &exitError{2, err}
	}
	defer done()
	rctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	return refreshRules(rctx, env.stderr, ruleCache(d, rulesFrom(client))), nil
}
