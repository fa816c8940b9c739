package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
	"github.com/mppwallet/mppwallet/wallet/sqlite"
)

func usersCmd() *command {
	return &command{name: "users", summary: "add, change and list wallet users",
		subs: []*command{usersAddCmd(), usersSetCmd(), usersListCmd()}}
}

// openWallet opens the data dir's ledger.
func openWallet(path string, opts ...wallet.Option) (dataDir, *sqlite.Store, *wallet.Service, error) {
	d, err := openDataDir(path)
	if err != nil {
		return d, nil, nil, err
	}
	st, err := sqlite.Open(d.dbPath())
	if err != nil {
		return d, nil, nil, fmt.Errorf("cannot open the ledger %s: %w", d.dbPath(), err)
	}
	return d, st, wallet.NewService(st, opts...), nil
}

// userFlags are the settings users add and users set share.
type userFlags struct {
	name, limits, override, status *string
	kyc                            *string
}

func addUserFlags(fs *pflag.FlagSet) userFlags {
	return userFlags{
		name:     fs.String("name", "", "display name"),
		limits:   fs.String("limits", "", "`LIMITS` as per-payment=AMOUNT,daily=AMOUNT,count=N (any subset; none or 0 = no limit)"),
		override: fs.String("override", "", "how payments behave: none, ask (hold for confirmation) or a decline code such as RISK_REJECT"),
		status:   fs.String("status", "", "ACTIVE or FROZEN"),
		kyc:      fs.String("kyc", "", "true or false: whether the user passed KYC"),
	}
}

// apply sets the flags that were given on u.
func (f userFlags) apply(cmd string, u *wallet.User) error {
	if *f.name != "" {
		u.Name = *f.name
	}
	if *f.limits != "" {
		l, err := parseLimits(*f.limits, u.Currency())
		if err != nil {
			return usagef(cmd, "--limits: %v", err)
		}
		u.Limits = l
	}
	if *f.override != "" {
		o, err := wallet.ParseOverride(*f.override)
		if err != nil {
			return usagef(cmd, "--override: %v", err)
		}
		u.Override = o
	}
	if *f.status != "" {
		s := wallet.UserStatus(strings.ToUpper(*f.status))
		if s != wallet.UserActive && s != wallet.UserFrozen {
			return usagef(cmd, "--status %q: want ACTIVE or FROZEN", *f.status)
		}
		u.Status = s
	}
	if *f.kyc != "" {
		b, err := strconv.ParseBool(*f.kyc)
		if err != nil {
			return usagef(cmd, "--kyc %q: want true or false", *f.kyc)
		}
		u.KYCVerified = b
	}
	return nil
}

// checkShape checks the flags that do not depend on the user's currency
// (all but --limits), as apply would.
func (f userFlags) checkShape(cmd string) error {
	none := ""
	f.limits = &none
	return f.apply(cmd, &wallet.User{})
}

// looksDecimal reports whether s is digits with an optional decimal point,
// the form of every amount whatever its currency.
func looksDecimal(s string) bool {
	isDigits := func(p string) bool { return p != "" && strings.Trim(p, "0123456789") == "" }
	whole, frac, dot := strings.Cut(s, ".")
	return isDigits(whole) && (!dot || isDigits(frac))
}

// parseLimits reads "per-payment=100.00,daily=500,count=10".
func parseLimits(s, currency string) (wallet.Limits, error) {
	var l wallet.Limits
	if strings.EqualFold(s, "none") {
		return l, nil
	}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return l, fmt.Errorf("%q: want key=value", part)
		}
		switch strings.ToLower(k) {
		case "per-payment", "single":
			m, err := money.Parse(v, currency)
			if err != nil {
				return l, err
			}
			l.PerPayment = m.Minor
		case "daily", "daily-amount":
			m, err := money.Parse(v, currency)
			if err != nil {
				return l, err
			}
			l.DailyAmount = m.Minor
		case "count", "daily-count":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return l, fmt.Errorf("count %q: want a whole number", v)
			}
			l.DailyCount = n
		default:
			return l, fmt.Errorf("unknown limit %q: want per-payment, daily or count", k)
		}
	}
	return l, nil
}

