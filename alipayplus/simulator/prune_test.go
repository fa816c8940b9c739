package simulator

import (
	"fmt"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/internal/clock"
	"github.com/mppwallet/mppwallet/internal/testkit"
)

// Final payments go PaymentRetention after they finished, or oldest first
// past MaxPayments; a payment in flight stays however old it is.
func TestPaymentsArePruned(t *testing.T) {
	clk := clock.New(time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC))
	newSim := func(t *testing.T) *Simulator {
		s, err := New(Config{Key: testkit.Key(t, "private.pem"), Now: clk.Now})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		return s
	}
	add := func(s *Simulator, id string, final bool) {
		p := &Payment{RequestID: id, Status: StatusProcessing, CodeValue: "code-" + id}
		s.addPayment(p)
		if final {
			s.mu.Lock()
			p.Status, p.FinishedAt = StatusSuccess, clk.Now()
			s.byCode[p.CodeValue] = id
			s.mu.Unlock()
		}
	}
	tests := []struct {
		name      string
		run       func(s *Simulator)
		wantKept  []string
		wantGone  []string
		wantCount int
	}{
		{"within the retention, all stay", func(s *Simulator) {
			add(s, "old", true)
			clk.Add(PaymentRetention - time.Minute)
			add(s, "new", true)
		}, []string{"old", "new"}, nil, 2},
		{"past the retention, final ones go", func(s *Simulator) {
			add(s, "old", true)
			add(s, "flight", false)
			clk.Add(PaymentRetention + 2*pruneEvery)
			add(s, "new", true)
		}, []string{"flight", "new"}, []string{"old"}, 2},
		{"past the ceiling, the oldest final ones go", func(s *Simulator) {
			add(s, "flight", false)
			for i := range MaxPayments + 5 {
				add(s, fmt.Sprint("p", i), true)
			}
		}, []string{"flight", "p100", fmt.Sprint("p", MaxPayments+4)}, []string{"p0", "p99"}, MaxPayments*99/100 + 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSim(t)
			tt.run(s)
			for _, id := range tt.wantKept {
				if _, ok := s.Payment(id); !ok {
					t.Errorf("payment %s was forgotten", id)
				}
			}
			for _, id := range tt.wantGone {
				if _, ok := s.Payment(id); ok {
					t.Errorf("payment %s is still kept", id)
				}
				if _, ok := s.byCode["code-"+id]; ok {
					t.Errorf("payment %s's code still points at it", id)
				}
			}
			if n := len(s.Payments()); n != tt.wantCount {
				t.Errorf("%d payments kept, want %d", n, tt.wantCount)
			}
		})
	}
}
