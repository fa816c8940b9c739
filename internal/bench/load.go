package bench

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// Op is one timed operation, the i-th of a run (one payment). It returns an
// error when the operation did not come out as it must.
type Op func(ctx context.Context, i int) error

// Pass is what one pass of operations measured.
type Pass struct {
	Ops    int
	Errors int
	// FirstErr is the first error an operation returned.
	FirstErr error
	Elapsed  time.Duration
	// Latencies are the operations' latencies, sorted.
	Latencies []time.Duration
	// Signed and Verified are the RSA operations done by the whole process
	// while the pass ran.
	Signed, Verified uint64
	// CPU is the process's CPU time (user and system) while the pass ran;
	// Others the CPU time of everything else on the machine (-1: unknown).
	CPU, Others time.Duration
}

// window measures the RSA work and CPU time of a pass.
type window struct {
	signed, verified uint64
	cpu, machine     time.Duration
	start            time.Time
}

func openWindow() window {
	s, v := alipayplus.SignatureCounts()
	return window{signed: s, verified: v, cpu: processCPU(), machine: machineCPU(), start: time.Now()}
}

func (w window) close(r *Pass) {
	r.Elapsed = time.Since(w.start)
	s, v := alipayplus.SignatureCounts()
	r.Signed, r.Verified = s-w.signed, v-w.verified
	r.CPU = processCPU() - w.cpu
	r.Others = -1
	if m := machineCPU(); w.machine >= 0 && m >= 0 {
		r.Others = max(0, m-w.machine-r.CPU)
	}
}

// recorder collects latencies and errors from concurrent operations.
type recorder struct {
	mu   sync.Mutex
	lat  []time.Duration
	errs int
	err  error
}

func (r *recorder) add(d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.errs++
		if r.err == nil {
			r.err = err
		}
		return
	}
	r.lat = append(r.lat, d)
}

func (r *recorder) result(n int, w window) Pass {
	out := Pass{Ops: n}
	w.close(&out)
	r.mu.Lock()
	defer r.mu.Unlock()
	out.Errors, out.FirstErr = r.errs, r.err
	out.Latencies = slices.Clone(r.lat)
	slices.Sort(out.Latencies)
	return out
}

// ClosedLoop runs op n times, with concurrency operations in flight at
// any time (each worker starts its next operation when the last one ends):
// the pass measures the maximum throughput.
func ClosedLoop(ctx context.Context, n, concurrency int, op Op) Pass {
	concurrency = max(1, min(concurrency, n))
	var next atomic.Int64
	rec := &recorder{lat: make([]time.Duration, 0, n)}
	w := openWindow()
	var wg sync.WaitGroup
	for range concurrency {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				start := time.Now()
				err := op(ctx, i)
				rec.add(time.Since(start), err)
			}
		})
	}
	wg.Wait()
	return rec.result(n, w)
}

// OpenLoop starts op n times at a fixed rate per second, whatever the
// answers do, with at most maxInFlight operations at once. A latency is
// measured from when the operation was due, so a stalled server cannot hide
// the wait of the operations queued behind it.
func OpenLoop(ctx context.Context, n int, rate float64, maxInFlight int, op Op) Pass {
	rec := &recorder{lat: make([]time.Duration, 0, n)}
	sem := make(chan struct{}, max(1, maxInFlight))
	interval := time.Duration(float64(time.Second) / rate)
	w := openWindow()
	var wg sync.WaitGroup
	for i := range n {
		due := w.start.Add(time.Duration(i) * interval)
		if d := time.Until(due); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-ctx.Done():
				t.Stop()
			case <-t.C:
			}
		}
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			err := op(ctx, i)
			rec.add(time.Since(due), err)
		})
	}
	wg.Wait()
	return rec.result(n, w)
}

// Percentile is the p-th percentile (0 < p <= 100) of sorted latencies by
// the nearest-rank method, in milliseconds; 0 for none.
func Percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(float64(len(sorted))*p/100+0.999999999) - 1
	rank = max(0, min(rank, len(sorted)-1))
	return ms(sorted[rank])
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
