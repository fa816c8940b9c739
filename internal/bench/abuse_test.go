package bench

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// BenchmarkAbuse drives issue 18's abusive loads against a real 'sim' and
// 'serve', each on a fresh data dir in a fresh process, and reports their
// resident memory before the load, at its peak and a moment after
// (before-MB, peak-MB, after-MB). The targets: the simulator stays under
// 100 MB, the wallet server under 60 MB. The binary is built from this
// tree unless MPPWALLET_BIN names one (to measure another version):
//
//	go test ./internal/bench -run '^$' -bench Abuse -benchtime 1x -v
//	MPPWALLET_BIN=/tmp/old/mppwallet go test ./internal/bench -run '^$' -bench Abuse -benchtime 1x -v
func BenchmarkAbuse(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads /proc/PID/status")
	}
	bin := abuseBinary(b)
	const mib = 1 << 20
	loads := []struct {
		cmd  string
		load AbuseLoad
	}{
		{"sim", AbuseLoad{Name: "sim-300x1MiB", Bodies: 300, BodyBytes: mib, Path: alipayplus.PathGetPaymentCode, Transcript: true}},
		{"sim", AbuseLoad{Name: "sim-400x1MiB", Bodies: 400, BodyBytes: mib, Path: alipayplus.PathGetPaymentCode, Transcript: true}},
		{"sim", AbuseLoad{Name: "sim-50000-orders", Orders: 50000}},
		{"serve", AbuseLoad{Name: "serve-400x1MiB", Bodies: 400, BodyBytes: mib, Path: alipayplus.PathPay}},
	}
	for _, l := range loads {
		b.Run(l.load.Name, func(b *testing.B) {
			var r AbuseResult
			for range b.N {
				r = runAbuseOnce(b, bin, l.cmd, l.load)
			}
			b.Log(r.String(), r.Statuses)
			b.ReportMetric(float64(r.BeforeKB)/1024, "before-MB")
			b.ReportMetric(float64(r.PeakKB)/1024, "peak-MB")
			b.ReportMetric(float64(r.AfterKB)/1024, "after-MB")
		})
	}
}

// abuseBinary is MPPWALLET_BIN, or the binary built from this tree.
func abuseBinary(b *testing.B) string {
	if bin := os.Getenv("MPPWALLET_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(b.TempDir(), "mppwallet")
	out, err := exec.Command("go", "build", "-o", bin, "../..").CombinedOutput()
	if err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// runAbuseOnce starts 'mppwallet CMD' on a fresh data dir, waits for its
// run file, sends the load and stops the process.
func runAbuseOnce(b *testing.B, bin, cmd string, load AbuseLoad) AbuseResult {
	b.StopTimer()
	dir := b.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	p := exec.CommandContext(ctx, bin, cmd, "--listen", "127.0.0.1:0", "--data", dir)
	if err := p.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = p.Process.Kill(); _ = p.Wait() }()
	base := waitRunURL(b, filepath.Join(dir, "run", cmd+".json"))
	token := ""
	if raw, err := os.ReadFile(filepath.Join(dir, "keys", "sim", "admin.token")); err == nil {
		token = strings.TrimSpace(string(raw))
	}
	time.Sleep(500 * time.Millisecond) // let start-up garbage settle before "before"
	b.StartTimer()
	r, err := RunAbuse(ctx, base, token, p.Process.Pid, load, 2*time.Second)
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// waitRunURL polls a run file until it names a URL.
func waitRunURL(b *testing.B, path string) string {
	for range 200 {
		var rf struct {
			URL string `json:"url"`
		}
		if raw, err := os.ReadFile(path); err == nil && json.Unmarshal(raw, &rf) == nil && rf.URL != "" {
			return rf.URL
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.Fatalf("%s never named the server's URL", path)
	return ""
}
