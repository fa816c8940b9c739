// Package mpm pays merchant-presented codes (Merchant-presented Mode) for
// the wallet, in the steps the user sees: identify the scanned code with the
// Alipay+ code rules, ask Alipay+ for the order behind it
// (userInitiatedPay), let the user confirm, debit the ledger (or decline)
// and report the result with notifyPayment, resent until Alipay+
// acknowledges it. The scan command and the app's Scan screen both use it.
//
//	p := &mpm.Payer{Wallet: svc, Client: client, Rules: cache}
//	scan := p.Identify(code)                   // no network
//	order, err := p.Open(ctx, "alice", code)   // userInitiatedPay
//	res, err := p.Finish(ctx, order, true)     // debit, notifyPayment
package mpm

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/coderules"
	"github.com/mppwallet/mppwallet/internal/mpp"
	"github.com/mppwallet/mppwallet/wallet"
)

// DefaultNotifyFor is how long Finish keeps resending notifyPayment by
// default.
const DefaultNotifyFor = time.Minute

// Payer runs Merchant-presented Mode payments for the wallet.
type Payer struct {
	Wallet *wallet.Service
	// Client calls Alipay+ as the wallet (userInitiatedPay, notifyPayment);
	// its Retry repeats unknown outcomes of one call.
	Client *alipayplus.Client
	// Rules decide which codes Alipay+ can process.
	Rules *coderules.Cache
	// NotifyFor bounds how long Finish resends notifyPayment while the
	// outcome stays unknown (default DefaultNotifyFor).
	NotifyFor time.Duration
}

// Scan is a scanned code and the code rules' decision on it.
type Scan struct {
	Code     string
	Decision coderules.Decision
	// Rules says which rule set decided (network, cached or embedded).
	Rules        string
	RulesVersion string
}

// Identify decides with the code rules in use whether Alipay+ can process
// code: DECODE (go on with Open), OPEN_URL (open Decision.URL) or not
// supported (Decision.Reason). It never asks the network.
func (p *Payer) Identify(code string) Scan {
	set := p.Rules.Current()
	return Scan{Code: code, Decision: set.Identify(code), Rules: set.Source(), RulesVersion: set.Version}
}

// Order is the payment Alipay+ decoded from a code, waiting for the user's
// answer: what the confirmation page shows.
type Order struct {
	// PayOrder is the wallet's order: RequestID (paymentRequestId),
	// Merchant (name, store), PaymentAmount (the merchant's amount), Amount
	// (what the user pays, in the wallet's currency), Quote, ExpiresAt.
	wallet.PayOrder
	// Previous is the wallet's payment for this order when the code was
	// paid or declined before (scanned again within its validity): Finish
	// then moves no money and resends the result.
	Previous *wallet.Payment
	// RedirectURL is the merchant's result page (paymentRedirectUrl).
	RedirectURL string
}

// Converted reports whether the user pays in another currency than the
// merchant's (the confirmation shows the FX conversion).
func (o Order) Converted() bool { return o.Amount.Currency != o.PaymentAmount.Currency }

// Open sends a code to Alipay+ (userInitiatedPay) and returns the order to
// confirm. Alipay+'s refusals come back as an *alipayplus.Error with the
// acquirer's reason (EXPIRED_CODE, ORDER_IS_CLOSED, INVALID_CODE, ...); an
// outcome that stays unknown matches alipayplus.ErrUnknown. Nothing is
// debited.
func (p *Payer) Open(ctx context.Context, customerID, code string) (Order, error) {
	uip, err := p.Client.UserInitiatedPay(ctx, &alipayplus.UserInitiatedPayRequest{CodeValue: code, CustomerID: customerID})
	if err != nil {
		return Order{}, err
	}
	o, err := orderOf(uip, customerID, code)
	if err != nil {
		return Order{}, fmt.Errorf("Alipay+ sent an unusable order: %w", err)
	}
	prev, err := p.Wallet.Inquire(ctx, o.RequestID)
	switch {
	case err == nil:
		o.Previous = &prev
	case wallet.ErrorCode(err) != wallet.CodeOrderNotExist:
		return Order{}, err
	}
	return o, nil
}

