package simulator

import (
	"context"
	"errors"
	"fmt"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// userInitiatedPay decodes a merchant code the wallet scanned (MPP →
// Alipay+). For this network's private order codes it asks the acquirer
// over HTTP; it answers with the payment details, converting to the
// wallet's currency with a quote when they differ. Repeats of a code within
// its validity are the same payment; by another customer they are
// REPEAT_REQ_INCONSISTENT.
func (s *Simulator) userInitiatedPay(ctx context.Context, call *alipayplus.Call, req *alipayplus.UserInitiatedPayRequest) *alipayplus.UserInitiatedPayResponse {
	resp := &alipayplus.UserInitiatedPayResponse{}
	m, ok := s.mpp(call.ClientID)
	if !ok {
		resp.Result = alipayplus.Failure(alipayplus.CodeInvalidClient, "unknown client")
		return resp
	}
	now := s.cfg.Now()
	s.mu.Lock()
	if id, ok := s.byCode[req.CodeValue]; ok {
		p := s.payments[id]
		if now.Before(p.ExpiresAt) || p.Final() {
			if p.CustomerID != req.CustomerID {
				s.mu.Unlock()
				resp.Result = alipayplus.Failure(alipayplus.CodeRepeatReqInconsistent,
					"this code is already being paid by another customer")
				return resp
			}
			out := s.uipResponse(p)
			s.mu.Unlock()
			return out
		}
	}
	s.mu.Unlock()
	if !s.isOrderCode(req.CodeValue) {
		resp.Result = alipayplus.Failure(alipayplus.CodeInvalidCode, "this simulated network cannot decode that code")
		return resp
	}
	var acq alipayplus.UserInitiatedPayResponse
	err := s.send(ctx, peer{URL: s.URL(), ClientID: DefaultAcquirerClientID, Key: s.AcquirerPublicKey()},
		APIAcquirerUIP, s.timing.PayTimeout, &alipayplus.UserInitiatedPayRequest{
			AcquirerID: DefaultAcquirerID, PSPID: m.PSPID, CodeValue: req.CodeValue, CustomerID: req.CustomerID}, &acq, nil)
	final, r := outcome(err)
	switch {
	case !final:
		// The acquirer's answer was U, or none came: say which.
		resp.Result = alipayplus.Unknown(alipayplus.CodeUnknownException, "the acquirer's outcome is unknown ("+r.ResultCode+": "+r.ResultMessage+"); retry")
		return resp
	case r.ResultStatus != alipayplus.StatusSuccess:
		resp.Result = r
		return resp
	}
	amount := *acq.PaymentAmount
	money, err := amount.Money()
	if err != nil {
		resp.Result = alipayplus.Failure(alipayplus.CodeProcessFail, "the acquirer sent an invalid amount: "+err.Error())
		return resp
	}
	payTo, quote, err := s.fx.Convert(money, m.customerCurrency(req.CustomerID), digits(10))
	if err != nil {
		resp.Result = alipayplus.Failure(CodeCurrencyNotSupport, err.Error())
		return resp
	}
	if payTo.Minor <= 0 {
		resp.Result = alipayplus.Failure("PAYMENT_AMOUNT_INVALID", fmt.Sprintf("%s converts to %s in the wallet's currency", money, payTo))
		return resp
	}
	expires, err := alipayplus.ParseTime(acq.PaymentExpiryTime)
	if err != nil || expires.After(ceilSecond(now.Add(s.timing.PaymentExpiry))) {
		expires = ceilSecond(now.Add(s.timing.PaymentExpiry))
	}
	p := &Payment{
		RequestID: acq.PaymentRequestID, Mode: "MPM", CodeValue: req.CodeValue, CustomerID: req.CustomerID,
		ClientID: m.ClientID, PSPID: m.PSPID, AcquirerID: DefaultAcquirerID, Amount: amount,
		PayToAmount: *alipayplus.AmountOf(payTo), Quote: quote, Status: StatusProcessing, CreatedAt: now, ExpiresAt: expires,
	}
	if o := acq.Order; o != nil {
		p.OrderID, p.Description = o.ReferenceOrderID, o.OrderDescription
		if mer := o.Merchant; mer != nil {
			p.Merchant = Merchant{ID: mer.ReferenceMerchantID, Name: mer.MerchantName, MCC: mer.MerchantMCC}
			if mer.Store != nil {
				p.Merchant.StoreID, p.Merchant.StoreName, p.Merchant.TerminalID = mer.Store.ReferenceStoreID, mer.Store.StoreName, mer.Store.StoreTerminalID
			}
			if mer.MerchantAddress != nil {
				p.Merchant.Region, p.Merchant.City = mer.MerchantAddress.Region, mer.MerchantAddress.City
			}
		}
	}
	s.mu.Lock()
	if id, ok := s.byCode[req.CodeValue]; ok && id == p.RequestID {
		// A concurrent scan of the same code got here first.
		first := s.payments[id]
		if first.CustomerID != req.CustomerID {
			s.mu.Unlock()
			resp.Result = alipayplus.Failure(alipayplus.CodeRepeatReqInconsistent, "this code is already being paid by another customer")
			return resp
		}
		out := s.uipResponse(first)
		s.mu.Unlock()
		return out
	}
	if o, ok := s.acq.orders[req.CodeValue]; ok && o.magic != nil {
		p.magic, p.Magic = o.magic, o.Magic
	}
	p.done = make(chan struct{})
	s.payments[p.RequestID] = p
	s.order = append(s.order, p.RequestID)
	s.byCode[req.CodeValue] = p.RequestID
	s.stepLocked(p, "customer %s scanned the order code; the acquirer decoded it", req.CustomerID)
	out := s.uipResponse(p)
	s.mu.Unlock()
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		// Wait for notifyPayment until the expiry, then inquire and cancel.
		s.followUp(s.ctx, m, p, p.ExpiresAt.Sub(s.cfg.Now()))
	}()
	return out
}

