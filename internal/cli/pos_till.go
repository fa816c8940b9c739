package cli

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/antom"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/ui/pos"
)

// Timings of the pos till.
const (
	// posDefaultDeadline is how long a sale may stay in process (the
	// wallet holds it for the customer) before the till voids it.
	posDefaultDeadline = 3 * time.Minute
	// posPoll is how often a sale in process is inquired about.
	posPoll = time.Second
	// posCallTimeout bounds one HTTP exchange: the gateway holds a pay,
	// cancel or refund up to 10 s for the wallet's answer.
	posCallTimeout = 30 * time.Second
	// posCancelTimeout bounds the void of a sale the till gave up on.
	posCancelTimeout = 30 * time.Second
)

// antomTill is pos.Till over the simulator's acquiring gateway (Antom's
// in-store API): pay with the scanned code, inquire while the wallet
// holds the payment, cancel, refund.
type antomTill struct {
	c        *antom.Client
	merchant simulator.Merchant
	// deadline is how long a sale may stay in process; poll how often it
	// is inquired about meanwhile.
	deadline, poll time.Duration
	now            func() time.Time
}

// newAntomTill returns the till for merchant m (the simulator's default
// shop fills what m leaves empty).
func newAntomTill(c *antom.Client, m simulator.Merchant, deadline time.Duration) *antomTill {
	d := simulator.DefaultMerchant
	m.ID, m.Name, m.MCC = cmp.Or(m.ID, d.ID), cmp.Or(m.Name, d.Name), cmp.Or(m.MCC, d.MCC)
	m.Region, m.City = cmp.Or(m.Region, d.Region), cmp.Or(m.City, d.City)
	m.StoreID, m.StoreName, m.TerminalID = cmp.Or(m.StoreID, d.StoreID), cmp.Or(m.StoreName, d.StoreName), cmp.Or(m.TerminalID, d.TerminalID)
	return &antomTill{c: c, merchant: m, deadline: deadline, poll: min(posPoll, deadline/5), now: time.Now}
}

// shop names the merchant, store and terminal for the till's header.
func (t *antomTill) shop() string {
	return t.merchant.Name + " · " + t.merchant.StoreName + " · " + t.merchant.TerminalID
}

// newRequestID makes a merchant request id: the kind, the time and 10
// random characters (unique across runs and processes).
func (t *antomTill) newRequestID(kind string) string {
	return kind + t.now().UTC().Format("20060102150405") + rand.Text()[:10]
}

func (t *antomTill) payRequest(code string, amount money.Money) *antom.PayRequest {
	id := t.newRequestID("POS")
	m := t.merchant
	a := alipayplus.AmountOf(amount)
	return &antom.PayRequest{
		ProductCode:      antom.ProductInStore,
		PaymentRequestID: id,
		Order: &alipayplus.Order{ReferenceOrderID: "ORDER-" + id, OrderDescription: "mppwallet pos sale", OrderAmount: a,
			Merchant: &alipayplus.Merchant{ReferenceMerchantID: m.ID, MerchantName: m.Name, MerchantMCC: m.MCC,
				MerchantAddress: &alipayplus.Address{Region: m.Region, City: m.City},
				Store:           &alipayplus.Store{ReferenceStoreID: m.StoreID, StoreName: m.StoreName, StoreTerminalID: m.TerminalID}}},
		PaymentAmount:  a,
		PaymentMethod:  &alipayplus.PaymentMethod{PaymentMethodType: antom.MethodConnectWallet, PaymentMethodID: code},
		PaymentFactor:  &antom.PaymentFactor{InStorePaymentScenario: antom.ScenarioPaymentCode},
		MerchantRegion: m.Region,
	}
}

// Charge implements pos.Till: pay, then (U: the wallet holds it, or the
// answer was lost) inquire every poll until the payment is final; past
// the deadline, or when ctx is cancelled (the user voided it), cancel it.
func (t *antomTill) Charge(ctx context.Context, code string, amount money.Money) (pos.Sale, error) {
	req := t.payRequest(code, amount)
	sale := pos.Sale{Code: code, Amount: amount, RequestID: req.PaymentRequestID}
	dctx, cancel := context.WithTimeout(ctx, t.deadline)
	defer cancel()
	resp, err := t.c.Pay(dctx, req)
	if final, done := paid(sale, resp, err); done {
		return final, nil
	}
	sale.Status, sale.ResultCode, sale.ResultMessage = pos.StatusProcessing, openCode(err), resultMessage(err)
	tick := time.NewTicker(t.poll)
	defer tick.Stop()
	for {
		select {
		case <-dctx.Done():
			return t.giveUp(ctx, sale), nil
		case <-tick.C:
		}
		q, err := t.c.InquiryPayment(dctx, &antom.InquiryPaymentRequest{PaymentRequestID: req.PaymentRequestID})
		var ae *alipayplus.Error
		switch {
		case err == nil:
			if final, done := inquired(sale, q); done {
				return final, nil
			}
		case errors.As(err, &ae) && ae.Status == alipayplus.StatusFail && ae.Code == alipayplus.CodeOrderNotExist:
			// The pay never reached the gateway (or it forgot it): the
			// same request again is safe, it is keyed by paymentRequestId.
			resp, err := t.c.Pay(dctx, req)
			if final, done := paid(sale, resp, err); done {
				return final, nil
			}
		}
	}
}

