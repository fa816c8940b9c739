package simulator

import (
	"context"
	"fmt"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/antom"
	"github.com/mppwallet/mppwallet/internal/money"
)

// gatewayRefund is one refundRequestId a merchant sent.
type gatewayRefund struct {
	digest [32]byte
	order  *gatewayOrder
	minor  int64
	// resp is the final answer, nil while the wallet has not answered.
	resp *antom.RefundResponse
	done chan struct{}
}

// cancel voids a payment: Alipay+ closes it with the wallet, which returns
// whatever it debited and has not refunded. Within the cancel window it
// always succeeds (U while the wallet has not accepted yet).
func (g *gateway) cancel(ctx context.Context, call *alipayplus.Call, req *antom.CancelRequest) *antom.CancelResponse {
	s := g.s
	o, ok := g.find(call.ClientID, req.PaymentRequestID, req.PaymentID)
	if !ok {
		return &antom.CancelResponse{Response: respond(notFound(req.PaymentRequestID, req.PaymentID))}
	}
	resp := &antom.CancelResponse{PaymentID: o.ref.PaymentID, PaymentRequestID: o.ref.PaymentRequestID}
	g.mu.Lock()
	if o.cancelTime != "" {
		resp.Result, resp.CancelTime = alipayplus.Success(), o.cancelTime
		g.mu.Unlock()
		return resp
	}
	if o.cancelDone == nil && s.cfg.Now().Sub(o.createdAt) > s.timing.CancelWindow {
		g.mu.Unlock()
		resp.Result = alipayplus.Failure(antom.CodeCancelWindowExceed,
			fmt.Sprintf("the cancel window (%s after the payment) has passed: refund instead", s.timing.CancelWindow))
		return resp
	}
	if o.refused != nil { // nothing was taken: the order just closes
		o.cancelTime = s.timeString(s.cfg.Now())
		resp.Result, resp.CancelTime = alipayplus.Success(), o.cancelTime
		g.mu.Unlock()
		return resp
	}
	if o.cancelDone == nil {
		o.cancelDone = make(chan struct{})
		done := o.cancelDone
		s.bg.Add(1)
		go func() {
			defer s.bg.Done()
			defer close(done)
			if _, err := s.Cancel(s.ctx, o.simID); err == nil {
				g.mu.Lock()
				o.cancelTime = s.timeString(s.cfg.Now())
				g.mu.Unlock()
			}
		}()
	}
	done := o.cancelDone
	g.mu.Unlock()
	t := time.NewTimer(s.timing.GatewayWait)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	case <-ctx.Done():
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if o.cancelTime == "" {
		resp.Result = alipayplus.Unknown(alipayplus.CodeUnknownException,
			"the wallet has not accepted the cancel yet (Alipay+ keeps trying): send the cancel again")
		return resp
	}
	resp.Result, resp.CancelTime = alipayplus.Success(), o.cancelTime
	return resp
}

// refund refunds part or all of a successful payment; the refundRequestId
// is the idempotency key.
func (g *gateway) refund(ctx context.Context, call *alipayplus.Call, req *antom.RefundRequest) *antom.RefundResponse {
	key := orderKey{call.ClientID, req.RefundRequestID}
	digest := digestOf(call.Raw)
	g.mu.Lock()
	if rf, ok := g.refunds[key]; ok {
		g.mu.Unlock()
		if rf.digest != digest {
			return &antom.RefundResponse{Response: respond(alipayplus.Failure(alipayplus.CodeRepeatReqInconsistent,
				"refundRequestId "+req.RefundRequestID+" was sent before with other content"))}
		}
		return g.refundAnswer(ctx, req, rf)
	}
	g.mu.Unlock()
	o, ok := g.find(call.ClientID, "", req.PaymentID)
	if !ok {
		return &antom.RefundResponse{Response: respond(notFound("", req.PaymentID))}
	}
	amount, _ := req.RefundAmount.Money() // validated
	if amount.Currency != o.amount.Currency {
		return &antom.RefundResponse{Response: respond(alipayplus.Failure(alipayplus.CodeParamIllegal,
			fmt.Sprintf("refundAmount.currency %s differs from the payment's %s", amount.Currency, o.amount.Currency)))}
	}
	p, _ := g.payment(ctx, o, false)
	rf, started := g.newRefund(key, digest, o, p, req)
	if started {
		g.runRefund(key, rf, req)
	}
	return g.refundAnswer(ctx, req, rf)
}

