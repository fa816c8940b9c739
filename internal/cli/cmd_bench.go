package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/spf13/pflag"

	"github.com/mppwallet/mppwallet/internal/bench"
)

func benchCmd() *command {
	return &command{
		name:    "bench",
		summary: "measure payments per second against the machine's RSA signing ceiling, and the app's latency and memory",
		use:     "[flags]",
		examples: []string{
			"mppwallet bench",
			"mppwallet bench --payments 5000 --concurrency 16",
			"mppwallet bench --json --no-app",
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			payments := fs.Int("payments", 1500, "payments in each maximum-throughput pass (the half-rate passes make half as many)")
			conc := fs.Int("concurrency", 8, "payments in flight at once in the maximum-throughput passes")
			asJSON := fs.Bool("json", false, "print one JSON object")
			noApp := fs.Bool("no-app", false, "skip the app's figures (start, result page, View, peak RSS)")
			appMinutes := fs.Float64("app-minutes", 10, "simulated minutes of the app's peak-RSS run")
			cpuProfile := fs.String("cpuprofile", "", "write the CPU profiles of the maximum-throughput passes (the breakdown is made from them) to `FILE`.endToEnd and FILE.server (go tool pprof)")
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
					write, closeAll, err := profileTo(*cpuProfile, env)
					if err != nil {
						return err
					}
					defer closeAll()
					cfg.Profile = write
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

// profileTo creates PATH.endToEnd and PATH.server at once (so that a path
// that cannot be written fails before the run, not after it) and returns
// the hook that writes each view's profile into its file; a write that
// fails is reported and the run goes on.
func profileTo(path string, env *cliEnv) (write func(view string, data []byte), closeAll func(), err error) {
	files := map[string]*os.File{}
	closeAll = func() {
		for _, f := range files {
			f.Close()
		}
	}
	for _, view := range []string{"endToEnd", "server"} {
		f, err := os.Create(path + "." + view)
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("--cpuprofile: %w", err)
		}
		files[view] = f
	}
	write = func(view string, data []byte) {
		if f := files[view]; f != nil {
			if _, err := f.Write(data); err != nil {
				fmt.Fprintf(env.stderr, "mppwallet: the CPU profile of %s: %v\n", view, err)
			}
		}
	}
	return write, closeAll, nil
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
