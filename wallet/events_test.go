package wallet_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/wallet"
)

// nextEvent takes the event waiting on ch. The Service publishes before the
// call that caused the event returns, so it is either there or never.
func nextEvent(t *testing.T, ch <-chan wallet.Event) wallet.Event {
	t.Helper()
	select {
	case ev, ok := <-ch:
		if !ok {
			t.Fatalf("event channel: got closed, want an event")
		}
		return ev
	default:
		t.Fatalf("event: got none, want one")
		return wallet.Event{}
	}
}

// noEvent fails the test if an event is waiting on ch.
func noEvent(t *testing.T, ch <-chan wallet.Event) {
	t.Helper()
	select {
	case ev := <-ch:
		t.Errorf("event: got %s for %s (%s), want none", ev.Kind, ev.Payment.RequestID, ev.Payment.Status)
	default:
	}
}

func TestEvents(t *testing.T) {
	type want struct {
		kind   wallet.EventKind
		id     string
		status wallet.Status
	}
	tests := []struct {
		name string
		do   func(e *env)
		want []want
	}{
		{"sync success", func(e *env) { e.paid("r1", "payer", usd(100)) },
			[]want{{wallet.EventDecided, "r1", wallet.StatusSucceeded}}},
		{"sync failure", func(e *env) { e.pay(e.order("r1", "payer", usd(999999))) },
			[]want{{wallet.EventDecided, "r1", wallet.StatusFailed}}},
		{"held", func(e *env) { e.pay(e.order("r1", "asker", usd(100))) },
			[]want{{wallet.EventReceived, "r1", wallet.StatusProcessing}}},
		{"held then approved", func(e *env) {
			e.pay(e.order("r1", "asker", usd(100)))
			if _, err := e.svc.Decide(e.ctx, "r1", true, ""); err != nil {
				e.t.Fatal(err)
			}
		}, []want{{wallet.EventReceived, "r1", wallet.StatusProcessing}, {wallet.EventDecided, "r1", wallet.StatusSucceeded}}},
		{"held then declined", func(e *env) {
			e.pay(e.order("r1", "asker", usd(100)))
			if _, err := e.svc.Decide(e.ctx, "r1", false, ""); err != nil {
				e.t.Fatal(err)
			}
		}, []want{{wallet.EventReceived, "r1", wallet.StatusProcessing}, {wallet.EventDecided, "r1", wallet.StatusFailed}}},
		{"cancelled", func(e *env) {
			e.paid("r1", "payer", usd(100))
			e.cancel("r1")
			e.cancel("r1") // a repeat publishes nothing
		}, []want{{wallet.EventDecided, "r1", wallet.StatusSucceeded}, {wallet.EventCancelled, "r1", wallet.StatusCancelled}}},
		{"held then cancelled", func(e *env) {
			e.pay(e.order("r1", "asker", usd(100)))
			e.cancel("r1")
		}, []want{{wallet.EventReceived, "r1", wallet.StatusProcessing}, {wallet.EventCancelled, "r1", wallet.StatusCancelled}}},
		{"repeated pay publishes once", func(e *env) {
			e.paid("r1", "payer", usd(100))
			e.paid("r1", "payer", usd(100))
			e.paid("r1", "payer", usd(100))
		}, []want{{wallet.EventDecided, "r1", wallet.StatusSucceeded}}},
		{"rejected requests publish nothing", func(e *env) {
			e.cancel("early") // unknown: nothing happened to a payment
			for _, o := range []wallet.PayOrder{
				e.order("early", "payer", usd(100)),
				e.order("r1", "nobody", usd(100)),
				e.order("r2", "payer", usd(0)),
			} {
				if _, err := e.svc.Pay(e.ctx, o); err == nil {
					e.t.Fatalf("Pay(%s): got no error, want one", o.RequestID)
				}
			}
			if _, err := e.svc.Decide(e.ctx, "nope", true, ""); err == nil {
				e.t.Fatal("Decide(nope): got no error, want one")
			}
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.addUser("payer", usd(10000))
			e.addUser("asker", usd(10000), func(u *wallet.User) { u.Override = wallet.OverrideAsk })
			ch, stop := e.svc.Subscribe(10)
			defer stop()
			tc.do(e)
			for _, w := range tc.want {
				ev := nextEvent(t, ch)
				if ev.Kind != w.kind || ev.Payment.RequestID != w.id || ev.Payment.Status != w.status {
					t.Errorf("event: got %s %s %s, want %s %s %s", ev.Kind, ev.Payment.RequestID, ev.Payment.Status, w.kind, w.id, w.status)
				}
				if ev.Refund != nil {
					t.Errorf("event %s: got Refund %+v, want nil", ev.Kind, ev.Refund)
				}
				if !ev.At.Equal(e.clock()) {
					t.Errorf("event At: got %v, want %v", ev.At, e.clock())
				}
				if w == tc.want[len(tc.want)-1] {
					// The last event carries the payment as stored.
					wantPayment(t, ev.Payment, e.inquire(w.id))
				}
			}
			noEvent(t, ch)
		})
	}
}

