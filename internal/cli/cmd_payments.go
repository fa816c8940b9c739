package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

func paymentsCmd() *command {
	return &command{name: "payments", summary: "look at the payments in the ledger, answer one held for confirmation",
		subs: []*command{paymentsListCmd(), paymentsConfirmCmd()}}
}

func paymentsListCmd() *command {
	return &command{
		name:     "list",
		summary:  "list payments, newest first",
		use:      "[flags]",
		examples: []string{"mppwallet payments list", "mppwallet payments list --user alice --limit 5 --json"},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			data := dataFlag(fs, env)
			user := fs.String("user", "", "only this customerId")
			limit := fs.Int("limit", 50, "at most this many (0 = all)")
			asJSON := fs.Bool("json", false, "print a JSON array")
			return func(ctx context.Context, args []string) error {
				if *limit < 0 {
					return usagef("payments list", "--limit must be 0 or more")
				}
				if *user != "" {
					if err := checkUserID("payments list", "user", *user); err != nil {
						return err
					}
				}
				_, st, _, err := openWallet(*data)
				if err != nil {
					return err
				}
				defer st.Close()
				if *user != "" {
					if err := requireUser(ctx, st, "payments list", "user", *user); err != nil {
						return err
					}
				}
				ps, err := st.Payments(ctx, wallet.PaymentFilter{CustomerID: *user, Limit: *limit})
				if err != nil {
					return err
				}
				if *asJSON {
					out := make([]paymentJSON, 0, len(ps))
					for _, p := range ps {
						out = append(out, toPaymentJSON(p))
					}
					return json.NewEncoder(env.stdout).Encode(out)
				}
				if len(ps) == 0 {
					fmt.Fprintln(env.stdout, "no payments yet")
					return nil
				}
				tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "TIME\tUSER\tSTATUS\tRESULT\tCHARGED\tMERCHANT AMOUNT\tMERCHANT\tREFUNDED\tREQUEST ID")
				for _, p := range ps {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.CreatedAt.Local().Format(time.DateTime),
						p.CustomerID, p.Status, p.ResultCode, p.Amount, p.PaymentAmount, p.Merchant.Name,
						money.Money{Currency: p.Amount.Currency, Minor: p.Refunded}.Decimal(), p.RequestID)
				}
				return tw.Flush()
			}
		},
	}
}

// paymentJSON is the documented JSON form of a payment.
type paymentJSON struct {
	PaymentRequestID string             `json:"paymentRequestId"`
	PaymentID        string             `json:"paymentId"`
	CustomerID       string             `json:"customerId"`
	Mode             string             `json:"mode"`
	Status           string             `json:"status"`
	ResultCode       string             `json:"resultCode"`
	PayToAmount      *alipayplus.Amount `json:"payToAmount"`
	PaymentAmount    *alipayplus.Amount `json:"paymentAmount,omitempty"`
	Refunded         *alipayplus.Amount `json:"refunded"`
	MerchantName     string             `json:"merchantName,omitempty"`
	StoreName        string             `json:"storeName,omitempty"`
	CodeValue        string             `json:"codeValue,omitempty"`
	CreatedAt        string             `json:"createdAt"`
	PaidAt           string             `json:"paidAt,omitempty"`
}

func toPaymentJSON(p wallet.Payment) paymentJSON {
	j := paymentJSON{
		PaymentRequestID: p.RequestID, PaymentID: p.PaymentID, CustomerID: p.CustomerID, Mode: string(p.Mode),
		Status: string(p.Status), ResultCode: string(p.ResultCode), PayToAmount: alipayplus.AmountOf(p.Amount),
		Refunded:     alipayplus.AmountOf(money.Money{Currency: p.Amount.Currency, Minor: p.Refunded}),
		MerchantName: p.Merchant.Name, StoreName: p.Merchant.StoreName, CodeValue: p.CodeValue,
		CreatedAt: alipayplus.FormatTime(p.CreatedAt),
	}
	if p.PaymentAmount.Currency != "" {
		j.PaymentAmount = alipayplus.AmountOf(p.PaymentAmount)
	}
	if !p.PaidAt.IsZero() {
		j.PaidAt = alipayplus.FormatTime(p.PaidAt)
	}
	return j
}