func usersAddCmd() *command {
	return &command{
		name:    "add",
		summary: "add a user with an opening balance",
		use:     "--id ID --balance AMOUNT [flags]",
		examples: []string{
			"mppwallet users add --id alice --name 'Alice Tan' --balance 1000.00 --currency USD",
			"mppwallet users add --id bob --balance 50000 --currency JPY \\",
			"    --limits per-payment=20000,daily=30000,count=5",
			"mppwallet users add --id carol --balance 10 --currency SGD --override ask",
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			data := dataFlag(fs, env)
			id := fs.String("id", "", "customerId (at most 64 characters)")
			balance := fs.String("balance", "0", "opening balance as a decimal, e.g. 1000.00")
			currency := fs.String("currency", "USD", "ISO 4217 currency of the wallet")
			uf := addUserFlags(fs)
			asJSON := fs.Bool("json", false, "print the user as JSON")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("users add", "unexpected argument %q", args[0])
				}
				if *id == "" {
					return usagef("users add", "--id is required")
				}
				bal, err := money.Parse(*balance, *currency)
				if err != nil {
					return usagef("users add", "--balance: %v", err)
				}
				u := wallet.User{ID: *id, Balance: bal, KYCVerified: true, Status: wallet.UserActive}
				if err := uf.apply("users add", &u); err != nil {
					return err
				}
				// A malformed user is bad usage, refused before the ledger
				// is opened; only a duplicate id is the ledger's to refuse.
				if err := checkUserID("users add", "id", *id); err != nil {
					return err
				}
				if err := u.Validate(); err != nil {
					return usagef("users add", "%v", userErr(err))
				}
				_, st, svc, err := openWallet(*data)
				if err != nil {
					return err
				}
				defer st.Close()
				u, err = svc.AddUser(ctx, u)
				if err != nil {
					return userErr(err)
				}
				return printUsers(env, []wallet.User{u}, *asJSON, true)
			}
		},
	}
}

func usersSetCmd() *command {
	return &command{
		name:    "set",
		summary: "change a user's settings or top up the balance",
		use:     "--id ID [flags]",
		examples: []string{
			"mppwallet users set --id alice --override RISK_REJECT",
			"mppwallet users set --id alice --override none --top-up 250.00",
			"mppwallet users set --id bob --limits none --status FROZEN",
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			data := dataFlag(fs, env)
			id := fs.String("id", "", "customerId of the user to change")
			topUp := fs.String("top-up", "", "add this decimal amount to the balance")
			uf := addUserFlags(fs)
			asJSON := fs.Bool("json", false, "print the user as JSON")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("users set", "unexpected argument %q", args[0])
				}
				if *id == "" {
					return usagef("users set", "--id is required")
				}
				if err := checkUserID("users set", "id", *id); err != nil {
					return err
				}
				// What can be checked without the user's currency is checked
				// before the ledger is opened: a malformed flag is bad usage
				// even for a user that does not exist.
				if err := uf.checkShape("users set"); err != nil {
					return err
				}
				if *topUp != "" && !looksDecimal(*topUp) {
					return usagef("users set", "--top-up %q: want a positive decimal such as 250.00", *topUp)
				}
				_, st, svc, err := openWallet(*data)
				if err != nil {
					return err
				}
				defer st.Close()
				u, err := svc.User(ctx, *id)
				if err != nil {
					return userErr(err)
				}
				// Check every flag before changing anything.
				probe := u
				if err := uf.apply("users set", &probe); err != nil {
					return err
				}
				var amt money.Money
				if *topUp != "" {
					if amt, err = money.Parse(*topUp, u.Currency()); err != nil {
						return usagef("users set", "--top-up: %v", err)
					}
					if amt.Minor == 0 {
						return usagef("users set", "--top-up must be more than zero")
					}
				}
				u, err = svc.Adjust(ctx, *id, func(n *wallet.User) error { return uf.apply("users set", n) }, amt.Minor)
				if err != nil {
					return userErr(err)
				}
				return printUsers(env, []wallet.User{u}, *asJSON, true)
			}
		},
	}
}

func usersListCmd() *command {
	return &command{
		name:     "list",
		summary:  "list users with balances, limits and status",
		use:      "[flags]",
		examples: []string{"mppwallet users list", "mppwallet users list --json"},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			data := dataFlag(fs, env)
			asJSON := fs.Bool("json", false, "print a JSON array")
			return func(ctx context.Context, args []string) error {
				_, st, _, err := openWallet(*data)
				if err != nil {
					return err
				}
				defer st.Close()
				users, err := st.Users(ctx)
				if err != nil {
					return err
				}
				return printUsers(env, users, *asJSON, false)
			}
		},
	}
}

