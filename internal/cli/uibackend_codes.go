package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/alipayplus/simulator/simclient"
	"github.com/mppwallet/mppwallet/ui"
	"github.com/mppwallet/mppwallet/wallet"
)

// CodeStates implements ui.CodeWatcher from the simulator's record of the
// codes it issued (GET /sim/codes): which are used, and, for a payment
// that never reached the wallet (a decline of Alipay+'s own, such as a
// magic amount), how it ended. Against a gateway that is not a simulator
// it answers ui.ErrNoCodeStates: the real Alipay+ tells a wallet of a
// code's use only by the pay it sends.
func (b *uiBackend) CodeStates(ctx context.Context, customerID string, codes []string) ([]ui.CodeState, error) {
	admin := b.admin()
	if admin == nil {
		return nil, ui.ErrNoCodeStates
	}
	issued, err := admin.Codes(ctx, customerID)
	var apiErr *simclient.Error
	switch {
	case errors.As(err, &apiErr):
		return nil, ui.ErrNoCodeStates // not a simulator, or not ours to ask
	case err != nil:
		return nil, b.peerDown(err)
	}
	want := map[string]bool{}
	for _, c := range codes {
		want[c] = true
	}
	var out []ui.CodeState
	for _, c := range issued {
		if !want[c.Value] {
			continue
		}
		st := ui.CodeState{Value: c.Value, Used: c.Used}
		if c.Used && c.RequestID != "" && !b.walletHas(ctx, c.RequestID) {
			if p, err := admin.Payment(ctx, c.RequestID); err == nil && p.Final() {
				wp := paymentOfSim(p)
				st.Payment = &wp
				st.Note = fmt.Sprintf("Alipay+ answered this payment itself (%s: %s); the wallet was not asked.",
					p.Result.ResultCode, p.Result.ResultMessage)
			}
		}
		out = append(out, st)
	}
	return out, nil
}

// walletHas reports whether the wallet has the payment (then its events
// tell the app how it ended).
func (b *uiBackend) walletHas(ctx context.Context, requestID string) bool {
	err := b.svc.Store().View(ctx, func(tx wallet.Tx) error {
		_, err := tx.Payment(requestID)
		return err
	})
	return err == nil
}

// paymentOfSim is a simulator payment as the result page shows it.
func paymentOfSim(p simulator.Payment) wallet.Payment {
	out := wallet.Payment{RequestID: p.RequestID, PaymentID: p.PaymentID, CustomerID: p.CustomerID, Mode: wallet.Mode(p.Mode),
		ResultCode: wallet.Code(p.Result.ResultCode), CodeValue: p.CodeValue, OrderID: p.OrderID, OrderDescription: p.Description,
		Merchant: wallet.Merchant{ID: p.Merchant.ID, Name: p.Merchant.Name, MCC: p.Merchant.MCC, Region: p.Merchant.Region,
			StoreID: p.Merchant.StoreID, StoreName: p.Merchant.StoreName},
		CreatedAt: p.CreatedAt, UpdatedAt: p.FinishedAt, ExpiresAt: p.ExpiresAt}
	switch p.Status {
	case simulator.StatusSuccess:
		out.Status = wallet.StatusSucceeded
	case simulator.StatusCancelled:
		out.Status = wallet.StatusCancelled
	default:
		out.Status = wallet.StatusFailed
	}
	out.PaymentAmount, _ = p.Amount.Money()
	out.Amount, _ = p.PayToAmount.Money()
	if p.Quote != nil {
		out.Quote = wallet.Quote{ID: p.Quote.QuoteID, CurrencyPair: p.Quote.QuoteCurrencyPair, Price: p.Quote.QuotePrice}
	}
	return out
}