func TestEventRefunded(t *testing.T) {
	e := refundEnv(t)
	ch, stop := e.svc.Subscribe(10)
	defer stop()

	o := wallet.RefundOrder{RequestID: "f1", PaymentRequestID: "r1", Amount: jpy(1500)}
	r := e.refund(o)
	ev := nextEvent(t, ch)
	if ev.Kind != wallet.EventRefunded || ev.Refund == nil || *ev.Refund != r {
		t.Fatalf("event: got %s with refund %+v, want REFUNDED with %+v", ev.Kind, ev.Refund, r)
	}
	if ev.Payment.RequestID != "r1" || ev.Payment.Refunded != 1000 {
		t.Errorf("event payment: got %s refunded %d, want r1 refunded 1000", ev.Payment.RequestID, ev.Payment.Refunded)
	}
	wantPayment(t, ev.Payment, e.inquire("r1"))

	e.refund(o) // a repeat publishes nothing
	_, err := e.svc.Refund(e.ctx, wallet.RefundOrder{RequestID: "f2", PaymentRequestID: "r1", Amount: usd(999999)})
	wantCode(t, err, wallet.CodeRefundAmountExceed)
	noEvent(t, ch)
}

func TestSubscribersEachGetEvents(t *testing.T) {
	e := newEnv(t)
	e.addUser("u1", usd(10000))
	a, stopA := e.svc.Subscribe(0) // a buffer below 1 still holds one event
	b, stopB := e.svc.Subscribe(5)
	defer stopB()

	e.paid("r1", "u1", usd(100))
	for name, ch := range map[string]<-chan wallet.Event{"a": a, "b": b} {
		if ev := nextEvent(t, ch); ev.Payment.RequestID != "r1" {
			t.Errorf("subscriber %s: got %s, want r1", name, ev.Payment.RequestID)
		}
	}

	stopA()
	if _, ok := <-a; ok {
		t.Errorf("after unsubscribe: got an event, want the channel closed")
	}
	stopA() // twice is harmless

	e.paid("r2", "u1", usd(100))
	if ev := nextEvent(t, b); ev.Payment.RequestID != "r2" {
		t.Errorf("remaining subscriber: got %s, want r2", ev.Payment.RequestID)
	}
	e.wantBalance("u1", 9800)
}

func TestFullSubscriberNeverBlocksPay(t *testing.T) {
	e := newEnv(t)
	e.addUser("u1", usd(10000))
	ch, stop := e.svc.Subscribe(1)
	defer stop()

	done := make(chan error, 1)
	go func() {
		for i := range 5 {
			if _, err := e.svc.Pay(e.ctx, e.order(fmt.Sprintf("r%d", i), "u1", usd(100))); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Pay: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Pay blocked on a subscriber that does not read")
	}
	if ev := nextEvent(t, ch); ev.Payment.RequestID != "r0" {
		t.Errorf("buffered event: got %s, want the first payment r0", ev.Payment.RequestID)
	}
	noEvent(t, ch)
	e.wantBalance("u1", 9500)
}

// TestSubscribeWhilePaying subscribes and unsubscribes while payments are
// published, for the race detector and to prove no send hits a closed
// channel.
func TestSubscribeWhilePaying(t *testing.T) {
	e := newEnv(t)
	e.addUser("u1", usd(100000))
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 30 {
			if _, err := e.svc.Pay(e.ctx, e.order(fmt.Sprintf("r%d", i), "u1", usd(100))); err != nil {
				t.Errorf("Pay: %v", err)
			}
		}
	})
	for range 4 {
		wg.Go(func() {
			for range 50 {
				ch, stop := e.svc.Subscribe(2)
				select {
				case <-ch:
				default:
				}
				stop()
				for range ch { // drains and ends: the channel is closed
				}
			}
		})
	}
	wg.Wait()
	e.wantBalance("u1", 100000-30*100)
}
