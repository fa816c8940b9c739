package simulator

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/money"
)

// ChargeRequest is what a cashier's terminal sends when it scans a
// customer's payment code.
type ChargeRequest struct {
	// Code is the scanned payment code.
	Code string
	// Amount is what the merchant charges, in the merchant's currency.
	Amount      money.Money
	Merchant    Merchant
	Description string
	OrderID     string
}

// ErrWalletUnreachable means the wallet's server address is not known (it
// is not running); the code is left unused.
var ErrWalletUnreachable = errors.New("the wallet's server is not running (start 'mppwallet serve'), so the code was not charged")

// ErrUnknownMPP means the code belongs to a wallet the network does not
// know how to reach.
var ErrUnknownMPP = errors.New("the wallet that issued this code is not registered with the simulator")

// Charge runs a User-presented Mode payment end to end, as the acquirer
// and Alipay+ would: check the code (unknown, expired and used codes are
// refused before the wallet is called), quote FX when currencies differ,
// send the signed pay, and on an unknown outcome inquire at growing
// intervals until a final result, a notifyPayment, or the expiry, when it
// cancels. It returns the payment when it is final or ctx ends (the network
// carries on in the background then). A refused code is a *CodeError.
func (s *Simulator) Charge(ctx context.Context, req ChargeRequest) (Payment, error) {
	p, err := s.startCharge(req, nil)
	if err != nil {
		return Payment{}, err
	}
	out, _ := s.Wait(ctx.Done(), p.RequestID)
	return out, nil
}

// startCharge checks the charge, takes the code and starts the payment in
// the background; gw, when set, is the gateway order it serves. It returns
// the stored payment (read it under s.mu) without waiting for the wallet.
func (s *Simulator) startCharge(req ChargeRequest, gw *GatewayRef) (*Payment, error) {
	if req.Amount.Minor <= 0 {
		return nil, fmt.Errorf("the amount must be positive")
	}
	if _, ok := money.Exponent(req.Amount.Currency); !ok {
		return nil, fmt.Errorf("unknown currency %q", req.Amount.Currency)
	}
	if err := checkOrderFields(req.Description, req.OrderID, req.Merchant); err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	id := s.newRequestID()
	merchant := req.Merchant.withDefaults()
	p := &Payment{
		RequestID: id, Mode: "UPM", CodeValue: req.Code, AcquirerID: DefaultAcquirerID, Merchant: merchant,
		OrderID: req.OrderID, Description: req.Description, Amount: *alipayplus.AmountOf(req.Amount),
		Status: StatusProcessing, CreatedAt: now, ExpiresAt: ceilSecond(now.Add(s.timing.PaymentExpiry)), Gateway: gw,
	}
	if p.OrderID == "" {
		p.OrderID = "ORDER" + digits(12)
	}
	if m, ok := s.magicFor("UPM", req.Amount.Minor); ok {
		p.magic, p.Magic = m, m.Outcome
	}
	if owner, ok := s.codeOwner(req.Code); ok {
		if m, ok := s.mpp(owner); ok && m.peer().URL == "" {
			return nil, ErrWalletUnreachable
		}
	}
	code, err := s.takeCode(req.Code, id)
	if err != nil {
		return nil, err
	}
	m, ok := s.mpp(code.ClientID)
	if !ok {
		return nil, fmt.Errorf("%w (Client-Id %s)", ErrUnknownMPP, code.ClientID)
	}
	p.CustomerID, p.ClientID, p.PSPID = code.CustomerID, m.ClientID, m.PSPID
	payTo, quote, err := s.fx.Convert(req.Amount, m.customerCurrency(code.CustomerID), digits(10))
	if err != nil {
		// Alipay+ declines what it cannot convert before calling the
		// wallet; the code was not spent.
		s.releaseCode(req.Code)
		s.addPayment(p)
		s.step(p, "merchant %s scanned code %s for %s: %v", merchant.Name, maskCode(req.Code), req.Amount, err)
		s.finish(p, StatusFail, alipayplus.Failure(CodeCurrencyNotSupport, err.Error()), "", "")
		return p, nil
	}
	if payTo.Minor <= 0 {
		s.releaseCode(req.Code)
		return nil, fmt.Errorf("%s converts to %s in the wallet's currency: charge more", req.Amount, payTo)
	}
	p.PayToAmount, p.Quote = *alipayplus.AmountOf(payTo), quote
	s.addPayment(p)
	s.step(p, "merchant %s scanned code %s for %s", merchant.Name, maskCode(req.Code), req.Amount)
	if p.magic != nil && p.magic.Decline != nil {
		s.step(p, "magic amount: %s", p.magic.Outcome)
		s.finish(p, StatusFail, *p.magic.Decline, "", "")
		return p, nil
	}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		s.runPay(s.ctx, m, p)
	}()
	return p, nil
}

// releaseCode makes a taken code usable again: the charge did not spend it.
func (s *Simulator) releaseCode(value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.codes[value]; ok {
		c.Used, c.RequestID = false, ""
	}
}

func (s *Simulator) snapshot(p *Payment) Payment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return p.copyOf()
}

// payRequest builds the pay request like the seed's sample.
func (s *Simulator) payRequest(p *Payment) *alipayplus.PayRequest {
	amount := p.Amount
	payTo := p.PayToAmount
	return &alipayplus.PayRequest{
		AcquirerID: p.AcquirerID, PSPID: p.PSPID,
		Order: &alipayplus.Order{ReferenceOrderID: p.OrderID, OrderDescription: p.Description, OrderAmount: &amount,
			Merchant: p.Merchant.wire()},
		PaymentRequestID: p.RequestID, PaymentAmount: &amount, PayToAmount: &payTo, PaymentQuote: p.Quote,
		PaymentMethod: &alipayplus.PaymentMethod{PaymentMethodType: alipayplus.PaymentMethodConnectWallet,
			PaymentMethodID: p.CodeValue, CustomerID: p.CustomerID},
		PaymentFactor:     &alipayplus.PaymentFactor{IsInStorePayment: "true", InStorePaymentScenario: "PaymentCode"},
		PaymentExpiryTime: s.timeString(p.ExpiresAt),
	}
}

// runPay sends pay and follows up until the payment is final.
func (s *Simulator) runPay(ctx context.Context, m *MPP, p *Payment) {
	var resp alipayplus.PayResponse
	err := s.send(ctx, m.peer(), APIPay, s.timing.PayTimeout, s.payRequest(p), &resp, p)
	final, r := outcome(err)
	s.step(p, "pay → %s %s", r.ResultStatus, r.ResultCode)
	if final {
		status := StatusSuccess
		if r.ResultStatus == alipayplus.StatusFail {
			status = StatusFail
		}
		s.finish(p, status, r, resp.PaymentID, resp.PaymentTime)
		// Closed after the final state is stored: a gateway repeat woken
		// by it must see the answer, not a payment still in process.
		close(p.answered)
		return
	}
	close(p.answered)
	s.followUp(ctx, m, p, s.timing.InquiryFirst)
}

// maskCode shows the start and end of a payment code.
func maskCode(c string) string {
	if len(c) <= 8 {
		return c
	}
	return c[:4] + "…" + c[len(c)-4:]
}

// ceilSecond rounds t up to a whole second: wire times carry whole
// seconds, so the expiry the wallet reads must not be earlier than ours.
func ceilSecond(t time.Time) time.Time {
	if r := t.Truncate(time.Second); !r.Equal(t) {
		return r.Add(time.Second)
	}
	return t
}