// paid reads a pay's answer: done unless the outcome is still open (U, or
// no verified answer).
func paid(sale pos.Sale, resp *antom.PayResponse, err error) (pos.Sale, bool) {
	var ae *alipayplus.Error
	switch {
	case err == nil:
		sale.Status, sale.ResultCode, sale.ResultMessage = pos.StatusSuccess, resp.Result.ResultCode, resp.Result.ResultMessage
		sale.PaymentID, sale.Customer = resp.PaymentID, customerOf(resp.PSPCustomerInfo)
		sale.PaidAt, _ = alipayplus.ParseTime(resp.PaymentTime)
		return sale, true
	case errors.As(err, &ae) && ae.Status == alipayplus.StatusFail:
		sale.Status, sale.ResultCode, sale.ResultMessage = pos.StatusFail, ae.Code, ae.Message
		return sale, true
	}
	return sale, false
}

// inquired reads an inquiry: done once the payment is final.
func inquired(sale pos.Sale, q *antom.InquiryPaymentResponse) (pos.Sale, bool) {
	sale.ResultCode, sale.ResultMessage = q.PaymentResultCode, q.PaymentResultMessage
	switch q.PaymentStatus {
	case antom.StatusSuccess:
		sale.Status, sale.PaymentID, sale.Customer = pos.StatusSuccess, q.PaymentID, customerOf(q.PSPCustomerInfo)
		sale.PaidAt, _ = alipayplus.ParseTime(q.PaymentTime)
	case antom.StatusFail:
		sale.Status = pos.StatusFail
	case antom.StatusCancelled:
		sale.Status = pos.StatusCancelled
	default:
		return sale, false
	}
	return sale, true
}

// giveUp voids a sale that is not final by its deadline (or that the user
// voided): CANCELLED when the gateway accepts, PROCESSING (with why) when
// it does not.
func (t *antomTill) giveUp(ctx context.Context, sale pos.Sale) pos.Sale {
	why := fmt.Sprintf("not final after %s", t.deadline)
	if ctx.Err() != nil {
		why = "voided before it was final"
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), posCancelTimeout)
	defer cancel()
	err := t.cancel(cctx, sale.RequestID)
	var r *pos.Refusal
	switch {
	case errors.As(err, &r) && r.Code == alipayplus.CodeOrderNotExist:
		sale.Status, sale.ResultMessage = pos.StatusCancelled, why+": the gateway never took it"
		return sale
	case err != nil:
		sale.ResultMessage = why + "; the void did not go through: " + err.Error()
		return sale
	}
	sale.Status, sale.ResultMessage = pos.StatusCancelled, why+": voided"
	return sale
}

// cancel voids a payment, sending the cancel again while the gateway
// answers U (the wallet has not accepted yet).
func (t *antomTill) cancel(ctx context.Context, requestID string) error {
	return t.untilKnown(ctx, func(ctx context.Context) error {
		_, err := t.c.Cancel(ctx, &antom.CancelRequest{PaymentRequestID: requestID})
		return err
	})
}

// untilKnown calls f until its outcome is known (not U): nil, a
// *pos.Refusal for F, or the last error once ctx is done.
func (t *antomTill) untilKnown(ctx context.Context, f func(context.Context) error) error {
	for {
		err := f(ctx)
		var ae *alipayplus.Error
		switch {
		case err == nil:
			return nil
		case errors.As(err, &ae) && ae.Status == alipayplus.StatusFail:
			return &pos.Refusal{Code: ae.Code, Message: ae.Message}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("outcome unknown: %w", err)
		case <-time.After(t.poll):
		}
	}
}

// Void implements pos.Till.
func (t *antomTill) Void(ctx context.Context, sale pos.Sale) error {
	return t.cancel(ctx, sale.RequestID)
}

// Refund implements pos.Till: one refundRequestId, sent again while the
// outcome is unknown.
func (t *antomTill) Refund(ctx context.Context, sale pos.Sale, amount money.Money) (pos.Refund, error) {
	req := &antom.RefundRequest{RefundRequestID: t.newRequestID("RF"), PaymentID: sale.PaymentID,
		RefundAmount: alipayplus.AmountOf(amount), RefundReason: "refunded at the mppwallet pos till"}
	var resp *antom.RefundResponse
	err := t.untilKnown(ctx, func(ctx context.Context) error {
		var err error
		resp, err = t.c.Refund(ctx, req)
		return err
	})
	if err != nil {
		return pos.Refund{}, err
	}
	r := pos.Refund{RequestID: req.RefundRequestID, RefundID: resp.RefundID, Amount: amount}
	if resp.RefundAmount != nil {
		if m, err := resp.RefundAmount.Money(); err == nil {
			r.Amount = m
		}
	}
	return r, nil
}

// customerOf names the payer: the wallet's customer and the wallet.
func customerOf(c *antom.PSPCustomerInfo) string {
	if c == nil {
		return ""
	}
	who := cmp.Or(c.DisplayCustomerID, c.PSPCustomerID)
	if c.PSPName != "" && who != "" {
		return who + " (" + c.PSPName + ")"
	}
	return cmp.Or(who, c.PSPName)
}

// openCode is the result code of an open outcome (PAYMENT_IN_PROCESS
// when there was no answer to read one from).
func openCode(err error) string {
	var ae *alipayplus.Error
	if errors.As(err, &ae) && ae.Code != "" {
		return ae.Code
	}
	return alipayplus.CodePaymentInProcess
}

// resultMessage is what an open outcome said, for a sale in process.
func resultMessage(err error) string {
	var ae *alipayplus.Error
	if errors.As(err, &ae) {
		return ae.Message
	}
	if err != nil {
		return strings.TrimSpace(err.Error())
	}
	return ""
}
