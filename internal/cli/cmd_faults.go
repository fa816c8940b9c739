package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/mppwallet/mppwallet/alipayplus/simulator"
)

func faultsCmd() *command {
	return &command{name: "faults", summary: "inject faults into a running simulator (iMock-style, auto-expiring)",
		subs: []*command{faultsAddCmd(), faultsListCmd(), faultsClearCmd(), faultsMagicCmd()}}
}

func faultsAddCmd() *command {
	return &command{
		name:      "add",
		summary:   "add a fault rule",
		takesArgs: true,
		use:       "SPEC [flags]",
		examples: []string{
			"mppwallet faults add 'getPaymentCode:result=U/UNKNOWN_EXCEPTION,count=2'",
			"mppwallet faults add 'pay:drop,count=1'",
			"mppwallet faults add 'notifyPayment:delay=2s-6s,ttl=10m'",
			"mppwallet faults add '*:badsig,count=1'",
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			sf := addSimFlags(fs, env)
			asJSON := fs.Bool("json", false, "print the stored rule as JSON")
			return func(ctx context.Context, args []string) error {
				if len(args) != 1 {
					return usagef("faults add", "want exactly one rule, like 'pay:drop,count=1'")
				}
				if _, err := simulator.ParseRule(args[0]); err != nil {
					return usagef("faults add", "%v", err)
				}
				sim, err := sf.client()
				if err != nil {
					return err
				}
				r, err := sim.AddFault(ctx, args[0], "")
				if err != nil {
					return err
				}
				if *asJSON {
					return json.NewEncoder(env.stdout).Encode(r)
				}
				fmt.Fprintf(env.stdout, "rule %d: %s (until %s)\n", r.ID, r.String(), r.Until.Local().Format(time.TimeOnly))
				return nil
			}
		},
	}
}

func faultsListCmd() *command {
	return &command{
		name:     "list",
		summary:  "list the active fault rules",
		use:      "[flags]",
		examples: []string{"mppwallet faults list"},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			sf := addSimFlags(fs, env)
			asJSON := fs.Bool("json", false, "print a JSON array")
			return func(ctx context.Context, args []string) error {
				sim, err := sf.client()
				if err != nil {
					return err
				}
				rules, err := sim.Faults(ctx)
				if err != nil {
					return err
				}
				if *asJSON {
					return json.NewEncoder(env.stdout).Encode(rules)
				}
				if len(rules) == 0 {
					fmt.Fprintln(env.stdout, "no active fault rules")
				}
				for _, r := range rules {
					fmt.Fprintf(env.stdout, "%3d  %-50s used %d, until %s (%s)\n", r.ID, r.String(), r.Used, r.Until.Local().Format(time.TimeOnly), r.Source)
				}
				return nil
			}
		},
	}
}

func faultsClearCmd() *command {
	return &command{
		name:     "clear",
		summary:  "remove one fault rule (--id) or all of them",
		use:      "[--id N] [flags]",
		examples: []string{"mppwallet faults clear", "mppwallet faults clear --id 3"},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			sf := addSimFlags(fs, env)
			id := fs.Int("id", 0, "only this rule")
			return func(ctx context.Context, args []string) error {
				if fs.Changed("id") && *id <= 0 {
					return usagef("faults clear", "--id %d: want a rule id from 'mppwallet faults list'", *id)
				}
				sim, err := sf.client()
				if err != nil {
					return err
				}
				if *id > 0 {
					err = sim.RemoveFault(ctx, *id)
				} else {
					err = sim.ClearFaults(ctx)
				}
				if err != nil {
					return err
				}
				fmt.Fprintln(env.stdout, "cleared")
				return nil
			}
		},
	}
}

func faultsMagicCmd() *command {
	return &command{
		name:     "magic",
		summary:  "show the magic-amount table (works offline)",
		use:      "[flags]",
		examples: []string{"mppwallet faults magic"},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			asJSON := fs.Bool("json", false, "print a JSON array")
			return func(ctx context.Context, args []string) error {
				if *asJSON {
					return json.NewEncoder(env.stdout).Encode(simulator.MagicTable())
				}
				fmt.Fprintln(env.stdout, strings.TrimSpace(simulator.MagicMarkdown()))
				return nil
			}
		},
	}
}
