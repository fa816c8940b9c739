package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/mppwallet/mppwallet/internal/bench"
)

func benchCmd() *command {
	return &command{
		name:    "bench",
		summary: "measure payments per second against the machine's RSA signing ceiling, and the app's latency and memory",
		usage:   "bench [--payments N] [--concurrency C] [--json] [--no-app] [--app-minutes M] [--cpuprofile FILE]",
		examples: []string{
			"mppwallet bench",
			"mppwallet bench --payments 5000 --concurrency 16",
			"mppwallet bench --json --no-app",
		},
		setup: func(fs *flag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			payments := fs.Int("payments", 1500, "payments in each maximum-throughput pass (the half-rate passes make half as many)")
			conc := fs.Int("concurrency", 8, "payments in flight at once in the maximum-throughput passes")
			asJSON := fs.Bool("json", false, "print one JSON object")
			noApp := fs.Bool("no-app", false, "skip the app's figures (start, result page, View, peak RSS)")
			appMinutes := fs.Float64("app-minutes", 10, "simulated minutes of the app's peak-RSS run")
			cpuProfile := fs.String("cpuprofile", "", "write CPU profiles of the maximum-throughput passes to `FILE`.endToEnd and FILE.server (go tool pprof)")
			return func(ctx context.Context, args []string) error {
				if v := env.getenv(benchAppChildEnv); v != "" {
					m, err := strconv.ParseFloat(v, 64)
					if err != nil || m <= 0 {
						return fmt.Errorf("%s=%q: want the simulated minutes", benchAppChildEnv, v)
					}
					return runAppChild(ctx, env, m)
				}
				switch {
				case *payments < 1:
					return usagef("bench", "--payments %d: want at least 1", *payments)
				case *conc < 1:
					return usagef("bench", "--concurrency %d: want at least 1", *conc)
				case *appMinutes <= 0:
					return usagef("bench", "--app-minutes %v: want more than 0", *appMinutes)
				}
				progress := env.stderr
				if *asJSON {
					progress = io.Discard
				}
				start := time.Now()
				cfg := bench.Config{Payments: *payments, Concurrency: *conc, Progress: progress, NewServer: newHTTPServer}
				if *cpuProfile != "" {
					cfg.Profile = profileTo(*cpuProfile, env)
				}
				r, err := bench.Run(ctx, cfg)
				if err != nil {
					return err
				}
				if !*noApp {
					fmt.Fprintf(progress, "app: start, result page, View() and a %v-minute simulated run\n", *appMinutes)
					if r.TUI, err = appFigures(ctx, env, *appMinutes); err != nil {
						return err
					}
				}
				r.Elapsed = time.Since(start).Seconds()
				if *asJSON {
					enc := json.NewEncoder(env.stdout)
					enc.SetIndent("", "  ")
					if err := enc.Encode(r); err != nil {
						return err
					}
					return failures(r)
				}
				r.WriteTable(env.stdout)
				fmt.Fprintln(env.stdout)
				return failures(r)
			}
		},
	}
}

// profileTo takes a CPU profile of each pass into PATH.VIEW; a profile
// that cannot be written is reported and skipped.
func profileTo(path string, env *cliEnv) func(view string) func() {
	return func(view string) func() {
		f, err := os.Create(path + "." + view)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(env.stderr, "mppwallet: no CPU profile of %s: %v\n", view, err)
			if f != nil {
				f.Close()
			}
			return func() {}
		}
		return func() {
			pprof.StopCPUProfile()
			f.Close()
		}
	}
}

// failures is the error of a run in which payments failed.
func failures(r bench.Report) error {
	for _, v := range []bench.View{r.EndToEnd, r.Server} {
		if v.Errors > 0 {
			return fmt.Errorf("%d payments failed; the first: %s", r.EndToEnd.Errors+r.Server.Errors, v.Error)
		}
	}
	return nil
}