// newRefund stores the refund a request asks for, refused at once when the
// payment cannot be refunded that much; started reports whether the wallet
// is to be asked. A request sent twice at once gets the first one's refund.
func (g *gateway) newRefund(key orderKey, digest [32]byte, o *gatewayOrder, p Payment, req *antom.RefundRequest) (rf *gatewayRefund, started bool) {
	amount, _ := req.RefundAmount.Money()
	paid, _ := o.amount.Money()
	g.mu.Lock()
	defer g.mu.Unlock()
	if rf, ok := g.refunds[key]; ok {
		return rf, false
	}
	rf = &gatewayRefund{digest: digest, order: o, minor: amount.Minor, done: make(chan struct{})}
	g.refunds[key] = rf
	var refuse *alipayplus.Result
	switch {
	case o.refused != nil || p.Status != StatusSuccess || o.cancelDone != nil:
		status := string(p.Status)
		if o.refused != nil {
			status = antom.StatusFail
		} else if o.cancelDone != nil {
			status = "cancelled"
		}
		r := alipayplus.Failure(antom.CodeOrderStatusInvalid, "the payment is "+status+": only a successful payment can be refunded")
		refuse = &r
	case amount.Minor > paid.Minor-o.refunded-o.reserved:
		r := alipayplus.Failure(antom.CodeRefundAmountExceed, fmt.Sprintf("%s is more than is left to refund: %s paid, %s refunded or being refunded",
			amount, paid, money.Money{Minor: o.refunded + o.reserved, Currency: paid.Currency}))
		refuse = &r
	}
	if refuse != nil {
		rf.resp = &antom.RefundResponse{Response: respond(*refuse), RefundRequestID: req.RefundRequestID, PaymentID: req.PaymentID}
		close(rf.done)
		return rf, false
	}
	o.reserved += amount.Minor
	return rf, true
}

// runRefund has Alipay+ ask the wallet for the refund, in the background.
// An outcome still unknown after two minutes forgets the request, so that
// the merchant may send it again.
func (g *gateway) runRefund(key orderKey, rf *gatewayRefund, req *antom.RefundRequest) {
	s, o := g.s, rf.order
	amount, _ := req.RefundAmount.Money()
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		rctx, cancel := context.WithTimeout(s.ctx, 2*time.Minute)
		defer cancel()
		r, err := s.Refund(rctx, o.simID, amount)
		out := &antom.RefundResponse{RefundRequestID: req.RefundRequestID, PaymentID: req.PaymentID}
		switch {
		case err == nil:
			out.Result, out.RefundID, out.RefundTime = alipayplus.Success(), r.RefundID, s.timeString(r.At)
			amt := r.Amount
			out.RefundAmount = &amt
		case r.Status == alipayplus.StatusFail:
			out.Result = alipayplus.Failure(r.ResultCode, err.Error())
		case r.Status == "" && rctx.Err() == nil: // refused before the wallet was asked
			out.Result = alipayplus.Failure(antom.CodeOrderStatusInvalid, err.Error())
		default:
			out.Result = alipayplus.Unknown(alipayplus.CodeUnknownException, err.Error())
		}
		g.mu.Lock()
		defer g.mu.Unlock()
		o.reserved -= amount.Minor
		switch out.Result.ResultStatus {
		case alipayplus.StatusSuccess:
			o.refunded += amount.Minor
			rf.resp = out
		case alipayplus.StatusFail:
			rf.resp = out
		default:
			delete(g.refunds, key)
		}
		close(rf.done)
	}()
}

// refundAnswer waits up to GatewayWait for a refund's final answer.
func (g *gateway) refundAnswer(ctx context.Context, req *antom.RefundRequest, rf *gatewayRefund) *antom.RefundResponse {
	t := time.NewTimer(g.s.timing.GatewayWait)
	defer t.Stop()
	select {
	case <-rf.done:
	case <-t.C:
	case <-ctx.Done():
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if rf.resp != nil {
		return rf.resp
	}
	return &antom.RefundResponse{Response: respond(alipayplus.Unknown(alipayplus.CodeUnknownException,
		"the wallet has not answered the refund yet: send the same request again")),
		RefundRequestID: req.RefundRequestID, PaymentID: req.PaymentID}
}
