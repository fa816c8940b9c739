// Package bench measures the wallet against the machine's limit: it runs
// the wallet server and the Alipay+ simulator in this process on loopback,
// drives UPM payments through them, counts the RSA signatures each payment
// costs, and compares the throughput with what the cores could do if they
// only signed (mppwallet bench).
package bench

import (
	"context"
	"crypto/rsa"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus/simulator"
)

// Config says how much load to make.
type Config struct {
	// Payments is the number of payments of each maximum-throughput pass
	// (the half-rate passes make half as many).
	Payments int
	// Concurrency is the payments in flight at once in the maximum passes.
	Concurrency int
	// SignTime is how long one core's raw signing rate is measured in all
	// between the rounds of each view's maximum pass (default 1 s).
	SignTime time.Duration
	// Dir is where the temporary data dir is made (default os.TempDir()).
	Dir string
	// NewServer makes the HTTP servers, with the timeouts the commands use.
	NewServer func(http.Handler) *http.Server
	// Progress, when set, gets a line as each step starts.
	Progress io.Writer
	// Profile, when set, gets the CPU profile of each maximum-throughput
	// pass ("endToEnd", "server"), encoded for go tool pprof. Every pass
	// is profiled, for the views' CPU breakdown; there is no profile when
	// another one was running already.
	Profile func(view string, data []byte)
}

func (c Config) progress(format string, args ...any) {
	if c.Progress != nil {
		fmt.Fprintf(c.Progress, format+"\n", args...)
	}
}

// Run measures the end-to-end and the server-only views.
func Run(ctx context.Context, cfg Config) (Report, error) {
	start := time.Now()
	if cfg.Payments <= 0 {
		return Report{}, fmt.Errorf("payments must be positive")
	}
	if cfg.Concurrency <= 0 {
		return Report{}, fmt.Errorf("concurrency must be positive")
	}
	if cfg.SignTime <= 0 {
		cfg.SignTime = time.Second
	}
	dir, err := os.MkdirTemp(cfg.Dir, "mppwallet-bench-")
	if err != nil {
		return Report{}, err
	}
	defer os.RemoveAll(dir)

	cfg.progress("starting the wallet server and the simulator in %s", dir)
	st, err := Start(StackConfig{Dir: dir, NewServer: cfg.NewServer, Timing: simulator.Timing{
		// Every code valid at once and for the whole run, so that codes
		// fetched before the timed passes can all be charged in them.
		CodeStep: time.Nanosecond, CodeValidity: time.Hour,
	}})
	if err != nil {
		return Report{}, err
	}
	defer st.Close()

	r := Report{GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH, Cores: runtime.GOMAXPROCS(0)}
	cfg.progress("measuring the RSA-2048 signing rate of all cores at once (%s)", cfg.SignTime/2)
	if r.ParallelSignRatePerSec, err = ParallelSignRate(st.AlipayKey, r.Cores, cfg.SignTime/2); err != nil {
		return r, err
	}

	if r.EndToEnd, err = endToEnd(ctx, cfg, st, r.Cores); err != nil {
		return r, err
	}
	r.SignRatePerSec, r.SignRateWallPerSec = r.EndToEnd.SignRatePerSec, r.EndToEnd.SignRateWallPerSec
	if r.Server, err = serverOnly(ctx, cfg, st, r.Cores); err != nil {
		return r, err
	}
	r.EndToEnd.setAllCores(r.ParallelSignRatePerSec)
	r.Server.setAllCores(r.ParallelSignRatePerSec)
	checks, err := reconcile(ctx, st)
	if err != nil {
		return r, err
	}
	r.Checks = checks
	r.Elapsed = time.Since(start).Seconds()
	return r, nil
}

// maxInFlight bounds the open-loop passes: enough for the rate to hold
// through a stall, not so many that a stall turns into a stampede.
func maxInFlight(concurrency int) int { return max(64, 4*concurrency) }

// warmup is the payments run before the timed passes (connections, caches,
// the ledger's pages).
func (c Config) warmup() int { return min(c.Payments, 50) }

// half is the payments of a half-rate pass.
func (c Config) half() int { return max(1, c.Payments/2) }

// total is the payments of a view: warm-up, maximum and half-rate passes.
func (c Config) total() int { return c.warmup() + c.Payments + c.half() }

// passes runs a view's passes with op(offset) making the offset+i-th
// payment: the warm-up, the maximum pass (closed loop at the configured
// concurrency, in rounds with one core's signing rate measured with key
// around each, CPU-profiled as profileName) and the half-rate pass (open
// loop at half the throughput the maximum pass reached). calls, when not
// nil, times the pay calls inside the payments of each pass.
func passes(ctx context.Context, cfg Config, name, profileName string, op func(offset int) Op, cores int, key *rsa.PrivateKey, calls *payCalls) (View, error) {
	n, w := cfg.Payments, cfg.warmup()
	cfg.progress("%s: %d warm-up payments", name, w)
	if r := ClosedLoop(ctx, w, cfg.Concurrency, op(0)); r.Errors > 0 {
		return View{}, fmt.Errorf("%s warm-up: %d of %d payments failed: %v", name, r.Errors, w, r.FirstErr)
	}
	calls.take() // the warm-up's
	sizes := roundSizes(n, rounds)
	cfg.progress("%s: %d payments, %d at a time, in %d rounds, one core's RSA-2048 signing rate measured before and after each (%s in all)",
		name, n, cfg.Concurrency, len(sizes), cfg.SignTime/time.Duration(len(sizes))*time.Duration(len(sizes)+1))
	prof, profiling := startProfile()
	maxPass, parts, rates, err := measuredRounds(ctx, n, cfg.Concurrency, op, w, key, cfg.SignTime)
	var data []byte
	if profiling {
		data = prof.stop()
	}
	if err != nil {
		return View{}, err
	}
	v := newView(maxPass, cfg.Concurrency, cores, weightedRate(parts, rates))
	v.Rounds = roundsOf(parts, rates, cores)
	v.PayCall = calls.take()
	if data != nil {
		if cfg.Profile != nil {
			cfg.Profile(profileName, data)
		}
		if v.CPUBreakdown, err = Breakdown(data, v.CPUMsPerPayment); err != nil {
			return v, fmt.Errorf("%s: reading the CPU profile: %w", name, err)
		}
	}
	if v.ThroughputPerSec > 0 {
		rate := v.ThroughputPerSec / 2
		cfg.progress("%s: %d payments at %.0f/s (half the maximum)", name, cfg.half(), rate)
		v.addHalf(OpenLoop(ctx, cfg.half(), rate, maxInFlight(cfg.Concurrency), op(w+n)), rate)
		v.Half.PayCall = calls.take()
	}
	return v, ctx.Err()
}
