package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/alipayplus/simulator/simclient"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/ui/render"
)

func merchantCmd() *command {
	return &command{name: "merchant", summary: "act as a merchant on the simulator: charge a payment code, create an order code, refund, cancel",
		subs: []*command{merchantChargeCmd(), merchantOrderCmd(), merchantRefundCmd(), merchantCancelCmd(), merchantPaymentsCmd()}}
}

// merchantFlags are the shop details a merchant command may set.
type merchantFlags struct{ name, store, region *string }

func addMerchantFlags(fs *pflag.FlagSet) merchantFlags {
	return merchantFlags{
		name:   fs.String("merchant", "", "merchant name (default UGG)"),
		store:  fs.String("store", "", "store name (default UGG-2)"),
		region: fs.String("region", "", "merchant region, ISO 3166 (default JP)"),
	}
}

// check refuses a malformed --region as a usage error of cmd.
func (f merchantFlags) check(cmd string) error {
	if *f.region != "" && !isRegion(*f.region) {
		return usagef(cmd, "--region %q: want a two-letter ISO 3166 code such as JP", *f.region)
	}
	return nil
}

func (f merchantFlags) merchant() simulator.Merchant {
	return simulator.Merchant{Name: *f.name, StoreName: *f.store, Region: strings.ToUpper(*f.region)}
}

// checkAmount validates a decimal amount flag early, for a one-line usage error.
func checkAmount(cmd, amount, currency string) error {
	if amount == "" {
		return usagef(cmd, "--amount is required")
	}
	m, err := money.Parse(amount, currency)
	if err != nil {
		return usagef(cmd, "--amount: %v", err)
	}
	if m.Minor <= 0 {
		return usagef(cmd, "--amount must be more than zero")
	}
	return nil
}

func merchantChargeCmd() *command {
	return &command{
		name:    "charge",
		summary: "scan a customer's payment code and charge it; waits for the final result",
		use:     "(--code CODE | --user ID) --amount AMOUNT [flags]",
		examples: []string{
			"mppwallet merchant charge --code 259999021234567890123456 --amount 12.34 --currency USD",
			"# the code alice's app shows now, else a fresh one issued for her",
			"mppwallet merchant charge --user alice --amount 12.34 --json",
			"mppwallet merchant charge --code 259999021234567890123456 --amount 1500 --currency JPY \\",
			"    --merchant 'Ramen Ichi' --json",
			"# a magic amount: Alipay+ declines it (RISK_REJECT)",
			"mppwallet merchant charge --code 259999021234567890123456 --amount 12.51",
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			sf := addSimFlags(fs, env)
			code := fs.String("code", "", "the payment code the customer shows")
			user := fs.String("user", "", "charge the code this customerId's running app shows now, else a fresh one issued for them")
			amount := fs.String("amount", "", "amount as a decimal, e.g. 12.34")
			currency := fs.String("currency", "USD", "ISO 4217 currency of the amount")
			mf := addMerchantFlags(fs)
			asJSON := fs.Bool("json", false, "print one JSON object")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("merchant charge", "unexpected argument %q", args[0])
				}
				switch {
				case fs.Changed("code") && fs.Changed("user"):
					return usagef("merchant charge", "--code and --user cannot go together: --user charges the code that user's app shows, or a fresh one")
				case *code == "" && *user == "":
					return usagef("merchant charge", "--code or --user is required")
				}
				if *user != "" {
					if err := checkUserID("merchant charge", "user", *user); err != nil {
						return err
					}
				}
				*currency = strings.ToUpper(*currency)
				if err := checkAmount("merchant charge", *amount, *currency); err != nil {
					return err
				}
				if err := mf.check("merchant charge"); err != nil {
					return err
				}
				sim, err := merchantSim("merchant charge", sf)
				if err != nil {
					return err
				}
				var uc userCode
				if *user != "" {
					if uc, err = codeForUser(ctx, env, *sf.data, *user, sim.URL()); err != nil {
						return err
					}
					*code = uc.code
					if !*asJSON {
						fmt.Fprintf(env.stdout, "code     %s %s\n", uc.code, uc.why)
					}
				}
				p, err := sim.Charge(ctx, simulator.ChargeBody{Code: *code,
					AdminMoney: simulator.AdminMoney{Amount: *amount, Currency: *currency}, Merchant: mf.merchant()})
				var ae *simclient.Error
				if errors.As(err, &ae) && ae.ResultCode != "" {
					// The code was refused before the wallet was asked.
					if *asJSON {
						_ = json.NewEncoder(env.stdout).Encode(chargeJSON{ResultStatus: "F", ResultCode: ae.ResultCode, ResultMessage: ae.Message, Status: "REFUSED",
							PaymentCode: uc.code, CodeFrom: uc.from})
					} else {
						fmt.Fprintf(env.stdout, "REFUSED  %s: %s\n", ae.ResultCode, ae.Message)
					}
					return errSilentFailure
				}
				if err != nil {
					return merchantErr(err)
				}
				return printCharge(env, p, uc, *asJSON)
			}
		},
	}
}