// uipResponse describes a payment to the wallet. Callers hold s.mu.
func (s *Simulator) uipResponse(p *Payment) *alipayplus.UserInitiatedPayResponse {
	amount, payTo := p.Amount, p.PayToAmount
	return &alipayplus.UserInitiatedPayResponse{
		Response:   alipayplus.Response{Result: alipayplus.Success()},
		AcquirerID: p.AcquirerID, PSPID: p.PSPID, CodeType: "ORDER_CODE", PaymentRequestID: p.RequestID,
		Order: &alipayplus.Order{ReferenceOrderID: p.OrderID, OrderDescription: p.Description, OrderAmount: &amount,
			Merchant: p.Merchant.wire()},
		PaymentAmount: &amount, PayToAmount: &payTo, PaymentQuote: p.Quote,
		PaymentFactor:      &alipayplus.PaymentFactor{IsInStorePayment: "true", IsCashierPayment: "true", InStorePaymentScenario: "OrderCode"},
		PaymentExpiryTime:  s.timeString(p.ExpiresAt),
		SettlementStrategy: &alipayplus.SettlementStrategy{SettlementCurrency: amount.Currency},
	}
}

// errInconsistent marks a notification that contradicts an earlier one.
var errInconsistent = errors.New("inconsistent")

// notifyPayment records the wallet's final result (S or F). It is
// idempotent by paymentRequestId: a repeat must agree with the first on
// paymentResult, paymentId, amounts and customerId. A success for a payment
// Alipay+ already closed is acknowledged and then cancelled, so the wallet
// returns the money (late success).
func (s *Simulator) notifyPayment(_ context.Context, call *alipayplus.Call, req *alipayplus.NotifyPaymentRequest) *alipayplus.NotifyPaymentResponse {
	resp := &alipayplus.NotifyPaymentResponse{}
	s.mu.Lock()
	p, ok := s.payments[req.PaymentRequestID]
	if !ok || p.ClientID != call.ClientID {
		s.mu.Unlock()
		resp.Result = alipayplus.Failure(alipayplus.CodeOrderNotExist, "no payment "+req.PaymentRequestID+" for this client")
		return resp
	}
	if prev := p.notified; prev != nil {
		s.mu.Unlock()
		if err := sameNotify(prev, req); err != nil {
			resp.Result = alipayplus.Failure(alipayplus.CodeRepeatReqInconsistent, err.Error())
			return resp
		}
		resp.Result = alipayplus.Success()
		return resp
	}
	if p.Final() && p.Status != StatusCancelled && !agrees(p, req) {
		s.stepLocked(p, "notifyPayment %s %s contradicts the final result %s", req.PaymentResult.ResultStatus, req.PaymentResult.ResultCode, p.Status)
		s.mu.Unlock()
		resp.Result = alipayplus.Failure(alipayplus.CodeRepeatReqInconsistent, "the payment already ended as "+string(p.Status))
		return resp
	}
	n := *req
	p.notified = &n
	s.stepLocked(p, "notifyPayment ← %s %s", req.PaymentResult.ResultStatus, req.PaymentResult.ResultCode)
	late := p.Status == StatusCancelled && req.PaymentResult.ResultStatus == alipayplus.StatusSuccess
	s.mu.Unlock()
	status := StatusSuccess
	if req.PaymentResult.ResultStatus == alipayplus.StatusFail {
		status = StatusFail
	}
	s.finish(p, status, *req.PaymentResult, req.PaymentID, req.PaymentTime)
	resp.Result = alipayplus.Success()
	if late {
		if m, ok := s.mpp(p.ClientID); ok {
			s.bg.Add(1)
			go func() {
				defer s.bg.Done()
				s.cancel(s.ctx, m, p, "late success after Alipay+ closed the payment")
			}()
		}
	}
	return resp
}

// agrees reports whether a first notification matches a result the network
// already settled on by inquiry.
func agrees(p *Payment, req *alipayplus.NotifyPaymentRequest) bool {
	want := alipayplus.StatusSuccess
	if p.Status == StatusFail {
		want = alipayplus.StatusFail
	}
	return req.PaymentResult.ResultStatus == want
}

// sameNotify checks a repeated notification against the first.
func sameNotify(a, b *alipayplus.NotifyPaymentRequest) error {
	diff := func(field, x, y string) error {
		if x != y {
			return errors.New(field + " differs from the first notification: " + x + " then " + y)
		}
		return nil
	}
	amt := func(x *alipayplus.Amount) string {
		if x == nil {
			return ""
		}
		return x.Value + " " + x.Currency
	}
	for _, err := range []error{
		diff("paymentResult", a.PaymentResult.ResultStatus+" "+a.PaymentResult.ResultCode, b.PaymentResult.ResultStatus+" "+b.PaymentResult.ResultCode),
		diff("paymentId", a.PaymentID, b.PaymentID),
		diff("paymentAmount", amt(a.PaymentAmount), amt(b.PaymentAmount)),
		diff("payToAmount", amt(a.PayToAmount), amt(b.PayToAmount)),
		diff("customerId", a.CustomerID, b.CustomerID),
		diff("customsDeclarationAmount", amt(a.CustomsDeclarationAmount), amt(b.CustomsDeclarationAmount)),
	} {
		if err != nil {
			return errors.Join(errInconsistent, err)
		}
	}
	return nil
}