// orderOf reads the answer to userInitiatedPay.
func orderOf(uip *alipayplus.UserInitiatedPayResponse, customerID, code string) (Order, error) {
	if uip.PaymentRequestID == "" {
		return Order{}, errors.New("no paymentRequestId")
	}
	if uip.PaymentAmount == nil || uip.PayToAmount == nil {
		return Order{}, errors.New("no paymentAmount or payToAmount")
	}
	amount, err := uip.PaymentAmount.Money()
	if err != nil {
		return Order{}, fmt.Errorf("paymentAmount: %w", err)
	}
	payTo, err := uip.PayToAmount.Money()
	if err != nil {
		return Order{}, fmt.Errorf("payToAmount: %w", err)
	}
	o := Order{PayOrder: wallet.PayOrder{RequestID: uip.PaymentRequestID, CustomerID: customerID, Mode: wallet.ModeMPM,
		CodeValue: code, Amount: payTo, PaymentAmount: amount, AcquirerID: uip.AcquirerID, PSPID: uip.PSPID},
		RedirectURL: uip.PaymentRedirectURL}
	if uip.PaymentExpiryTime != "" {
		if o.ExpiresAt, err = alipayplus.ParseTime(uip.PaymentExpiryTime); err != nil {
			return Order{}, fmt.Errorf("paymentExpiryTime: %w", err)
		}
	}
	if q := uip.PaymentQuote; q != nil {
		o.Quote = wallet.Quote{ID: q.QuoteID, CurrencyPair: q.QuoteCurrencyPair, Price: q.QuotePrice}
	}
	if ord := uip.Order; ord != nil {
		o.OrderID, o.OrderDescription = ord.ReferenceOrderID, ord.OrderDescription
		o.Merchant = mpp.MerchantOf(ord.Merchant)
	}
	return o, nil
}

// Result is how a payment ended and whether Alipay+ knows.
type Result struct {
	// Payment is the wallet's payment: SUCCEEDED (debited) or FAILED with
	// the reason (USER_BALANCE_NOT_ENOUGH, a limit, KYC, the user's decline,
	// ORDER_IS_CLOSED for an order past its expiry or cancelled, ...).
	Payment wallet.Payment
	// Reason is the wallet's own words when it refused the order outright
	// (nothing was recorded), e.g. "the payment expired at ...".
	Reason string
	// Repeat is true when the order had been paid or declined before.
	Repeat bool
	// Notified is true when Alipay+ acknowledged the result (or closed the
	// payment itself).
	Notified bool
	// NotifyErr says why Alipay+ has not acknowledged it. The result stays
	// in the ledger, so Alipay+ learns it by inquiryPayment, and finishing
	// the order again (scanning the code again) resends it.
	NotifyErr error
}

// Finish records the user's answer and tells Alipay+: approve debits the
// user, unless the wallet's checks decline (balance, limits, KYC, status);
// decline records USER_PAYMENT_VERIFICATION_FAILED without a debit. Either
// way the final result goes to Alipay+ with notifyPayment (S, or F with
// the reason), resent on U or no answer until Alipay+ acknowledges or
// NotifyFor passes. An order paid before is not paid again: its stored
// result is resent. The error is for failures to record anything (the
// ledger is unreachable); refusals are in Result.
func (p *Payer) Finish(ctx context.Context, o Order, approve bool) (Result, error) {
	order := o.PayOrder
	order.Decline = ""
	if !approve {
		order.Decline = wallet.CodeVerificationFailed
	}
	res := Result{Repeat: o.Previous != nil}
	pay, err := p.Wallet.Pay(ctx, order)
	if err != nil {
		var we *wallet.Error
		if !errors.As(err, &we) {
			return Result{}, err
		}
		// The wallet refused the order outright: nothing stored.
		res.Reason = we.Message
		res.Payment = wallet.Payment{RequestID: order.RequestID, CustomerID: order.CustomerID, Mode: wallet.ModeMPM,
			Status: wallet.StatusFailed, ResultCode: we.Code, Amount: order.Amount, PaymentAmount: order.PaymentAmount,
			Quote: order.Quote, Merchant: order.Merchant, CodeValue: order.CodeValue, OrderID: order.OrderID,
			OrderDescription: order.OrderDescription, UpdatedAt: p.Wallet.Now()}
		if we.Code == wallet.CodeRepeatInconsistent {
			// Another payment holds this id: telling Alipay+ F would
			// contradict it.
			res.NotifyErr = errors.New("not notified: the wallet holds another payment with this paymentRequestId")
			return res, nil
		}
	} else {
		res.Payment = pay
	}
	switch res.Payment.Status {
	case wallet.StatusCancelled:
		res.Notified = true // Alipay+ closed it itself
		return res, nil
	case wallet.StatusProcessing:
		// Never for MPM (the wallet holds UPM payments only); U is never
		// notified.
		res.NotifyErr = errors.New("not notified: the payment is still in process")
		return res, nil
	}
	if err := p.notify(ctx, res.Payment); err != nil {
		res.NotifyErr = err
	} else {
		res.Notified = true
	}
	return res, nil
}

// notify sends the final result until Alipay+ acknowledges it (S), refuses
// it (F), or NotifyFor passes with the outcome still unknown: the client
// resends the identical request meanwhile.
func (p *Payer) notify(ctx context.Context, pay wallet.Payment) error {
	limit := p.NotifyFor
	if limit <= 0 {
		limit = DefaultNotifyFor
	}
	_, err := p.Client.RetryingFor(limit).NotifyPayment(ctx, mpp.NotifyRequestFor(pay))
	switch {
	case err == nil:
		return nil
	case errors.Is(err, alipayplus.ErrUnknown):
		return fmt.Errorf("Alipay+ has not acknowledged the result after %s: %w", limit, err)
	}
	return fmt.Errorf("Alipay+ refused the notification: %w", err)
}