// chargeJSON is the documented JSON form of a charge's outcome.
type chargeJSON struct {
	ResultStatus     string             `json:"resultStatus"`
	ResultCode       string             `json:"resultCode"`
	ResultMessage    string             `json:"resultMessage,omitempty"`
	Status           string             `json:"status"`
	PaymentRequestID string             `json:"paymentRequestId,omitempty"`
	PaymentID        string             `json:"paymentId,omitempty"`
	PaymentTime      string             `json:"paymentTime,omitempty"`
	PaymentAmount    *alipayplus.Amount `json:"paymentAmount,omitempty"`
	PayToAmount      *alipayplus.Amount `json:"payToAmount,omitempty"`
	Quote            *alipayplus.Quote  `json:"paymentQuote,omitempty"`
	CustomerID       string             `json:"customerId,omitempty"`
	Magic            string             `json:"magic,omitempty"`
	Steps            []simulator.Step   `json:"steps,omitempty"`
	// PaymentCode and CodeFrom ("app" or "fresh") are set with --user.
	PaymentCode string `json:"paymentCode,omitempty"`
	CodeFrom    string `json:"codeFrom,omitempty"`
}

// printCharge prints a charge's outcome; uc is the code --user chose (zero
// with --code).
func printCharge(env *cliEnv, p simulator.Payment, uc userCode, asJSON bool) error {
	if asJSON {
		amount, payTo := p.Amount, p.PayToAmount
		if err := json.NewEncoder(env.stdout).Encode(chargeJSON{
			ResultStatus: p.Result.ResultStatus, ResultCode: p.Result.ResultCode, ResultMessage: p.Result.ResultMessage,
			Status: string(p.Status), PaymentRequestID: p.RequestID, PaymentID: p.PaymentID, PaymentTime: p.PaymentTime,
			PaymentAmount: &amount, PayToAmount: &payTo, Quote: p.Quote, CustomerID: p.CustomerID, Magic: p.Magic, Steps: p.Steps,
			PaymentCode: uc.code, CodeFrom: uc.from,
		}); err != nil {
			return err
		}
	} else {
		switch p.Status {
		case simulator.StatusSuccess:
			fmt.Fprintf(env.stdout, "PAID     %s from %s", p.Amount, p.CustomerID)
			if p.Quote != nil {
				fmt.Fprintf(env.stdout, " (the wallet paid %s at %s %s)", p.PayToAmount, p.Quote.QuotePrice, p.Quote.QuoteCurrencyPair)
			}
			fmt.Fprintf(env.stdout, "\n  paymentRequestId %s\n  paymentId        %s\n", p.RequestID, p.PaymentID)
		case simulator.StatusProcessing:
			fmt.Fprintf(env.stdout, "PENDING  %s: no final result yet; Alipay+ keeps inquiring (paymentRequestId %s)\n", p.Amount, p.RequestID)
		default:
			fmt.Fprintf(env.stdout, "%-8s %s: %s %s\n  paymentRequestId %s\n", declineWord(p.Status), p.Amount, p.Result.ResultCode, p.Result.ResultMessage, p.RequestID)
		}
		if p.Magic != "" {
			fmt.Fprintf(env.stdout, "  magic amount: %s\n", p.Magic)
		}
	}
	if p.Status != simulator.StatusSuccess {
		return errSilentFailure
	}
	return nil
}

