package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The abusive loads of issue 18, sent from outside to a running 'sim' or
// 'serve': requests that need no credentials (bodies) or only the admin
// token (orders), and what they did to the process's resident memory.
// BenchmarkAbuse (abuse_test.go) starts the binary and drives them.

// AbuseLoad is one abusive load and its size.
type AbuseLoad struct {
	// Name names the load in reports.
	Name string
	// Bodies POSTs of BodyBytes each, with no header but Content-Length,
	// go to Path.
	Bodies    int
	BodyBytes int
	Path      string
	// Orders POST /sim/orders go with the admin token.
	Orders int
	// Transcript, after the flood, reads GET /sim/transcript?since=0 once.
	Transcript bool
}

// AbuseResult is what one load did.
type AbuseResult struct {
	Load AbuseLoad
	// BeforeKB, PeakKB and AfterKB are VmRSS before the load, VmHWM after
	// it (the process's peak) and VmRSS a moment after it, in KiB.
	BeforeKB, PeakKB, AfterKB int64
	// FloodKB is VmRSS right after the flood, before the transcript is read.
	FloodKB int64
	// Sent is how many requests went; Failed how many got no answer (a
	// server may close the connection on a body it refused unread).
	Sent, Failed int64
	// Statuses counts the answers by HTTP status.
	Statuses map[int]int64
	// TranscriptBytes is the size of the transcript's answer, if read.
	TranscriptBytes int64
}

// String is the result as one report line, in MB.
func (r AbuseResult) String() string {
	mb := func(kb int64) float64 { return float64(kb) / 1024 }
	s := fmt.Sprintf("%-22s RSS before %6.1f MB  peak %6.1f MB  after %6.1f MB  (%d sent, %d without answer)",
		r.Load.Name, mb(r.BeforeKB), mb(r.PeakKB), mb(r.AfterKB), r.Sent, r.Failed)
	if r.Load.Transcript {
		s += fmt.Sprintf("  RSS after the flood %.1f MB, transcript answer %.1f MB", mb(r.FloodKB), float64(r.TranscriptBytes)/(1<<20))
	}
	return s
}

// abuseWorkers is how many requests are in flight at once.
const abuseWorkers = 4

// RunAbuse sends load to the server at base (http://host:port) whose
// process is pid, with token for the admin API, and measures its memory;
// settle is how long it waits after the load before reading "after".
func RunAbuse(ctx context.Context, base, token string, pid int, load AbuseLoad, settle time.Duration) (AbuseResult, error) {
	res := AbuseResult{Load: load, Statuses: map[int]int64{}}
	var err error
	if res.BeforeKB, _, err = ProcessRSS(pid); err != nil {
		return res, err
	}
	hc := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: abuseWorkers}}
	var mu sync.Mutex
	count := func(status int, failed bool) {
		mu.Lock()
		defer mu.Unlock()
		res.Sent++
		if failed {
			res.Failed++
			return
		}
		res.Statuses[status]++
	}
	body := bytes.Repeat([]byte("a"), load.BodyBytes)
	order := []byte(`{"amount":"1.00","currency":"USD","description":"abuse"}`)
	send := func(kind int) {
		var req *http.Request
		if kind == 0 {
			req, _ = http.NewRequestWithContext(ctx, http.MethodPost, base+load.Path, bytes.NewReader(body))
		} else {
			req, _ = http.NewRequestWithContext(ctx, http.MethodPost, base+"/sim/orders", bytes.NewReader(order))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := hc.Do(req)
		if err != nil {
			count(0, true)
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		count(resp.StatusCode, false)
	}
	flood(load.Bodies, func() { send(0) })
	flood(load.Orders, func() { send(1) })
	if res.FloodKB, _, err = ProcessRSS(pid); err != nil {
		return res, err
	}
	if load.Transcript {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/sim/transcript?since=0", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if resp, err := hc.Do(req); err == nil {
			res.TranscriptBytes, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	hc.CloseIdleConnections()
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if _, res.PeakKB, err = ProcessRSS(pid); err != nil {
		return res, err
	}
	select {
	case <-time.After(settle):
	case <-ctx.Done():
		return res, ctx.Err()
	}
	res.AfterKB, _, err = ProcessRSS(pid)
	return res, err
}

// flood runs fn n times on abuseWorkers goroutines.
func flood(n int, fn func()) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range abuseWorkers {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				fn()
			}
		})
	}
	wg.Wait()
}

// ProcessRSS reads a process's resident set (VmRSS) and its peak (VmHWM),
// in KiB, from /proc/PID/status (Linux only).
func ProcessRSS(pid int) (rssKB, hwmKB int64, err error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, 0, fmt.Errorf("bench: reading the memory of process %d: %w", pid, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if name == "VmRSS" {
			rssKB = kb
		} else {
			hwmKB = kb
		}
	}
	return rssKB, hwmKB, sc.Err()
}
