package simulator

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Cancel closes a payment as the merchant's acquirer asks Alipay+ to (the
// cashier voids the sale, or gives up on a payment still in flight):
// Alipay+ sends cancelPayment until the wallet answers S, and the wallet
// returns whatever it debited and has not refunded. A payment in flight is
// closed at once; a pay that reaches the wallet afterwards is refused.
// Cancel waits until the wallet has accepted or ctx ends; the network keeps
// trying in the background after that, as Alipay+ would.
func (s *Simulator) Cancel(ctx context.Context, requestID string) (Payment, error) {
	s.mu.Lock()
	p, ok := s.payments[requestID]
	s.mu.Unlock()
	if !ok {
		return Payment{}, fmt.Errorf("no payment %s", requestID)
	}
	m, ok := s.mpp(p.ClientID)
	if !ok {
		return Payment{}, ErrUnknownMPP
	}
	done := make(chan struct{})
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		defer close(done)
		s.cancel(s.ctx, m, p, "the merchant cancelled")
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return s.snapshot(p), fmt.Errorf("the wallet has not accepted the cancel yet (Alipay+ keeps trying): %w", ctx.Err())
	}
	out := s.snapshot(p)
	if out.Status != StatusCancelled {
		return out, fmt.Errorf("the simulator stopped before the wallet accepted the cancel")
	}
	return out, nil
}

func (s *Simulator) adminCancel(w http.ResponseWriter, r *http.Request) {
	found, ok := s.adminLookup(w, r.PathValue("id"))
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), time.Minute)
	defer cancel()
	p, err := s.Cancel(ctx, found.RequestID)
	if err != nil {
		writeJSON(w, http.StatusAccepted, map[string]any{"error": err.Error(), "payment": p})
		return
	}
	writeJSON(w, http.StatusOK, p)
}