func declineWord(s simulator.PaymentStatus) string {
	if s == simulator.StatusCancelled {
		return "CANCELLED"
	}
	return "DECLINED"
}

func merchantOrderCmd() *command {
	return &command{
		name:    "order",
		summary: "create a private order code for the wallet to scan (Merchant-presented Mode)",
		use:     "--amount AMOUNT [flags]",
		examples: []string{
			"mppwallet merchant order --amount 9.90 --currency SGD --print qr",
			"mppwallet merchant order --amount 9.90 --currency SGD --png /tmp/order.png",
			"mppwallet merchant order --amount 1500 --currency JPY --description 'Ramen' --json",
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			sf := addSimFlags(fs, env)
			amount := fs.String("amount", "", "amount as a decimal, e.g. 9.90")
			currency := fs.String("currency", "USD", "ISO 4217 currency of the amount")
			desc := fs.String("description", "", "order description shown to the customer")
			validity := fs.Duration("validity", 10*time.Minute, "how long the code can be paid")
			mf := addMerchantFlags(fs)
			printAs := fs.String("print", "text", "how to show the code: text or qr (drawn in the terminal, black on white)")
			pngPath := fs.String("png", "", "also write the QR code as a PNG `FILE` (scan it with 'mppwallet scan --image FILE')")
			asJSON := fs.Bool("json", false, "print one JSON object")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("merchant order", "unexpected argument %q", args[0])
				}
				*currency = strings.ToUpper(*currency)
				if err := checkAmount("merchant order", *amount, *currency); err != nil {
					return err
				}
				if *printAs != "text" && *printAs != "qr" {
					return usagef("merchant order", "--print %q: want text or qr", *printAs)
				}
				if *validity <= 0 || *validity > 24*time.Hour {
					return usagef("merchant order", "--validity must be between 1s and 24h")
				}
				if err := mf.check("merchant order"); err != nil {
					return err
				}
				sim, err := merchantSim("merchant order", sf)
				if err != nil {
					return err
				}
				o, err := sim.CreateOrder(ctx, simulator.OrderBody{
					AdminMoney: simulator.AdminMoney{Amount: *amount, Currency: *currency}, Merchant: mf.merchant(),
					Description: *desc, ValiditySeconds: int(validity.Seconds())})
				if err != nil {
					return merchantErr(err)
				}
				var grid render.Grid
				if *printAs == "qr" || *pngPath != "" {
					if grid, err = render.QR(o.CodeValue); err != nil {
						return err
					}
				}
				if *pngPath != "" {
					b, err := grid.PNG(8)
					if err != nil {
						return err
					}
					if err := os.WriteFile(*pngPath, b, 0o644); err != nil {
						return fmt.Errorf("cannot write the PNG: %w", unwrapPathError(err))
					}
				}
				if *asJSON {
					return json.NewEncoder(env.stdout).Encode(o)
				}
				if *printAs == "qr" {
					fmt.Fprint(env.stdout, grid.HalfBlocks())
				}
				fmt.Fprintf(env.stdout, "order code  %s\namount      %s\nmerchant    %s (%s)\nvalid until %s\n",
					o.CodeValue, o.Amount, o.Merchant.Name, o.Merchant.StoreName, o.ExpiresAt.Local().Format(time.DateTime))
				if *pngPath != "" {
					fmt.Fprintf(env.stdout, "png         %s\n", *pngPath)
				}
				if o.Magic != "" {
					fmt.Fprintf(env.stdout, "magic       %s\n", o.Magic)
				}
				return nil
			}
		},
	}
}

