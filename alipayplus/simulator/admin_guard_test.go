package simulator_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/testkit"
)

// guardedSim serves a simulator configured with cfg (and the test key) on
// loopback and returns its URL and port.
func guardedSim(t *testing.T, cfg simulator.Config) (*simulator.Simulator, string, string) {
	t.Helper()
	cfg.Key = testkit.Key(t, "private.pem")
	sim, err := simulator.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(func() { srv.Close(); sim.Close() })
	sim.SetURL(srv.URL)
	return sim, srv.URL, srv.URL[strings.LastIndex(srv.URL, ":")+1:]
}

// guardCase is one request to the admin API and the status it must get.
type guardCase struct {
	name, method, path string
	header             map[string]string
	want               int
}

func (c guardCase) send(t *testing.T, base string) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if c.method == http.MethodPost {
		body = strings.NewReader(`{"spec":"pay:drop,count=1"}`)
	}
	req, err := http.NewRequest(c.method, base+c.path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range c.header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// checkGuard sends each case and checks its status, that a refusal is a
// JSON error, that no answer allows CORS, and that a refused request added
// no fault rule.
func checkGuard(t *testing.T, sim *simulator.Simulator, base string, cases []guardCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sim.Faults().Clear()
			resp, body := c.send(t, base)
			if resp.StatusCode != c.want {
				t.Fatalf("HTTP %d %s, want %d", resp.StatusCode, body, c.want)
			}
			for k := range resp.Header {
				if strings.HasPrefix(k, "Access-Control-") {
					t.Errorf("the answer carries %s", k)
				}
			}
			if c.want/100 != 2 {
				if !strings.HasPrefix(body, `{"error":"`) || resp.Header.Get("Content-Type") != "application/json" {
					t.Errorf("refused with %q (%s), want a JSON error", body, resp.Header.Get("Content-Type"))
				}
				if n := len(sim.Faults().List()); n != 0 {
					t.Errorf("a refused request added %d fault rules", n)
				}
			}
		})
	}
}

