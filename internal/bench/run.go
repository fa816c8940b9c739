// Package bench measures the wallet against the machine's limit: it runs
// the wallet server and the Alipay+ simulator in this process on loopback,
// drives UPM payments through them, counts the RSA signatures each payment
// costs, and compares the throughput with what the cores could do if they
// only signed (mppwallet bench).
package bench

import (
	"context"
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
	// SignTime is how long the raw signing rate is measured (default 1.5 s).
	SignTime time.Duration
	// Dir is where the temporary data dir is made (default os.TempDir()).
	Dir string
	// Progress, when set, gets a line as each step starts.
	Progress io.Writer
	// Profile, when set, is called around each maximum-throughput pass
	// ("endToEnd", "server"): start before, and the function it returns
	// after (to take a CPU profile of the pass alone).
	Profile func(view string) (stop func())
}

// profile starts the profile of a view's pass, if any.
func (c Config) profile(view string) func() {
	if c.Profile == nil {
		return func() {}
	}
	return c.Profile(view)
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
		cfg.SignTime = 1500 * time.Millisecond
	}
	dir, err := os.MkdirTemp(cfg.Dir, "mppwallet-bench-")
	if err != nil {
		return Report{}, err
	}
	defer os.RemoveAll(dir)

	cfg.progress("starting the wallet server and the simulator in %s", dir)
	st, err := Start(StackConfig{Dir: dir, Timing: simulator.Timing{
		// Every code valid at once and for the whole run, so that codes
		// fetched before the timed passes can all be charged in them.
		CodeStep: time.Nanosecond, CodeValidity: time.Hour,
	}})
	if err != nil {
		return Report{}, err
	}
	defer st.Close()

	r := Report{GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH, Cores: runtime.GOMAXPROCS(0)}
	cfg.progress("measuring one core's RSA-2048 signing rate (%s)", cfg.SignTime)
	rate, err := MeasureSignRate(st.AlipayKey, cfg.SignTime)
	if err != nil {
		return r, err
	}
	r.SignRatePerSec, r.SignRateWallPerSec = rate.PerSec, rate.WallPerSec
	if r.ParallelSignRatePerSec, err = ParallelSignRate(st.AlipayKey, r.Cores, cfg.SignTime/2); err != nil {
		return r, err
	}

	hc := loadClient(max(cfg.Concurrency, maxInFlight(cfg.Concurrency)))
	defer hc.CloseIdleConnections()
	if r.EndToEnd, err = endToEnd(ctx, cfg, st, hc, r.Cores, r.SignRatePerSec); err != nil {
		return r, err
	}
	if r.Server, err = serverOnly(ctx, cfg, st, hc, r.Cores, r.SignRatePerSec); err != nil {
		return r, err
	}
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

// loadClient is the load generator's HTTP client: keep-alive connections,
// enough of them for every payment in flight.
func loadClient(conns int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = conns
	t.MaxIdleConnsPerHost = conns
	t.DisableCompression = true
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}

// warmup is the payments run before the timed passes (connections, caches,
// the ledger's pages).
func warmup(n int) int { return min(n, 50) }
