package bench

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
	"time"
)

func TestRoundSizes(t *testing.T) {
	for _, tt := range []struct {
		n, k int
		want []int
	}{
		{1500, 5, []int{300, 300, 300, 300, 300}},
		{1502, 5, []int{301, 301, 300, 300, 300}},
		{3, 5, []int{1, 1, 1}},
		{1, 5, []int{1}},
	} {
		if got := roundSizes(tt.n, tt.k); !slices.Equal(got, tt.want) {
			t.Errorf("roundSizes(%d, %d) = %v, want %v", tt.n, tt.k, got, tt.want)
		}
	}
}

// TestRoundsAgainstTheirOwnCeiling: a round run while the machine was
// slow is compared with the slow signing rate measured around it, and the
// view's ceiling is the rates weighted by the rounds' durations.
func TestRoundsAgainstTheirOwnCeiling(t *testing.T) {
	boom := errors.New("boom")
	parts := []Pass{
		// 600 payments in 1 s at 2 signatures each, the machine at full speed.
		{Ops: 600, Elapsed: time.Second, Signed: 1200, Verified: 1200, CPU: 2 * time.Second, Others: 0,
			Latencies: []time.Duration{3, 1}},
		// 300 payments in 1 s while something else held the machine: half the
		// speed, so the same ratio.
		{Ops: 300, Errors: 1, FirstErr: boom, Elapsed: time.Second, Signed: 600, Verified: 600, CPU: 2 * time.Second, Others: -1,
			Latencies: []time.Duration{2}},
	}
	rates := []SignRate{{PerSec: 1000, WallPerSec: 900}, {PerSec: 500, WallPerSec: 450}}

	rs := roundsOf(parts, rates, 2)
	if len(rs) != 2 || rs[0].Payments != 600 || rs[1].Payments != 300 {
		t.Fatalf("rounds %+v", rs)
	}
	// Ceiling of round 1: 2 × 1000 ÷ 2 = 1000/s; 600/s is 0.6 of it.
	// Round 2: 2 × 500 ÷ 2 = 500/s; 299/s is 0.598 of it.
	if math.Abs(rs[0].Ratio-0.6) > 1e-9 || math.Abs(rs[1].Ratio-0.598) > 1e-9 {
		t.Errorf("round ratios %.4f %.4f, want 0.6000 0.5980", rs[0].Ratio, rs[1].Ratio)
	}
	if w := weightedRate(parts, rates); w.PerSec != 750 || w.WallPerSec != 675 {
		t.Errorf("weighted rate %+v, want 750 and 675 (equal durations)", w)
	}

	m := mergePasses(parts)
	if m.Ops != 900 || m.Errors != 1 || !errors.Is(m.FirstErr, boom) || m.Elapsed != 2*time.Second ||
		m.Signed != 1800 || m.CPU != 4*time.Second || m.Others != -1 {
		t.Errorf("merged %+v", m)
	}
	if !slices.Equal(m.Latencies, []time.Duration{1, 2, 3}) {
		t.Errorf("merged latencies %v, want sorted 1 2 3", m.Latencies)
	}
	v := newView(m, 8, 2, weightedRate(parts, rates))
	// 899 payments in 2 s against a ceiling of 2 × 750 ÷ 2 = 750/s.
	if math.Abs(v.CeilingPerSec-750) > 1e-9 || math.Abs(v.Ratio-449.5/750) > 1e-9 {
		t.Errorf("view ceiling %.2f ratio %.4f, want 750 and %.4f", v.CeilingPerSec, v.Ratio, 449.5/750)
	}
}

// TestMeasuredRoundsRunsEveryPaymentOnce: the rounds together run each of
// the n operations once, from the offset on, and measure the rate around
// each round.
func TestMeasuredRoundsRunsEveryPaymentOnce(t *testing.T) {
	_, alipay, _, err := Keys()
	if err != nil {
		t.Fatal(err)
	}
	const n, offset = 23, 7
	seen := make([]int, offset+n)
	op := func(off int) Op {
		return func(_ context.Context, i int) error {
			seen[off+i]++ // concurrency 1: no race
			return nil
		}
	}
	m, parts, rates, err := measuredRounds(context.Background(), n, 1, op, offset, alipay, 30*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range seen {
		if want := map[bool]int{true: 0, false: 1}[i < offset]; c != want {
			t.Errorf("operation %d ran %d times, want %d", i, c, want)
		}
	}
	if m.Ops != n || len(parts) != rounds || len(rates) != rounds {
		t.Errorf("%d ops in %d rounds with %d rates, want %d in %d", m.Ops, len(parts), len(rates), n, rounds)
	}
	for i, r := range rates {
		if r.PerSec <= 0 {
			t.Errorf("round %d: no signing rate", i)
		}
	}
}