// With a token, the admin API checks Host, Origin and the token; health and
// the Alipay+ APIs stay open.
func TestAdminGuardWithToken(t *testing.T) {
	const tok = "s3cret-admin-token-0123456789abcdef"
	sim, base, port := guardedSim(t, simulator.Config{AdminToken: tok, AdminTokenHint: "/data/keys/sim/admin.token",
		AdminHosts: []string{"sim.lan:7576"}})
	auth := "Bearer " + tok
	checkGuard(t, sim, base, []guardCase{
		{"the token", "POST", "/sim/faults", map[string]string{"Authorization": auth}, 200},
		{"the scheme in lower case", "GET", "/sim/codes", map[string]string{"Authorization": "bearer " + tok}, 200},
		{"no token", "POST", "/sim/faults", nil, 401},
		{"a wrong token", "GET", "/sim/codes", map[string]string{"Authorization": "Bearer " + tok + "x"}, 401},
		{"a token prefix", "GET", "/sim/codes", map[string]string{"Authorization": auth[:len(auth)-1]}, 401},
		{"basic auth", "GET", "/sim/codes", map[string]string{"Authorization": "Basic " + tok}, 401},
		{"health, no token", "GET", "/sim/health", nil, 200},
		{"an unknown path, no token", "GET", "/sim/nope", nil, 401},
		{"own origin", "POST", "/sim/faults", map[string]string{"Authorization": auth, "Origin": base}, 200},
		{"own origin, the scheme in capitals", "GET", "/sim/codes", map[string]string{"Authorization": auth, "Origin": strings.ToUpper(base[:4]) + base[4:]}, 200},
		{"a foreign origin with the token", "POST", "/sim/faults", map[string]string{"Authorization": auth, "Origin": "http://evil.example"}, 403},
		{"another port of this machine", "POST", "/sim/faults", map[string]string{"Authorization": auth, "Origin": "http://127.0.0.1:8080"}, 403},
		{"Origin null", "POST", "/sim/faults", map[string]string{"Authorization": auth, "Origin": "null"}, 403},
		{"Sec-Fetch-Site cross-site", "GET", "/sim/codes", map[string]string{"Authorization": auth, "Sec-Fetch-Site": "cross-site"}, 403},
		{"Sec-Fetch-Site none (typed in the address bar)", "GET", "/sim/codes", map[string]string{"Authorization": auth, "Sec-Fetch-Site": "none"}, 200},
		{"a preflight", "OPTIONS", "/sim/faults", map[string]string{"Origin": "http://evil.example", "Access-Control-Request-Method": "POST",
			"Access-Control-Request-Headers": "authorization"}, 403},
		{"health from a foreign origin", "GET", "/sim/health", map[string]string{"Origin": "http://evil.example"}, 403},
		{"a rebinding Host", "GET", "/sim/codes", map[string]string{"Authorization": auth, "Host": "evil.example:" + port}, 421},
		{"a rebinding Host on health", "GET", "/sim/health", map[string]string{"Host": "evil.example:" + port}, 421},
		{"Host localhost", "GET", "/sim/codes", map[string]string{"Authorization": auth, "Host": "localhost:" + port}, 200},
		{"Host [::1]", "GET", "/sim/codes", map[string]string{"Authorization": auth, "Host": "[::1]:" + port}, 200},
		{"Host 127.0.0.2", "GET", "/sim/codes", map[string]string{"Authorization": auth, "Host": "127.0.0.2:" + port}, 200},
		{"Host the listen address", "GET", "/sim/codes", map[string]string{"Authorization": auth, "Host": "sim.lan:7576"}, 200},
		{"Host the listen name on another port", "GET", "/sim/codes", map[string]string{"Authorization": auth, "Host": "sim.lan:7577"}, 421},
	})

	resp, body := guardCase{method: "GET", path: "/sim/codes"}.send(t, base)
	if got := resp.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") || strings.Contains(got, "invalid_token") {
		t.Errorf("no token: WWW-Authenticate %q, want Bearer without an error", got)
	}
	if !strings.Contains(body, "/data/keys/sim/admin.token") || strings.Contains(body, tok) {
		t.Errorf("no token: %s, want the token's path and never the token", body)
	}
	resp, body = guardCase{method: "GET", path: "/sim/codes", header: map[string]string{"Authorization": "Bearer wrong"}}.send(t, base)
	if got := resp.Header.Get("WWW-Authenticate"); !strings.Contains(got, `error="invalid_token"`) || strings.Contains(body, tok) {
		t.Errorf("a wrong token: WWW-Authenticate %q, body %s", got, body)
	}
	_, body = guardCase{method: "GET", path: "/sim/health"}.send(t, base)
	if strings.Contains(body, tok) {
		t.Errorf("health shows the token: %s", body)
	}

	// The Alipay+ side is signed, not behind the token.
	resp, err := http.Post(base+alipayplus.PathInquiryCodeRules, "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"resultStatus":"S"`) {
		t.Errorf("inquiryCodeRules without a token: HTTP %d %s, want S", resp.StatusCode, b)
	}
}

// Without a token the admin API answers loopback peers without one, and
// still refuses web pages and rebinding Hosts.
func TestAdminGuardWithoutToken(t *testing.T) {
	sim, base, port := guardedSim(t, simulator.Config{})
	checkGuard(t, sim, base, []guardCase{
		{"loopback, no token", "POST", "/sim/faults", nil, 200},
		{"a foreign origin", "POST", "/sim/faults", map[string]string{"Origin": "http://evil.example", "Content-Type": "text/plain"}, 403},
		{"a rebinding Host", "GET", "/sim/codes", map[string]string{"Host": "evil.example:" + port}, 421},
		{"a preflight", "OPTIONS", "/sim/faults", map[string]string{"Origin": "http://evil.example"}, 403},
	})

	// A peer beyond this machine (the address httptest.NewRequest gives).
	r := httptest.NewRequest(http.MethodGet, "/sim/codes", nil)
	r.Host = "127.0.0.1:" + port
	w := httptest.NewRecorder()
	sim.Handler().ServeHTTP(w, r)
	if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "no token") {
		t.Errorf("a peer at %s: HTTP %d %s, want 403", r.RemoteAddr, w.Code, w.Body)
	}
}
