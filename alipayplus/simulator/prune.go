package simulator

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// What the simulator keeps, whatever arrives: finished and expired things
// are forgotten after a retention window, and each map has a ceiling. The
// wallet's ledger keeps its own payments for good; the simulator's memory
// is for what is in flight and what was recent.
const (
	// OrderRetention is how long an order code is kept after it expired
	// (paid, closed or never scanned): 1 hour.
	OrderRetention = time.Hour
	// PaymentRetention is how long a final payment is kept after it
	// finished (refunds and cancels name it meanwhile): 24 hours.
	PaymentRetention = 24 * time.Hour
	// CodeRetention is how long a payment code is kept after it expired:
	// 1 hour.
	CodeRetention = time.Hour
	// MaxOrders is the most order codes kept: when that many are open and
	// unexpired, CreateOrder refuses a new one (ErrTooManyOrders).
	MaxOrders = 10000
	// MaxPayments is the most payments kept: at it, the oldest final ones
	// go, down to 99% of it, even within PaymentRetention.
	MaxPayments = 10000
	// MaxGatewayOrders is the most merchant-client orders the acquiring
	// gateway keeps: past it, the oldest whose payment is final go first.
	MaxGatewayOrders = 10000
	// pruneEvery is how often, at most, the maps are swept for expired
	// entries when no ceiling forces it.
	pruneEvery = time.Minute
)

// ErrTooManyOrders is CreateOrder's refusal when MaxOrders order codes are
// open and none has expired.
var ErrTooManyOrders = errors.New("too many open order codes")

// orderRoomLocked makes room for a new order: a sweep every pruneEvery, and
// at the ceiling a sweep, then the oldest order that is no longer payable.
// It fails when every order kept is still open and payable. Callers hold
// s.mu.
func (s *Simulator) orderRoomLocked(now time.Time) error {
	a := s.acq
	if now.Before(a.nextSweep) && len(a.orders) < MaxOrders {
		return nil
	}
	if len(a.orders) >= MaxOrders && now.Before(a.fullUntil) {
		return fmt.Errorf("%w: %d are open; wait for some to be paid or to expire", ErrTooManyOrders, len(a.orders))
	}
	a.nextSweep = now.Add(pruneEvery)
	var oldest *Order
	var firstExpiry time.Time
	for code, o := range a.orders {
		if firstExpiry.IsZero() || o.ExpiresAt.Before(firstExpiry) {
			firstExpiry = o.ExpiresAt
		}
		if now.Sub(o.ExpiresAt) > OrderRetention {
			s.forgetOrderLocked(code)
			continue
		}
		if o.Status != OrderOpen || !now.Before(o.ExpiresAt) {
			if oldest == nil || o.CreatedAt.Before(oldest.CreatedAt) {
				oldest = o
			}
		}
	}
	if len(a.orders) < MaxOrders {
		return nil
	}
	if oldest == nil {
		// Nothing can go before the first expiry, or a payment (which
		// clears fullUntil): refuse until then without sweeping again.
		a.fullUntil = firstExpiry
		return fmt.Errorf("%w: %d are open; wait for some to be paid or to expire", ErrTooManyOrders, len(a.orders))
	}
	s.forgetOrderLocked(oldest.CodeValue)
	return nil
}

// forgetOrderLocked drops an order code, and the code's link to its
// payment. Callers hold s.mu.
func (s *Simulator) forgetOrderLocked(code string) {
	delete(s.acq.orders, code)
	delete(s.byCode, code)
}

// prunePaymentsLocked forgets final payments that finished over
// PaymentRetention ago and, past MaxPayments, the oldest final ones. A
// payment in flight is never forgotten. It sweeps at most every
// pruneEvery unless the ceiling is passed. Callers hold s.mu.
func (s *Simulator) prunePaymentsLocked(now time.Time) {
	if now.Before(s.nextPaymentSweep) && len(s.order) < MaxPayments {
		return
	}
	s.nextPaymentSweep = now.Add(pruneEvery)
	excess := 0
	if len(s.order) >= MaxPayments { // down to 99%, so the next sweeps wait
		excess = len(s.order) - MaxPayments*99/100
	}
	kept := s.order[:0]
	for _, id := range s.order {
		p, ok := s.payments[id]
		if !ok {
			continue
		}
		if p.Final() && (excess > 0 || now.Sub(p.FinishedAt) > PaymentRetention) {
			delete(s.payments, id)
			if s.byCode[p.CodeValue] == id {
				delete(s.byCode, p.CodeValue)
			}
			excess--
			continue
		}
		kept = append(kept, id)
	}
	clear(s.order[len(kept):])
	s.order = kept
}

// prune sweeps the gateway's orders and refunds: an order whose payment is
// final (or that was refused) goes CancelWindow + PaymentRetention after it
// was made, or sooner, oldest first, past MaxGatewayOrders; its refunds go
// with it. It sweeps at most every pruneEvery unless the ceiling is
// passed. Callers hold g.mu (and not s.mu).
func (g *gateway) pruneLocked(now time.Time) {
	if now.Before(g.nextSweep) && len(g.orders) < MaxGatewayOrders {
		return
	}
	g.nextSweep = now.Add(pruneEvery)
	keep := g.s.timing.CancelWindow + PaymentRetention
	g.s.mu.Lock()
	final := func(o *gatewayOrder) bool {
		if o.refused != nil {
			return true
		}
		p, ok := g.s.payments[o.simID]
		return !ok || p.Final()
	}
	var forget []orderKey
	for k, o := range g.orders {
		if now.Sub(o.createdAt) > keep && final(o) {
			forget = append(forget, k)
		}
	}
	excess := len(g.orders) - len(forget) - MaxGatewayOrders + 1
	for excess > 0 {
		var oldestKey orderKey
		var oldest *gatewayOrder
		for k, o := range g.orders {
			if final(o) && (oldest == nil || o.createdAt.Before(oldest.createdAt)) && !slices.Contains(forget, k) {
				oldestKey, oldest = k, o
			}
		}
		if oldest == nil {
			break
		}
		forget = append(forget, oldestKey)
		excess--
	}
	g.s.mu.Unlock()
	if len(forget) == 0 {
		return
	}
	gone := map[*gatewayOrder]bool{}
	for _, k := range forget {
		o := g.orders[k]
		gone[o] = true
		delete(g.orders, k)
		if g.byPaymentID[o.ref.PaymentID] == o {
			delete(g.byPaymentID, o.ref.PaymentID)
		}
	}
	for k, rf := range g.refunds {
		if gone[rf.order] {
			delete(g.refunds, k)
		}
	}
}
