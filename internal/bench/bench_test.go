package bench

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name string
		lat  []time.Duration
		p    float64
		want float64
	}{
		{"none", nil, 99, 0},
		{"one", ms(7), 50, 7},
		{"median of four is the second", ms(1, 2, 3, 4), 50, 2},
		{"p99 of 1..100", ms(hundred...), 99, 99},
		{"p95 of 1..100", ms(hundred...), 95, 95},
		{"p100 is the largest", ms(hundred...), 100, 100},
	}
	for _, tt := range tests {
		if got := Percentile(tt.lat, tt.p); got != tt.want {
			t.Errorf("%s: Percentile(p%v) = %v, want %v", tt.name, tt.p, got, tt.want)
		}
	}
}

// TestPasses: both loops run every operation exactly once, count the
// failures apart from the latencies, and the open loop never has more
// operations in flight than allowed.
func TestPasses(t *testing.T) {
	const n = 200
	boom := errors.New("boom")
	for _, tt := range []struct {
		name string
		run  func(Op) Pass
		max  int32
	}{
		{"closed loop", func(op Op) Pass { return ClosedLoop(context.Background(), n, 5, op) }, 5},
		{"open loop", func(op Op) Pass { return OpenLoop(context.Background(), n, 20000, 3, op) }, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			seen := map[int]int{}
			var inFlight, most atomic.Int32
			p := tt.run(func(_ context.Context, i int) error {
				now := inFlight.Add(1)
				defer inFlight.Add(-1)
				for {
					m := most.Load()
					if now <= m || most.CompareAndSwap(m, now) {
						break
					}
				}
				mu.Lock()
				seen[i]++
				mu.Unlock()
				if i%10 == 0 {
					return boom
				}
				return nil
			})
			if len(seen) != n {
				t.Errorf("%d distinct operations ran, want %d", len(seen), n)
			}
			for i, c := range seen {
				if c != 1 {
					t.Errorf("operation %d ran %d times", i, c)
				}
			}
			if p.Ops != n || p.Errors != n/10 || !errors.Is(p.FirstErr, boom) || len(p.Latencies) != n-n/10 {
				t.Errorf("ops %d, errors %d (%v), latencies %d; want %d, %d, boom, %d", p.Ops, p.Errors, p.FirstErr, len(p.Latencies), n, n/10, n-n/10)
			}
			if m := most.Load(); m > tt.max {
				t.Errorf("%d operations in flight at once, want at most %d", m, tt.max)
			}
		})
	}
}

// TestReconcileFindsADoubleDebit: a real payment through the simulator
// reconciles; a second debit of its customer that no payment explains is
// found.
func TestReconcileFindsADoubleDebit(t *testing.T) {
	st, err := Start(StackConfig{Dir: t.TempDir(), NewServer: func(h http.Handler) *http.Server { return &http.Server{Handler: h} }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	users, err := st.AddUsers(ctx, "u", 1, openingBalance)
	if err != nil {
		t.Fatal(err)
	}
	codes, err := st.FetchCodes(ctx, users, 1)
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.Sim.Charge(ctx, simulator.ChargeRequest{Code: codes[0].Value, Amount: money.Money{Currency: "USD", Minor: chargeMinor}})
	if err != nil || p.Status != simulator.StatusSuccess {
		t.Fatalf("charge: %v %v", p.Status, err)
	}
	if _, err := reconcile(ctx, st); err != nil {
		t.Fatalf("reconcile after one payment: %v", err)
	}
	// Behind the wallet's back, as a bug that debits twice would.
	if err := st.Store.Update(ctx, func(tx wallet.Tx) error {
		u, err := tx.User(users[0])
		if err != nil {
			return err
		}
		u.Balance.Minor -= chargeMinor
		return tx.UpdateUser(u)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := reconcile(ctx, st); err == nil || !strings.Contains(err.Error(), users[0]) {
		t.Errorf("reconcile after an unexplained debit: %v, want an error naming %s", err, users[0])
	}
}
