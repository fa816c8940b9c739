package cli

import (
	"context"
	"encoding/json"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// TestMain lets the test binary play the app's own process of 'mppwallet
// bench' (its peak-RSS run re-executes the program): with the child's
// environment variable set it runs the command line instead of the tests.
func TestMain(m *testing.M) {
	if os.Getenv(benchAppChildEnv) != "" {
		os.Exit(Run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	if os.Getenv(cliMainEnv) != "" { // the test binary as mppwallet (cli_recipe_test.go)
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
		code := Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// TestBenchJSON runs a tiny benchmark and checks what it reports: the
// views, the counted signatures per payment (two end to end: Alipay+'s
// pay request and the wallet's answer; one for the server alone), the
// ceiling and latencies filled in, the reconciliation, and the app's
// figures. It asserts no speed.
func TestBenchJSON(t *testing.T) {
	cliIsolate(t)
	stdout, stderr, code := runCLI(t, "", "bench", "--payments", "20", "--concurrency", "4", "--json", "--app-minutes", "1")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var r struct {
		GoVersion string   `json:"goVersion"`
		Cores     int      `json:"cores"`
		Checks    []string `json:"checks"`
		EndToEnd  map[string]any
		Server    map[string]any
		TUI       *struct {
			StartToFirstCodeMs float64 `json:"startToFirstCodeMs"`
			CallbackToResultMs float64 `json:"callbackToResultMs"`
			ViewMicros         float64 `json:"viewMicros"`
			PeakRSSMB          float64 `json:"peakRssMB"`
			Error              string  `json:"error"`
		} `json:"tui"`
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, stdout)
	}
	if r.GoVersion != runtime.Version() || r.Cores < 1 || len(r.Checks) == 0 {
		t.Errorf("goVersion %q, cores %d, checks %v", r.GoVersion, r.Cores, r.Checks)
	}
	for name, v := range map[string]struct {
		view map[string]any
		k    float64
	}{"endToEnd": {r.EndToEnd, 2}, "server": {r.Server, 1}} {
		for _, f := range []string{"throughputPerSec", "signRatePerSec", "signaturesPerPayment", "ceilingPerSec", "ratio", "allCoresCeilingPerSec", "allCoresRatio", "p50Ms", "p95Ms", "p99Ms"} {
			if x, ok := v.view[f].(float64); !ok || x <= 0 {
				t.Errorf("%s.%s = %v, want a positive number", name, f, v.view[f])
			}
		}
		if v.view["signaturesPerPayment"] != v.k || v.view["verificationsPerPayment"] != v.k {
			t.Errorf("%s: %v signatures and %v verifications per payment, want %v of each", name,
				v.view["signaturesPerPayment"], v.view["verificationsPerPayment"], v.k)
		}
		if v.view["errors"] != 0.0 || v.view["payments"] != 20.0 {
			t.Errorf("%s: %v errors in %v payments, want 0 in 20", name, v.view["errors"], v.view["payments"])
		}
		if p50, p99 := v.view["p50Ms"].(float64), v.view["p99Ms"].(float64); p50 > p99 {
			t.Errorf("%s: p50 %v > p99 %v", name, p50, p99)
		}
		rounds, _ := v.view["rounds"].([]any)
		sum := 0.0
		for _, x := range rounds {
			r, _ := x.(map[string]any)
			n, _ := r["payments"].(float64)
			sum += n
			if ratio, _ := r["ratio"].(float64); ratio <= 0 {
				t.Errorf("%s: round %v has no ratio", name, r)
			}
		}
		if len(rounds) != 5 || sum != 20 {
			t.Errorf("%s: %d rounds of %v payments in all, want 5 making the 20", name, len(rounds), sum)
		}
		if parts, _ := v.view["cpuBreakdown"].([]any); len(parts) < 2 || parts[0].(map[string]any)["part"] != "signing" {
			t.Errorf("%s: cpuBreakdown %v, want the parts, signing first", name, v.view["cpuBreakdown"])
		}
		if half, ok := v.view["halfRate"].(map[string]any); !ok || half["payments"] != 10.0 {
			t.Errorf("%s: half-rate pass %v, want 10 payments", name, v.view["halfRate"])
		}
	}
	// End to end, the pay call inside each charge is timed too: one per
	// payment of each pass.
	payCalls := func(v map[string]any) any {
		pc, _ := v["payCall"].(map[string]any)
		if p99, _ := pc["p99Ms"].(float64); p99 <= 0 {
			return nil
		}
		return pc["count"]
	}
	half, _ := r.EndToEnd["halfRate"].(map[string]any)
	if got, gotHalf := payCalls(r.EndToEnd), payCalls(half); got != 20.0 || gotHalf != 10.0 {
		t.Errorf("end to end: %v pay calls timed in the maximum pass and %v at half rate, want 20 and 10", got, gotHalf)
	}
	if _, ok := r.Server["payCall"]; ok {
		t.Errorf("server: payCall %v, want none (the timed call is the pay call)", r.Server["payCall"])
	}
	if r.TUI == nil || r.TUI.Error != "" || r.TUI.StartToFirstCodeMs <= 0 || r.TUI.CallbackToResultMs <= 0 || r.TUI.ViewMicros <= 0 {
		t.Fatalf("app figures: %+v", r.TUI)
	}
	if runtime.GOOS == "linux" && r.TUI.PeakRSSMB <= 0 {
		t.Errorf("peak RSS %v MB, want a reading", r.TUI.PeakRSSMB)
	}
}

func TestBenchTable(t *testing.T) {
	cliIsolate(t)
	prof := filepath.Join(t.TempDir(), "cpu")
	stdout, stderr, code := runCLI(t, "", "bench", "--payments", "10", "--no-app", "--cpuprofile", prof)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, view := range []string{"endToEnd", "server"} {
		if data, err := os.ReadFile(prof + "." + view); err != nil || len(data) == 0 {
			t.Errorf("--cpuprofile: %s.%s: %d bytes, %v", prof, view, len(data), err)
		}
	}
	for _, want := range []string{"end to end", "server", "at half rate", "K sig/pay", "ceiling/s", "ratio", "p99 ms", "the pay call alone", "ratio round by round",
		"where the CPU went", "ledger (SQLite)", "for a ratio of 0.8", "signing at once reach", "checks:"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the table lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "app:") {
		t.Errorf("--no-app still measured the app:\n%s", stdout)
	}
	if !strings.Contains(stderr, "end to end: 10 payments") {
		t.Errorf("no progress on stderr: %q", stderr)
	}
}

func TestBenchBadFlags(t *testing.T) {
	cliIsolate(t)
	for _, args := range [][]string{
		{"bench", "--payments", "0"},
		{"bench", "--concurrency", "-1"},
		{"bench", "--app-minutes", "0"},
		{"bench", "--payments", "many"},
		{"bench", "extra"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", args...)
			if code != 2 || stdout != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", code, stdout)
			}
			assertOneErrorLine(t, stderr)
		})
	}
}

// TestBenchUnwritableProfile: a --cpuprofile path that cannot be written
// fails at once, in one line, before any payment is made.
func TestBenchUnwritableProfile(t *testing.T) {
	cliIsolate(t)
	stdout, stderr, code := runCLI(t, "", "bench", "--no-app", "--cpuprofile", filepath.Join(t.TempDir(), "no", "such", "dir", "cpu"))
	if code == 0 || stdout != "" {
		t.Errorf("exit %d, stdout %q; want a failure and nothing", code, stdout)
	}
	assertOneErrorLine(t, stderr)
	if !strings.Contains(stderr, "--cpuprofile") || strings.Contains(stderr, "warm-up") {
		t.Errorf("stderr %q: want the flag named, and no payments made", stderr)
	}
}

func TestBenchHelp(t *testing.T) {
	cliIsolate(t)
	stdout, _, code := runCLI(t, "", "bench", "--help")
	for _, want := range []string{"Usage:", "Examples:", "--payments", "--concurrency", "--json", "--no-app", "--cpuprofile"} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("exit %d; help lacks %q:\n%s", code, want, stdout)
		}
	}
}
