package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/pflag"

	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/ui/pos"
)

func posCmd() *command {
	return &command{
		name:    "pos",
		summary: "a till for a USB barcode scanner: charge each scanned payment code through the simulator's acquiring gateway",
		use:     "[--amount AMOUNT] [flags]",
		examples: []string{
			"mppwallet pos --amount 12.50",
			"mppwallet pos --amount 1500 --currency JPY --merchant 'Ramen Ichi' --prefix ']Q1' --suffix '#'",
			"# headless: one code a line (or a tab) on stdin, one JSON object a sale; exit 1 if any failed",
			"mppwallet codes --user alice --json | jq -r .paymentCode | mppwallet pos --amount 12.50 --json",
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			o := posOptions{sf: addSimFlags(fs, env)}
			o.amount = fs.String("amount", "", "the sale `AMOUNT` as a decimal (\"12.50\", in --currency) or with its currency (\"1500 JPY\"); "+
				"required without a terminal, else set in the till (ctrl+a)")
			o.currency = fs.String("currency", "USD", "ISO 4217 currency of an amount given without one")
			o.mf = addMerchantFlags(fs)
			o.asJSON = fs.Bool("json", false, "without a terminal: print one JSON object a sale instead of a line")
			o.prefix = fs.String("prefix", "", "`TEXT` the scanner sends before each code, stripped")
			o.suffix = fs.String("suffix", "", "`TEXT` the scanner sends after each code (before its enter or tab), stripped")
			o.clientID = fs.String("client-id", posDefaultClientID, "the merchant Client-`ID` the till signs as (registered with the simulator at start)")
			o.timeout = fs.Duration("timeout", posDefaultDeadline, "how long a sale may wait for its final result (the customer confirming) before the till voids it")
			return func(ctx context.Context, _ []string) error { return runPos(ctx, env, o) }
		},
	}
}

// posOptions are pos's flags.
type posOptions struct {
	sf                                         simFlags
	mf                                         merchantFlags
	amount, currency, prefix, suffix, clientID *string
	asJSON                                     *bool
	timeout                                    *time.Duration
}

// posRun is what the flags say, checked.
type posRun struct {
	amount  money.Money
	scanner pos.Scanner
	till    *antomTill
	asJSON  bool
}

// runPos checks the flags, sets the till up and runs it: the Bubble Tea
// till in a terminal, else the headless one over stdin.
func runPos(ctx context.Context, env *cliEnv, o posOptions) error {
	interactive := isTerminalReader(env.stdin) && isTerminal(env.stdout)
	r := posRun{scanner: pos.Scanner{Prefix: *o.prefix, Suffix: *o.suffix}, asJSON: *o.asJSON}
	*o.currency = strings.ToUpper(*o.currency)
	if _, ok := money.Exponent(*o.currency); !ok {
		return usagef("pos", "--currency %q is not an ISO 4217 code", *o.currency)
	}
	switch {
	case *o.amount != "":
		a, err := pos.ParseAmount(*o.amount, *o.currency)
		if err != nil {
			return usagef("pos", "--amount %q: %v", *o.amount, err)
		}
		r.amount = a
	case !interactive:
		return usagef("pos", "--amount is required when stdin or stdout is not a terminal")
	}
	if err := simulator.CheckClientID(*o.clientID); err != nil {
		return usagef("pos", "--client-id: %v", err)
	}
	if *o.timeout <= 0 || *o.timeout > time.Hour {
		return usagef("pos", "--timeout %s: want more than 0 and at most 1h", *o.timeout)
	}
	if strings.ContainsAny(*o.prefix+*o.suffix, "\r\n\t") {
		return usagef("pos", "--prefix and --suffix cannot hold enter or tab: those end a scan")
	}
	admin, err := o.sf.client()
	if err != nil {
		return err
	}
	d, err := openDataDir(*o.sf.data)
	if err != nil {
		return err
	}
	c, err := posConnect(ctx, d, admin, *o.clientID, env.stderr)
	if err != nil {
		return err
	}
	m := o.mf.merchant()
	r.till = newAntomTill(c, m, *o.timeout)
	if !interactive {
		// On stderr, so that stdout stays one line (or JSON object) a sale.
		fmt.Fprintf(env.stderr, "mppwallet pos: charging %s through %s as merchant client %s (data %s); one code a line on stdin\n",
			r.amount, admin.URL(), *o.clientID, d.root)
		return runPosHeadless(ctx, env, r)
	}
	model := pos.New(pos.Config{Till: r.till, Context: ctx, Amount: r.amount, Currency: *o.currency, Scanner: r.scanner,
		Shop: r.till.shop() + " · " + *o.clientID})
	p := tea.NewProgram(model, tea.WithContext(ctx), tea.WithInput(env.stdin), tea.WithOutput(env.stdout))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) && ctx.Err() == nil {
		return err
	}
	return nil
}

// isTerminalReader reports whether r is a terminal (a keyboard, or a
// scanner typing into one).
func isTerminalReader(r any) bool {
	f, ok := r.(*os.File)
	return ok && isTerminal(f)
}
