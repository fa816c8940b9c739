package simulator

import (
	"context"
	"net/url"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/antom"
)

// notifyWhenFinal waits for the order's payment to be final and posts the
// result to the merchant's paymentNotifyUrl, signed with Alipay+'s key as
// Antom signs its notifications, until the merchant acknowledges it (result
// S) or NotifyAttempts tries have failed. A payment the merchant cancelled
// is not notified.
func (g *gateway) notifyWhenFinal(ctx context.Context, o *gatewayOrder) {
	s := g.s
	s.mu.Lock()
	p, ok := s.payments[o.simID]
	s.mu.Unlock()
	if !ok {
		return
	}
	select {
	case <-p.done:
	case <-ctx.Done():
		return
	}
	snap := s.snapshot(p)
	if snap.Status == StatusCancelled {
		return
	}
	u, err := url.Parse(o.notifyURL) // validated: http(s) with a host
	if err != nil {
		return
	}
	req := g.notifyRequest(o, snap)
	to := peer{URL: u.Scheme + "://" + u.Host, ClientID: o.ref.ClientID}
	wait := s.timing.InquiryFirst
	for attempt := 1; ; attempt++ {
		var resp antom.NotifyPaymentResponse
		err := s.sendTo(ctx, to, APIGatewayNotifyPayment, u.RequestURI(), s.timing.PayTimeout, req, &resp, p)
		final, r := outcome(err)
		s.step(p, "gateway notifyPayment to %s (try %d) → %s %s", o.notifyURL, attempt, r.ResultStatus, r.ResultCode)
		if final && r.ResultStatus == alipayplus.StatusSuccess {
			return
		}
		if attempt >= s.timing.NotifyAttempts {
			s.step(p, "gateway notifyPayment given up after %d tries", attempt)
			return
		}
		if !s.backOff(ctx, &wait) {
			return
		}
	}
}

// notifyRequest is the notifyPayment body for a final payment.
func (g *gateway) notifyRequest(o *gatewayOrder, p Payment) *antom.NotifyPaymentRequest {
	amount := o.amount
	req := &antom.NotifyPaymentRequest{NotifyType: antom.NotifyPaymentResult, PaymentRequestID: o.ref.PaymentRequestID,
		PaymentID: o.ref.PaymentID, PaymentAmount: &amount, PaymentCreateTime: g.s.timeString(o.createdAt)}
	if p.Status == StatusSuccess {
		req.Result, req.PaymentTime, req.PSPCustomerInfo = alipayplus.Success(), g.paymentTime(p), pspCustomer(p)
		return req
	}
	_, code, msg := gatewayStatus(p)
	req.Result = alipayplus.Failure(code, msg)
	return req
}
