package simulator

import (
	"context"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// magicFor returns this payment's own copy of the magic-amount row, unless
// magic amounts are off.
func (s *Simulator) magicFor(mode string, minor int64) (*Magic, bool) {
	if s.cfg.NoMagic {
		return nil, false
	}
	m, ok := MagicFor(mode, minor)
	if !ok {
		return nil, false
	}
	effects := make(map[string]Effect, len(m.Effects))
	for k, v := range m.Effects {
		effects[k] = v
	}
	m.Effects = effects
	return &m, true
}

// followUp settles a payment whose outcome is unknown, as Alipay+ does:
// inquire at growing intervals (starting after first) until a final
// result, a notifyPayment, or the payment's expiry; at the expiry inquire
// one last time, then cancel until the wallet accepts.
func (s *Simulator) followUp(ctx context.Context, m *MPP, p *Payment, first time.Duration) {
	wait := first
	for {
		left := p.ExpiresAt.Sub(s.cfg.Now())
		expired := left <= 0
		if !expired && wait > left {
			wait = left
		}
		if !expired {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-p.done:
				t.Stop()
				return
			case <-t.C:
			}
			expired = !s.cfg.Now().Before(p.ExpiresAt)
		}
		if s.isFinal(p) {
			return
		}
		if s.inquire(ctx, m, p) || expired {
			break
		}
		wait = min(wait*2, s.timing.InquiryMax)
	}
	if !s.isFinal(p) {
		s.cancel(ctx, m, p, "no final result by the payment's expiry")
	}
}

func (s *Simulator) isFinal(p *Payment) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return p.Final()
}

// inquire asks the wallet once; it reports whether the payment became final.
func (s *Simulator) inquire(ctx context.Context, m *MPP, p *Payment) bool {
	var resp alipayplus.InquiryPaymentResponse
	err := s.send(ctx, m.peer(), APIInquiryPayment, s.timing.InquiryTimeout, &alipayplus.InquiryPaymentRequest{
		AcquirerID: p.AcquirerID, PSPID: p.PSPID, PaymentRequestID: p.RequestID}, &resp, p)
	final, r := outcome(err)
	if !final || r.ResultStatus != alipayplus.StatusSuccess || resp.PaymentResult == nil {
		s.step(p, "inquiryPayment → %s %s", r.ResultStatus, r.ResultCode)
		return false
	}
	pr := *resp.PaymentResult
	s.step(p, "inquiryPayment → paymentResult %s %s", pr.ResultStatus, pr.ResultCode)
	switch pr.ResultStatus {
	case alipayplus.StatusSuccess:
		s.finish(p, StatusSuccess, pr, resp.PaymentID, resp.PaymentTime)
		return true
	case alipayplus.StatusFail:
		s.finish(p, StatusFail, pr, resp.PaymentID, "")
		return true
	}
	return false
}

// cancel closes the payment with cancelPayment, retrying until the wallet
// answers S (or the simulator stops).
func (s *Simulator) cancel(ctx context.Context, m *MPP, p *Payment, why string) {
	s.step(p, "cancelling: %s", why)
	wait := s.timing.InquiryFirst
	for {
		var resp alipayplus.CancelPaymentResponse
		err := s.send(ctx, m.peer(), APICancelPayment, s.timing.CancelTimeout, &alipayplus.CancelPaymentRequest{
			AcquirerID: p.AcquirerID, PSPID: p.PSPID, PaymentRequestID: p.RequestID}, &resp, p)
		final, r := outcome(err)
		s.step(p, "cancelPayment → %s %s", r.ResultStatus, r.ResultCode)
		if final && r.ResultStatus == alipayplus.StatusSuccess {
			s.mu.Lock()
			if !p.Final() {
				p.Status, p.Result, p.FinishedAt = StatusCancelled, alipayplus.Failure(alipayplus.CodeOrderIsClosed, "Alipay+ closed the order: "+why), s.cfg.Now()
				close(p.done)
				if p.Mode == "MPM" {
					s.acq.settleLocked(p)
				}
			} else {
				p.Status = StatusCancelled
			}
			s.mu.Unlock()
			return
		}
		if !s.backOff(ctx, &wait) {
			return
		}
	}
}

// backOff waits *wait (or until ctx ends, reported false), then doubles
// *wait up to InquiryMax: the rhythm of every retry Alipay+ makes.
func (s *Simulator) backOff(ctx context.Context, wait *time.Duration) bool {
	t := time.NewTimer(*wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
	}
	*wait = min(*wait*2, s.timing.InquiryMax)
	return true
}