// userErr turns a wallet error into a one-line message that keeps the
// wallet's code for --json; an unknown user's says how to list them.
func userErr(err error) error {
	we, ok := err.(*wallet.Error)
	if !ok {
		return err
	}
	msg := we.Message
	if we.Code == wallet.CodeUserNotExist {
		msg += " (see 'mppwallet users list')"
	}
	return failKind(string(we.Code), errors.New(msg))
}

// checkUserID refuses, as a usage error of cmd, an id that cannot be a
// customerId (empty, longer than 64 characters, white space): flag names
// the flag it came from.
func checkUserID(cmd, flag, id string) error {
	u := wallet.User{ID: id, Balance: money.Money{Currency: "USD"}, Status: wallet.UserActive}
	if err := u.Validate(); err != nil {
		var we *wallet.Error
		if errors.As(err, &we) {
			return usagef(cmd, "--%s: %s", flag, we.Message)
		}
		return usagef(cmd, "--%s: %v", flag, err)
	}
	return nil
}

// requireUser fails unless id is a user of the ledger st: a malformed id is
// a usage error of cmd, an unknown one names the user and how to list the
// users.
func requireUser(ctx context.Context, st *sqlite.Store, cmd, flag, id string) error {
	if err := checkUserID(cmd, flag, id); err != nil {
		return err
	}
	_, err := wallet.NewService(st).User(ctx, id)
	return userErr(err)
}

// userJSON is the documented JSON form of a user.
type userJSON struct {
	CustomerID  string             `json:"customerId"`
	Name        string             `json:"name"`
	Balance     *alipayplus.Amount `json:"balance"`
	BalanceText string             `json:"balanceText"`
	Limits      limitsJSON         `json:"limits"`
	Status      string             `json:"status"`
	KYCVerified bool               `json:"kycVerified"`
	Override    string             `json:"override"`
	CreatedAt   string             `json:"createdAt"`
}

type limitsJSON struct {
	PerPayment  *alipayplus.Amount `json:"perPayment"`
	DailyAmount *alipayplus.Amount `json:"dailyAmount"`
	DailyCount  int                `json:"dailyCount"`
}

func toUserJSON(u wallet.User) userJSON {
	lim := func(v int64) *alipayplus.Amount {
		if v == 0 {
			return nil
		}
		return alipayplus.AmountOf(money.Money{Currency: u.Currency(), Minor: v})
	}
	override := string(u.Override)
	if override == "" {
		override = "NONE"
	}
	return userJSON{
		CustomerID: u.ID, Name: u.Name, Balance: alipayplus.AmountOf(u.Balance), BalanceText: u.Balance.String(),
		Limits: limitsJSON{PerPayment: lim(u.Limits.PerPayment), DailyAmount: lim(u.Limits.DailyAmount), DailyCount: u.Limits.DailyCount},
		Status: string(u.Status), KYCVerified: u.KYCVerified, Override: override,
		CreatedAt: u.CreatedAt.UTC().Format(time.RFC3339),
	}
}

func printUsers(env *cliEnv, users []wallet.User, asJSON, single bool) error {
	if asJSON {
		enc := json.NewEncoder(env.stdout)
		if single {
			return enc.Encode(toUserJSON(users[0]))
		}
		out := make([]userJSON, 0, len(users))
		for _, u := range users {
			out = append(out, toUserJSON(u))
		}
		return enc.Encode(out)
	}
	if len(users) == 0 {
		fmt.Fprintln(env.stdout, "no users yet: add one with 'mppwallet users add --id alice --balance 1000.00'")
		return nil
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tBALANCE\tLIMITS\tSTATUS\tKYC\tOVERRIDE")
	for _, u := range users {
		j := toUserJSON(u)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%v\t%s\n", u.ID, u.Name, u.Balance, limitsText(u), u.Status, u.KYCVerified, j.Override)
	}
	return tw.Flush()
}

func limitsText(u wallet.User) string {
	var parts []string
	m := func(v int64) string { return money.Money{Currency: u.Currency(), Minor: v}.Decimal() }
	if u.Limits.PerPayment > 0 {
		parts = append(parts, "per-payment="+m(u.Limits.PerPayment))
	}
	if u.Limits.DailyAmount > 0 {
		parts = append(parts, "daily="+m(u.Limits.DailyAmount))
	}
	if u.Limits.DailyCount > 0 {
		parts = append(parts, fmt.Sprintf("count=%d", u.Limits.DailyCount))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ",")
}
