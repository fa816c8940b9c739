package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// cliLongRun is a long-running command (serve, sim) in a goroutine.
type cliLongRun struct {
	stdout, stderr *cliSyncBuffer
	done           chan int
}

// cliStartLong runs args until the test ends.
func cliStartLong(t *testing.T, args ...string) *cliLongRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &cliLongRun{stdout: &cliSyncBuffer{}, stderr: &cliSyncBuffer{}, done: make(chan int, 1)}
	go func() { r.done <- Run(ctx, args, strings.NewReader(""), r.stdout, r.stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(10 * time.Second):
			t.Errorf("%v did not stop", args)
		}
	})
	return r
}

// firstLine waits for the first whole line on stdout.
func (r *cliLongRun) firstLine(t *testing.T) string {
	t.Helper()
	var line string
	cliWaitFor(t, "the first line on stdout", func() bool {
		select {
		case code := <-r.done:
			r.done <- code
			t.Fatalf("exited %d before its first line; stderr:\n%s", code, r.stderr.String())
		default:
		}
		out := r.stdout.String()
		i := strings.IndexByte(out, '\n')
		if i < 0 {
			return false
		}
		line = out[:i]
		return true
	})
	return line
}

// TestServeAndSimJSONStartWithReady: with --json the first line on stdout
// is the ready event, the URL in it answers at once, and it names the data
// dir and what else a script needs; serve started beside a running sim
// names it as its gateway.
func TestServeAndSimJSONStartWithReady(t *testing.T) {
	dir := cliSimDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--balance", "10.00", "--currency", "USD")
	sim := cliStartLong(t, "sim", "--listen", "127.0.0.1:0", "--data", dir, "--json", "--no-magic")
	var simReady readyEvent
	if line := sim.firstLine(t); json.Unmarshal([]byte(line), &simReady) != nil {
		t.Fatalf("sim's first line is not JSON: %q", line)
	}
	serve := cliStartLong(t, "serve", "--listen", "127.0.0.1:0", "--data", dir, "--json")
	var serveReady readyEvent
	if line := serve.firstLine(t); json.Unmarshal([]byte(line), &serveReady) != nil {
		t.Fatalf("serve's first line is not JSON: %q", line)
	}
	tests := []struct {
		name  string
		got   readyEvent
		check func(e readyEvent) bool
		probe string // a GET on it answers
	}{
		{"sim", simReady, func(e readyEvent) bool {
			return e.GatewayURL == e.URL+"/ams/api/v1/payments/pay" && e.AdminURL == e.URL+"/sim/" &&
				e.Magic != nil && !*e.Magic && e.Wallet == "" && e.PayURL == ""
		}, simReady.URL + "/sim/health"},
		{"serve", serveReady, func(e readyEvent) bool {
			return e.PayURL == e.URL+"/aps/api/v1/payments/pay" && e.Gateway == simReady.URL && e.GatewayURL == "" && e.Magic == nil
		}, serveReady.URL + "/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.got
			if e.Event != "ready" || e.Command != tt.name || !strings.HasPrefix(e.URL, "http://127.0.0.1:") || e.DataDir != dir ||
				e.PID <= 0 || e.ClientID == "" || !tt.check(e) {
				t.Fatalf("ready = %+v", e)
			}
			resp, err := http.Get(tt.probe)
			if err != nil {
				t.Fatalf("GET %s right after ready: %v", tt.probe, err)
			}
			resp.Body.Close()
		})
	}
	// The lines after it are the usual events: a charge shows on both.
	code := cliSimCode(t, dir, "alice")
	if _, _, exit := cliSimCharge(t, dir, code, "1.51", "USD"); exit != 0 {
		t.Fatalf("a charge with magic off: exit %d", exit)
	}
	cliWaitFor(t, "serve's DECIDED event", func() bool { return strings.Contains(serve.stdout.String(), `"event":"DECIDED"`) })
	for _, r := range []*cliLongRun{sim, serve} {
		if n := strings.Count(r.stdout.String(), `"event":"ready"`); n != 1 {
			t.Errorf("%d ready events:\n%s", n, r.stdout.String())
		}
	}
}

// TestServeAndSimSayWhereTheyRun: without --json, both start by naming
// their address and data dir on stdout, and print no ready event.
func TestServeAndSimSayWhereTheyRun(t *testing.T) {
	dir := cliSimDataDir(t)
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"sim", []string{"sim", "--listen", "127.0.0.1:0", "--data", dir}, []string{"  listening   http://127.0.0.1:", "  data        " + dir + "\n"}},
		{"serve", []string{"serve", "--listen", "127.0.0.1:0", "--data", dir}, []string{"  listening  http://127.0.0.1:", "  data       " + dir + "\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cliStartLong(t, tt.args...)
			cliWaitFor(t, "the banner", func() bool { return strings.Contains(r.stdout.String(), tt.want[len(tt.want)-1]) })
			out := r.stdout.String()
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(out, `"event"`) {
				t.Errorf("a ready event without --json:\n%s", out)
			}
		})
	}
}