func merchantRefundCmd() *command {
	return &command{
		name:    "refund",
		summary: "refund part or all of a successful payment",
		use:     "--payment ID --amount AMOUNT [flags]",
		examples: []string{
			"mppwallet merchant refund --payment 2026112512345678901234567890 --amount 2.00",
			"mppwallet merchant refund --payment 2026112561111579306899515448 --amount 12.34   # by paymentId",
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			sf := addSimFlags(fs, env)
			id := fs.String("payment", "", "the payment to refund: its paymentRequestId or paymentId")
			amount := fs.String("amount", "", "amount as a decimal, in the payment's currency unless --currency says otherwise")
			currency := fs.String("currency", "", "ISO 4217 currency (default: the payment's)")
			asJSON := fs.Bool("json", false, "print one JSON object")
			return func(ctx context.Context, args []string) error {
				if *id == "" {
					return usagef("merchant refund", "--payment is required")
				}
				if *amount == "" {
					return usagef("merchant refund", "--amount is required")
				}
				// The payment's currency is known only to the simulator; check
				// the shape here (a 3-decimal currency accepts any valid form).
				if m, err := money.Parse(*amount, "KWD"); err != nil || m.Minor <= 0 {
					return usagef("merchant refund", "--amount %q: want a positive decimal such as 2.00", *amount)
				}
				*currency = strings.ToUpper(*currency)
				if *currency != "" {
					if _, ok := money.Exponent(*currency); !ok {
						return usagef("merchant refund", "--currency %q is not an ISO 4217 code", *currency)
					}
					if err := checkAmount("merchant refund", *amount, *currency); err != nil {
						return err
					}
				}
				sim, err := merchantSim("merchant refund", sf)
				if err != nil {
					return err
				}
				r, err := sim.Refund(ctx, *id, simulator.AdminMoney{Amount: *amount, Currency: *currency})
				if err != nil {
					return merchantErr(err)
				}
				if *asJSON {
					return json.NewEncoder(env.stdout).Encode(r)
				}
				fmt.Fprintf(env.stdout, "REFUNDED %s\n  refundRequestId %s\n  refundId        %s\n", r.Amount, r.RefundRequestID, r.RefundID)
				return nil
			}
		},
	}
}

func merchantCancelCmd() *command {
	return &command{
		name:    "cancel",
		summary: "void a payment: Alipay+ sends cancelPayment until the wallet accepts, and the wallet returns the money",
		use:     "--payment ID [flags]",
		examples: []string{
			"mppwallet merchant cancel --payment 2026112512345678901234567890",
			"mppwallet merchant cancel --payment 2026112512345678901234567890 --json",
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			sf := addSimFlags(fs, env)
			id := fs.String("payment", "", "the payment to cancel: its paymentRequestId or paymentId")
			asJSON := fs.Bool("json", false, "print the payment as one JSON object")
			return func(ctx context.Context, args []string) error {
				if *id == "" {
					return usagef("merchant cancel", "--payment is required")
				}
				sim, err := merchantSim("merchant cancel", sf)
				if err != nil {
					return err
				}
				// An error with a payment: the wallet has not accepted
				// yet, and Alipay+ keeps trying.
				p, err := sim.Cancel(ctx, *id)
				switch {
				case err != nil && p.RequestID != "":
					return &failure{err: err, kind: kindPending, payment: p}
				case err != nil:
					return merchantErr(err)
				case *asJSON:
					return json.NewEncoder(env.stdout).Encode(p)
				}
				_, err = fmt.Fprintf(env.stdout, "CANCELLED %s %s (customer %s)\n", p.RequestID, p.Amount, p.CustomerID)
				return err
			}
		},
	}
}

func merchantPaymentsCmd() *command {
	return &command{
		name:     "payments",
		summary:  "list the payments the simulator has seen, with their steps",
		use:      "[flags]",
		examples: []string{"mppwallet merchant payments", "mppwallet merchant payments --json"},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			sf := addSimFlags(fs, env)
			asJSON := fs.Bool("json", false, "print a JSON array")
			return func(ctx context.Context, args []string) error {
				sim, err := merchantSim("merchant payments", sf)
				if err != nil {
					return err
				}
				ps, err := sim.Payments(ctx)
				if err != nil {
					return merchantErr(err)
				}
				if *asJSON {
					return json.NewEncoder(env.stdout).Encode(ps)
				}
				if len(ps) == 0 {
					fmt.Fprintln(env.stdout, "no payments yet")
				}
				for _, p := range ps {
					fmt.Fprintf(env.stdout, "%s %s %-10s %s %s %s\n", p.CreatedAt.Local().Format(time.DateTime), p.Mode, p.Status,
						p.Amount, p.Result.ResultCode, p.RequestID)
					for _, s := range p.Steps {
						fmt.Fprintf(env.stdout, "    %s %s\n", s.At.Local().Format(time.TimeOnly), s.What)
					}
				}
				return nil
			}
		},
	}
}
