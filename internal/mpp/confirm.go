package mpp

import (
	"context"
	"fmt"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/wallet"
)

// NotifyRequestFor builds the notifyPayment request that reports a final
// payment to Alipay+.
func NotifyRequestFor(p wallet.Payment) *alipayplus.NotifyPaymentRequest {
	r := paymentResult(p)
	req := &alipayplus.NotifyPaymentRequest{
		PaymentResult: &r, PaymentRequestID: p.RequestID, PaymentID: p.PaymentID, CustomerID: p.CustomerID,
	}
	if p.Status == wallet.StatusSucceeded {
		req.PaymentTime = alipayplus.FormatTime(p.PaidAt)
	}
	if p.Amount.Currency != "" {
		req.PayToAmount = alipayplus.AmountOf(p.Amount)
	}
	if p.PaymentAmount.Currency != "" {
		req.PaymentAmount = alipayplus.AmountOf(p.PaymentAmount)
	}
	return req
}

// Confirmer finishes payments that wait for the user (pay answered U
// PAYMENT_IN_PROCESS): it records the user's answer in the wallet and
// reports the final result to Alipay+ with notifyPayment, retrying until
// Alipay+ acknowledges it. Meanwhile inquiryPayment answers from the wallet.
type Confirmer struct {
	Wallet *wallet.Service
	Client *alipayplus.Client
}

// Confirm approves (debit) or declines the held payment and notifies
// Alipay+. The payment is decided even when the notification fails; the
// error then says so, and Alipay+ still learns the result by inquiry.
func (c *Confirmer) Confirm(ctx context.Context, requestID string, approve bool) (wallet.Payment, error) {
	p, err := c.Wallet.Decide(ctx, requestID, approve, "")
	if err != nil {
		return wallet.Payment{}, err
	}
	if _, err := c.Client.NotifyPayment(ctx, NotifyRequestFor(p)); err != nil {
		return p, fmt.Errorf("payment %s is %s, but notifyPayment failed: %w", p.RequestID, p.Status, err)
	}
	return p, nil
}
