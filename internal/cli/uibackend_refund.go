package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/alipayplus/simulator/simclient"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/ui"
)

// Refund implements ui.RefundBackend as 'mppwallet merchant refund' does:
// the simulator's admin API has Alipay+ send the wallet a refund of amount
// (POST /sim/payments/{id}/refund), and the wallet's refusal comes back as
// its result code and words. Against a gateway that is not a simulator the
// error says that refunds need one: the real Alipay+ refunds only when
// the merchant asks it.
func (b *uiBackend) Refund(ctx context.Context, requestID string, amount money.Money) (ui.RefundResult, error) {
	admin := b.admin()
	if admin == nil {
		return ui.RefundResult{}, errNoSimRefund("")
	}
	r, err := admin.Refund(ctx, requestID, simulator.AdminMoney{Amount: amount.Decimal(), Currency: amount.Currency})
	var se *simclient.Error
	switch {
	case errors.As(err, &se) && se.ResultCode == "" && strings.Contains(se.Message, "is it a simulator?"):
		return ui.RefundResult{}, errNoSimRefund(admin.URL())
	case err != nil && unreachable(err):
		return ui.RefundResult{}, b.peerDown(err)
	case err != nil:
		return ui.RefundResult{}, merchantErr(err)
	}
	got, err := r.Amount.Money()
	if err != nil {
		got = amount // the simulator echoes what it was asked; keep the ask if it cannot be read
	}
	return ui.RefundResult{Amount: got, RefundID: r.RefundID, RefundRequestID: r.RefundRequestID}, nil
}

// errNoSimRefund says that the gateway at url cannot refund on request.
func errNoSimRefund(url string) error {
	where := "this gateway"
	if url != "" {
		where = "the gateway at " + url
	}
	return fmt.Errorf("refunds need the Alipay+ simulator: %s is not one (there the merchant asks Alipay+ for a refund)", where)
}
