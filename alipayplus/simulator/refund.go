package simulator

import (
	"context"
	"fmt"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/money"
)

// Refund asks the wallet to refund part or all of a successful payment, as
// the acquirer and Alipay+ would; amount is in the merchant's currency. An
// unknown outcome is retried with the same refundRequestId until ctx ends.
func (s *Simulator) Refund(ctx context.Context, requestID string, amount money.Money) (Refund, error) {
	s.mu.Lock()
	p, ok := s.payments[requestID]
	var status PaymentStatus
	if ok {
		status = p.Status
	}
	s.mu.Unlock()
	switch {
	case !ok:
		return Refund{}, fmt.Errorf("no payment %s", requestID)
	case status != StatusSuccess:
		return Refund{}, fmt.Errorf("payment %s is %s; only a successful payment can be refunded", requestID, status)
	case amount.Minor <= 0:
		return Refund{}, fmt.Errorf("the refund amount must be positive")
	}
	m, ok := s.mpp(p.ClientID)
	if !ok {
		return Refund{}, ErrUnknownMPP
	}
	r := Refund{RefundRequestID: s.newRequestID(), Amount: *alipayplus.AmountOf(amount), At: s.cfg.Now()}
	amt := r.Amount
	req := &alipayplus.RefundRequest{AcquirerID: p.AcquirerID, PSPID: p.PSPID, PaymentRequestID: p.RequestID,
		PaymentID: p.PaymentID, RefundRequestID: r.RefundRequestID, RefundAmount: &amt}
	wait := s.timing.InquiryFirst
	for {
		var resp alipayplus.RefundResponse
		err := s.send(ctx, m.peer(), APIRefund, s.timing.CancelTimeout, req, &resp, p)
		final, res := outcome(err)
		s.step(p, "refund %s → %s %s", amount, res.ResultStatus, res.ResultCode)
		if final {
			r.Status, r.ResultCode, r.RefundID = res.ResultStatus, res.ResultCode, resp.RefundID
			s.mu.Lock()
			p.Refunds = append(p.Refunds, r)
			s.mu.Unlock()
			if res.ResultStatus != alipayplus.StatusSuccess {
				return r, fmt.Errorf("the wallet refused the refund: %s %s", res.ResultCode, res.ResultMessage)
			}
			return r, nil
		}
		if !s.backOff(ctx, &wait) {
			return r, fmt.Errorf("the refund's outcome is unknown: %w", ctx.Err())
		}
	}
}
