package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/mppwallet/mppwallet/wallet"
)

func reconcileCmd() *command {
	return &command{
		name:    "reconcile",
		summary: "compare the simulator's view of each payment with the wallet's ledger; exit 1 when they differ",
		use:     "[flags]",
		examples: []string{
			"mppwallet reconcile",
			"mppwallet reconcile --json | jq '.differences'",
			"mppwallet reconcile --sim http://127.0.0.1:7576 --data /tmp/w1",
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			sf := addSimFlags(fs, env)
			asJSON := fs.Bool("json", false, "print the report as one JSON object")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("reconcile", "unexpected argument %q", args[0])
				}
				return runReconcile(ctx, env, sf, *asJSON)
			}
		},
	}
}

// runReconcile reads both sides, prints the differences and fails when
// there are any.
func runReconcile(ctx context.Context, env *cliEnv, sf simFlags, asJSON bool) error {
	c, err := sf.client()
	if err != nil {
		return err
	}
	_, st, _, err := openWallet(*sf.data)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	network, err := c.Payments(ctx)
	if err != nil {
		return err
	}
	ledger, err := st.Payments(ctx, wallet.PaymentFilter{})
	if err != nil {
		return fmt.Errorf("cannot read the ledger: %w", err)
	}
	rep := reconcile(network, ledger)
	if asJSON {
		if err := json.NewEncoder(env.stdout).Encode(rep); err != nil {
			return err
		}
	} else {
		printReconcile(env, rep)
	}
	if len(rep.Differences) > 0 {
		return errSilentFailure
	}
	return nil
}

func printReconcile(env *cliEnv, rep reconcileReport) {
	for _, d := range rep.Differences {
		fmt.Fprintf(env.stdout, "DIFFERS  %s  network %s, wallet %s: %s\n", d.PaymentRequestID, orNone(d.Network), orNone(d.Wallet), d.What)
		if d.Cause != "" {
			fmt.Fprintf(env.stdout, "         cause: %s\n", d.Cause)
		}
	}
	verdict := "the simulator and the wallet agree"
	if n := len(rep.Differences); n > 0 {
		verdict = fmt.Sprintf("%d payment(s) differ", n)
	}
	fmt.Fprintf(env.stdout, "%d payment(s) compared, %d still in flight: %s\n", rep.Checked, rep.InFlight, verdict)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
