package bench

import (
	"context"
	"crypto/rsa"
	"runtime/pprof"
	"slices"
	"time"
)

// rounds is how many slices a view's maximum pass is cut into. One core's
// signing rate is measured before the first slice and after each, so that
// every slice is compared with the machine's speed around it: on a shared
// or virtual machine that speed moves by tens of percent from one second
// to the next, and a ceiling measured once, before the pass, made the
// ratio of the same build swing between 0.52 and 0.77.
const rounds = 5

// CeilingLabel is the pprof label on the signing-rate measures taken
// between rounds: a CPU profile of a view's pass holds them too, and
// `go tool pprof -tagignore bench=ceiling` leaves them out.
const CeilingLabel = "ceiling"

// Round is one slice of a maximum pass.
type Round struct {
	Payments         int     `json:"payments"`
	ThroughputPerSec float64 `json:"throughputPerSec"`
	// SignRatePerSec is one core's rate around the slice: the faster of
	// the measures just before and just after it.
	SignRatePerSec float64 `json:"signRatePerSec"`
	// Ratio is ThroughputPerSec ÷ (cores × SignRatePerSec ÷ K).
	Ratio float64 `json:"ratio"`
}

// roundSizes cuts n into k near-equal parts (n parts of 1 when n < k).
func roundSizes(n, k int) []int {
	k = max(1, min(k, n))
	out := make([]int, k)
	for i := range out {
		out[i] = n / k
		if i < n%k {
			out[i]++
		}
	}
	return out
}

// measuredRounds runs n operations (op(offset) makes the offset+i-th) at
// concurrency in rounds, measuring one core's signing rate with key for
// d/rounds before the first round and after each. It returns the rounds
// merged into one pass, each round's pass, and each round's signing rate
// (the faster of the measures on either side of it, both slowed alike by
// whatever slowed the round's payments; the faster keeps the ceiling on
// the high side).
func measuredRounds(ctx context.Context, n, concurrency int, op func(offset int) Op, offset int, key *rsa.PrivateKey, d time.Duration) (Pass, []Pass, []SignRate, error) {
	sizes := roundSizes(n, rounds)
	per := d / time.Duration(len(sizes))
	measure := func() (SignRate, error) {
		var r SignRate
		var err error
		pprof.Do(ctx, pprof.Labels("bench", CeilingLabel), func(context.Context) {
			r, err = MeasureSignRate(key, per)
		})
		return r, err
	}
	before, err := measure()
	if err != nil {
		return Pass{}, nil, nil, err
	}
	parts := make([]Pass, 0, len(sizes))
	rates := make([]SignRate, 0, len(sizes))
	for _, k := range sizes {
		p := ClosedLoop(ctx, k, concurrency, op(offset))
		offset += k
		after, err := measure()
		if err != nil {
			return Pass{}, nil, nil, err
		}
		parts = append(parts, p)
		rates = append(rates, SignRate{PerSec: max(before.PerSec, after.PerSec), WallPerSec: max(before.WallPerSec, after.WallPerSec)})
		before = after
		if ctx.Err() != nil {
			break
		}
	}
	return mergePasses(parts), parts, rates, ctx.Err()
}

// mergePasses adds passes run one after the other into one.
func mergePasses(ps []Pass) Pass {
	var out Pass
	for _, p := range ps {
		out.Ops += p.Ops
		out.Errors += p.Errors
		if out.FirstErr == nil {
			out.FirstErr = p.FirstErr
		}
		out.Elapsed += p.Elapsed
		out.Latencies = append(out.Latencies, p.Latencies...)
		out.Signed += p.Signed
		out.Verified += p.Verified
		out.CPU += p.CPU
		if out.Others >= 0 && p.Others >= 0 {
			out.Others += p.Others
		} else {
			out.Others = -1
		}
	}
	slices.Sort(out.Latencies)
	return out
}

// weightedRate is the rounds' signing rates weighted by how long each
// round ran: cores × it ÷ K is the ceiling over the whole pass.
func weightedRate(parts []Pass, rates []SignRate) SignRate {
	var t, per, wall float64
	for i, p := range parts {
		s := p.Elapsed.Seconds()
		t += s
		per += rates[i].PerSec * s
		wall += rates[i].WallPerSec * s
	}
	if t == 0 {
		return SignRate{}
	}
	return SignRate{PerSec: per / t, WallPerSec: wall / t}
}

// roundsOf describes each round against its own ceiling.
func roundsOf(parts []Pass, rates []SignRate, cores int) []Round {
	out := make([]Round, len(parts))
	for i, p := range parts {
		r := Round{Payments: p.Ops, SignRatePerSec: rates[i].PerSec}
		if p.Elapsed > 0 {
			r.ThroughputPerSec = float64(p.Ops-p.Errors) / p.Elapsed.Seconds()
		}
		if p.Ops > 0 && p.Signed > 0 && r.SignRatePerSec > 0 {
			k := float64(p.Signed) / float64(p.Ops)
			r.Ratio = r.ThroughputPerSec / (float64(cores) * r.SignRatePerSec / k)
		}
		out[i] = r
	}
	return out
}
