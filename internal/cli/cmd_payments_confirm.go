package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/mppwallet/mppwallet/internal/mpp"
	"github.com/mppwallet/mppwallet/wallet"
)

// The --json codes of a confirmation the wallet recorded but Alipay+ did
// not acknowledge, and of one with no Alipay+ to tell (nothing changed).
const (
	kindNotifyFailed = "NOTIFY_FAILED"
	kindNoGateway    = "NO_GATEWAY"
)

func paymentsConfirmCmd() *command {
	return &command{
		name:    "confirm",
		summary: "answer one payment held for the user's confirmation (override ask) and tell Alipay+, as the app does",
		use:     "ID (--approve | --decline) [flags]",
		examples: []string{
			"mppwallet payments confirm 2026120476273485320950266976 --approve",
			"mppwallet payments confirm 2026120461111579306899515448 --decline --json   # by the paymentId",
		},
		takesArgs: true,
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			data := dataFlag(fs, env)
			approve := fs.Bool("approve", false, "approve: debit the user and report the payment paid")
			decline := fs.Bool("decline", false, "decline: report the payment failed (USER_PAYMENT_VERIFICATION_FAILED)")
			gateway := fs.String("gateway", env.getenv("MPPWALLET_GATEWAY"), "Alipay+ base `URL` for notifyPayment (env MPPWALLET_GATEWAY; default: the data dir's, else its running simulator)")
			asJSON := fs.Bool("json", false, "print one JSON object: decision, notified, payment")
			return func(ctx context.Context, args []string) error {
				if len(args) != 1 {
					return usagef("payments confirm", "want exactly one payment: its paymentRequestId or paymentId")
				}
				id := args[0]
				if id == "" || len(id) > 64 || strings.ContainsAny(id, " \t\r\n") {
					return usagef("payments confirm", "%q is not a paymentRequestId or paymentId", id)
				}
				if *approve == *decline {
					return usagef("payments confirm", "give exactly one of --approve and --decline")
				}
				if err := checkURL("payments confirm", "gateway", *gateway); err != nil {
					return err
				}
				return confirmHeldPayment(ctx, env, *data, *gateway, id, *approve, *asJSON)
			}
		},
	}
}

// confirmJSON is the documented JSON form of a confirmation.
type confirmJSON struct {
	Decision string      `json:"decision"`
	Notified bool        `json:"notified"`
	Payment  paymentJSON `json:"payment"`
}

// confirmHeldPayment answers the held payment id names and reports it with
// notifyPayment through the data dir's gateway, as the app's Confirm does.
// Everything that would refuse the answer (no such payment, not held,
// expired, no gateway to tell) is checked before the ledger changes.
func confirmHeldPayment(ctx context.Context, env *cliEnv, dataPath, gateway, id string, approve, asJSON bool) error {
	_, st, svc, err := openWallet(dataPath)
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := heldPayment(ctx, svc, id)
	if err != nil {
		return err
	}
	client, done, err := newWalletClient(env, dataPath, gateway, false)
	if errors.Is(err, errNoGateway) {
		return failKind(kindNoGateway, err)
	} else if err != nil {
		return err
	}
	defer done()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	p, err = (&mpp.Confirmer{Wallet: svc, Client: client}).Confirm(ctx, p.RequestID, approve)
	if err != nil && p.RequestID == "" {
		// Answered meanwhile (the app, serve --auto-confirm): nothing changed.
		return userErr(err)
	}
	if err != nil {
		return &failure{err: keepCause(cleanErr(err), err), kind: kindNotifyFailed, payment: toPaymentJSON(p)}
	}
	decision := "decline"
	if approve {
		decision = "approve"
	}
	if asJSON {
		if err := json.NewEncoder(env.stdout).Encode(confirmJSON{Decision: decision, Notified: true, Payment: toPaymentJSON(p)}); err != nil {
			return err
		}
	} else {
		printConfirmed(env, p)
	}
	if approve && p.Status != wallet.StatusSucceeded {
		return errSilentFailure // approved, but the wallet declined it (the balance, a limit)
	}
	return nil
}

// printConfirmed says what became of a payment once answered.
func printConfirmed(env *cliEnv, p wallet.Payment) {
	word := "PAID    "
	if p.Status != wallet.StatusSucceeded {
		word = "DECLINED " + string(p.ResultCode)
	}
	fmt.Fprintf(env.stdout, "%s %s from %s", word, p.Amount, p.CustomerID)
	if p.Merchant.Name != "" {
		fmt.Fprintf(env.stdout, " at %s", p.Merchant.Name)
	}
	fmt.Fprintf(env.stdout, "\n  paymentRequestId %s\n  paymentId        %s\n  notified Alipay+ (notifyPayment acknowledged)\n", p.RequestID, p.PaymentID)
}

// heldPayment is the payment id names, by its paymentRequestId (which wins)
// or the wallet's paymentId, when it waits for the user's answer; else an
// error that says why it cannot be answered.
func heldPayment(ctx context.Context, svc *wallet.Service, id string) (wallet.Payment, error) {
	p, err := svc.Inquire(ctx, id)
	var we *wallet.Error
	if errors.As(err, &we) && we.Code == wallet.CodeOrderNotExist {
		var ok bool
		if p, ok, err = paymentByWalletID(ctx, svc, id); err == nil && !ok {
			return p, failKind(string(wallet.CodeOrderNotExist), fmt.Errorf("no payment %s in the ledger (see 'mppwallet payments list')", id))
		}
	}
	if err != nil {
		return p, err
	}
	switch {
	case p.Status == wallet.StatusCancelled:
		return p, failKind(string(wallet.CodeOrderClosed), fmt.Errorf("payment %s was cancelled: there is nothing to confirm", id))
	case p.Final():
		return p, failKind(string(wallet.CodeOrderStatusInvalid), fmt.Errorf("payment %s is already %s: it is not held for confirmation", id, p.Status))
	case !p.ExpiresAt.IsZero() && !svc.Now().Before(p.ExpiresAt):
		return p, failKind(string(wallet.CodeOrderClosed), fmt.Errorf("payment %s expired at %s without an answer: Alipay+ closes it", id, p.ExpiresAt.Local().Format(time.DateTime)))
	}
	return p, nil
}

// paymentByWalletID finds the payment whose paymentId is id.
func paymentByWalletID(ctx context.Context, svc *wallet.Service, id string) (wallet.Payment, bool, error) {
	all, err := svc.Store().Payments(ctx, wallet.PaymentFilter{})
	if err != nil {
		return wallet.Payment{}, false, err
	}
	for _, p := range all {
		if p.PaymentID == id {
			return p, true, nil
		}
	}
	return wallet.Payment{}, false, nil
}
