package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Servers bind loopback by default; told to listen where other machines
// can reach them, they say so on stderr.
func TestNonLoopbackListenWarns(t *testing.T) {
	dir := cliSimDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--balance", "10.00")
	for _, c := range []struct {
		name   string
		listen string
		start  func(args ...string) (stderr func() string, stop func())
		want   []string
	}{
		{"serve", "0.0.0.0:0", func(args ...string) (func() string, func()) {
			s := cliStartServe(t, dir, args...)
			return s.stderr.String, func() { s.stop(t) }
		}, []string{"WARNING: the wallet server listens on [::]:", "other machines can reach", "--listen 127.0.0.1:"}},
		{"sim", ":0", func(args ...string) (func() string, func()) {
			s := cliSimStart(t, dir, args...)
			return s.stderr.String, func() { s.stop(t) }
		}, []string{"WARNING: the simulator listens on [::]:", "still needs the token in " + filepath.Join(dir, "keys", "sim", "admin.token"), "--listen 127.0.0.1:"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			stderr, stop := c.start("--listen", c.listen)
			got := stderr()
			stop()
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("--listen %s: stderr lacks %q:\n%s", c.listen, w, got)
				}
			}
			if n := strings.Count(got, "WARNING"); n != 1 {
				t.Errorf("want one warning line, got %d:\n%s", n, got)
			}
			stderr, stop = c.start() // 127.0.0.1:0
			got = stderr()
			stop()
			if strings.Contains(got, "WARNING") {
				t.Errorf("loopback: stderr warns:\n%s", got)
			}
		})
	}
	// The defaults are loopback.
	for _, cmd := range []string{"serve", "sim"} {
		stdout, _, _ := runCLI(t, "", cmd, "--help")
		if !strings.Contains(strings.Join(strings.Fields(stdout), " "), `(default "127.0.0.1:`) {
			t.Errorf("%s --help does not show a loopback default --listen:\n%s", cmd, stdout)
		}
	}
}

// cliHost is host:port of a base URL.
func cliHost(t *testing.T, base string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// Slow clients (slowloris: headers that never end; bodies that stop
// coming) are cut off by the servers' timeouts, and while they hang the
// servers go on answering everyone else.
func TestSlowClientsAreCutOff(t *testing.T) {
	w := cliSimStartWorld(t)
	type slow struct {
		server string
		conn   net.Conn
		kind   string
	}
	var conns []slow
	for _, server := range []struct{ name, url, path string }{
		{"serve", w.serve.state.URL, "/aps/api/v1/payments/pay"}, {"sim", w.sim.state.URL, "/aps/api/v1/payments/notifyPayment"}} {
		host := cliHost(t, server.url)
		for i := range 12 {
			c, err := net.Dial("tcp", host)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close() })
			if i%3 == 2 {
				// Complete headers, then a body that stops after 10 of 1000 bytes.
				fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"a\":\"bcd\"", server.path, host)
				conns = append(conns, slow{server.name, c, "body"})
				continue
			}
			// Headers that never end.
			fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: %s\r\nX-Slow: ", server.path, host)
			conns = append(conns, slow{server.name, c, "header"})
		}
	}
	// Meanwhile both servers answer at once.
	req, _ := http.NewRequest(http.MethodPost, w.serve.state.URL+"/aps/api/v1/payments/pay", strings.NewReader("{}"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("serve while slow clients hang: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "INVALID_CLIENT") {
		t.Errorf("serve answered %q, want INVALID_CLIENT", body)
	}
	if resp, err := http.Get(w.sim.state.URL + "/sim/health"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("sim while slow clients hang: %v", err)
	} else {
		resp.Body.Close()
	}
	// Every slow connection is closed (or answered and closed) by the
	// server: headers within ReadHeaderTimeout (5 s), bodies within
	// ReadTimeout (10 s). The test gives up at 20 s.
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]string, len(conns))
	for i, s := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = s.conn.SetReadDeadline(start.Add(20 * time.Second))
			b, err := io.ReadAll(bufio.NewReader(s.conn))
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				errs[i] = fmt.Sprintf("%s: a client with a slow %s was not cut off in 20 s", s.server, s.kind)
				return
			}
			if s.kind == "body" && len(b) > 0 && !strings.Contains(string(b), "PARAM_ILLEGAL") {
				errs[i] = fmt.Sprintf("%s: a slow body was answered %q, want PARAM_ILLEGAL or nothing", s.server, b)
			}
		}()
	}
	wg.Wait()
	for _, e := range errs {
		if e != "" {
			t.Error(e)
		}
	}
	t.Logf("%d slow connections cut off after %s", len(conns), time.Since(start).Round(100*time.Millisecond))
	// And both still serve.
	if resp, err := http.Get(w.sim.state.URL + "/sim/health"); err != nil || resp.StatusCode != 200 {
		t.Errorf("sim after the slow clients: %v", err)
	} else {
		resp.Body.Close()
	}
}

// A request with headers over MaxHeaderBytes is refused with HTTP 431
// before any handler runs; the servers keep serving.
func TestHugeHeadersRefused(t *testing.T) {
	w := cliSimStartWorld(t)
	for _, base := range []string{w.serve.state.URL + "/aps/api/v1/payments/pay", w.sim.state.URL + "/sim/charge"} {
		req, _ := http.NewRequest(http.MethodPost, base, strings.NewReader("{}"))
		req.Header.Set("X-Padding", strings.Repeat("p", 200<<10))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", base, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("%s with a 200 KB header: HTTP %d, want 431", base, resp.StatusCode)
		}
	}
	if resp, err := http.Get(w.sim.state.URL + "/sim/health"); err != nil || resp.StatusCode != 200 {
		t.Errorf("sim after a huge header: %v", err)
	} else {
		resp.Body.Close()
	}
}
