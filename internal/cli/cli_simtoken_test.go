package cli

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mppwallet/mppwallet/alipayplus/simulator/simclient"
)

// cliSimToken is the admin token of data dir dir's simulators.
func cliSimToken(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(dataDir{root: dir}.simAdminTokenPath())
	if err != nil {
		t.Fatalf("the admin token: %v", err)
	}
	return strings.TrimSpace(string(b))
}

// cliSimAdmin is a client of the simulator at url with dir's admin token,
// as the commands make it.
func cliSimAdmin(t *testing.T, dir, url string) *simclient.Client {
	t.Helper()
	return simclient.New(url, simclient.WithToken(cliSimToken(t, dir)))
}

// cliAdminGet sends GET path to the simulator at base as curl would, with
// "Authorization: Bearer token" unless token is "", and returns the status,
// the WWW-Authenticate header and the body.
func cliAdminGet(t *testing.T, base, path, token string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("WWW-Authenticate"), string(b)
}

// TestSimAdminToken: 'mppwallet sim' makes the data dir's admin token (0600,
// in a 0700 folder, never printed) and requires it; the merchant and
// faults commands read it from the data dir and work end to end; a request
// without it is refused with where the token is; the token survives a
// restart.
func TestSimAdminToken(t *testing.T) {
	w := cliSimStartWorld(t)
	d := dataDir{root: w.dir}
	tok := cliSimToken(t, w.dir)
	if b, err := base64.RawURLEncoding.DecodeString(tok); err != nil || len(b) != 32 {
		t.Errorf("the token is %d characters (%v), want 32 random bytes in base64url", len(tok), err)
	}
	for path, want := range map[string]os.FileMode{d.simAdminTokenPath(): 0o600, filepath.Dir(d.simAdminTokenPath()): 0o700} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: %v %v, want mode %04o", path, fi, err, want)
		}
	}
	if out := w.sim.stdout.String(); !strings.Contains(out, "token in "+d.simAdminTokenPath()) {
		t.Errorf("the banner does not say where the token is:\n%s", out)
	}

	// What a user runs against the simulator, the token read from the data dir.
	code := cliSimCode(t, w.dir, "alice")
	charged, _, exit := cliSimCharge(t, w.dir, code, "5.00", "USD")
	if exit != 0 || charged.Status != "SUCCESS" {
		t.Fatalf("merchant charge: exit %d %+v", exit, charged)
	}
	for _, args := range [][]string{
		{"faults", "add", "inquiryPayment:drop,count=1"},
		{"faults", "list"},
		{"faults", "clear"},
		{"merchant", "payments"},
		{"merchant", "order", "--amount", "1.00"},
		{"merchant", "refund", "--payment", charged.PaymentRequestID, "--amount", "1.00"},
		{"merchant", "payments", "--sim", w.sim.state.URL},                                               // the same simulator, named
		{"merchant", "payments", "--sim", strings.Replace(w.sim.state.URL, "127.0.0.1", "localhost", 1)}, // and by another name
	} {
		stdout, stderr, exit := runCLI(t, "", append(args, "--data", w.dir)...)
		if exit != 0 {
			t.Errorf("%s: exit %d, stderr %q", strings.Join(args, " "), exit, stderr)
		}
		if strings.Contains(stdout+stderr, tok) {
			t.Errorf("%s shows the token", strings.Join(args, " "))
		}
	}
	if got := cliSimBalance(t, w.dir, "alice"); got.Value != "9600" {
		t.Errorf("alice's balance %+v, want 96.00 USD (5.00 charged, 1.00 refunded)", got)
	}

	// As curl would call it.
	for _, c := range []struct {
		name, token string
		want        int
		body        string
	}{
		{"no token", "", 401, d.simAdminTokenPath()},
		{"a wrong token", strings.Repeat("x", 43), 401, d.simAdminTokenPath()},
		{"the token", tok, 200, charged.PaymentRequestID},
	} {
		status, auth, body := cliAdminGet(t, w.sim.state.URL, "/sim/payments", c.token)
		if status != c.want || !strings.Contains(body, c.body) || (status == 401 && !strings.HasPrefix(auth, "Bearer")) {
			t.Errorf("%s: HTTP %d (WWW-Authenticate %q) %s, want %d naming %s", c.name, status, auth, body, c.want, c.body)
		}
		if c.token != tok && strings.Contains(body, tok) {
			t.Errorf("%s: the answer shows the token", c.name)
		}
	}
	if status, _, body := cliAdminGet(t, w.sim.state.URL, "/sim/health", ""); status != 200 || strings.Contains(body, tok) {
		t.Errorf("health without a token: HTTP %d %s, want 200 without the token", status, body)
	}

	w.sim.stop(t)
	if out := w.sim.stdout.String() + w.sim.stderr.String(); strings.Contains(out, tok) {
		t.Errorf("the simulator printed its token:\n%s", out)
	}
	w.sim = cliSimStart(t, w.dir)
	if again := cliSimToken(t, w.dir); again != tok {
		t.Errorf("a restart made a new token; scripts holding the old one would stop working")
	}
	if _, stderr, exit := runCLI(t, "", "faults", "list", "--data", w.dir); exit != 0 {
		t.Errorf("faults list after a restart: exit %d %q", exit, stderr)
	}
}

// TestSimTokenForAnotherDataDir: a command sends its data dir's token only
// to its data dir's simulator; another data dir's simulator takes its token
// from MPPWALLET_SIM_TOKEN or --sim-token-file, and without one the error
// says where that token is.
func TestSimTokenForAnotherDataDir(t *testing.T) {
	w := cliSimStartWorld(t)
	mine := cliSimToken(t, w.dir)
	otherDir := t.TempDir()
	other := cliSimStart(t, otherDir)
	otherToken := dataDir{root: otherDir}.simAdminTokenPath()

	var mu sync.Mutex
	var sent []string
	stranger := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sent = append(sent, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, "[]")
	}))
	defer stranger.Close()

	badFile := filepath.Join(t.TempDir(), "bad.token")
	os.WriteFile(badFile, []byte("short\n"), 0o600)
	for _, c := range []struct {
		name string
		env  string
		args []string
		exit int
		want string // in stderr
	}{
		{"no token for it", "", []string{"--sim", other.state.URL}, 1, otherToken},
		{"MPPWALLET_SIM_TOKEN", cliSimToken(t, otherDir), []string{"--sim", other.state.URL}, 0, ""},
		{"--sim-token-file", "", []string{"--sim", other.state.URL, "--sim-token-file", otherToken}, 0, ""},
		{"--sim-token-file wins over the variable", mine, []string{"--sim", other.state.URL, "--sim-token-file", otherToken}, 0, ""},
		{"a file that holds no token", "", []string{"--sim", other.state.URL, "--sim-token-file", badFile}, 1, "--sim-token-file: " + badFile + ": not an admin token"},
		{"a missing file", "", []string{"--sim", other.state.URL, "--sim-token-file", badFile + ".nope"}, 1, "--sim-token-file"},
		{"a stranger is not sent the data dir's token", "", []string{"--sim", stranger.URL}, 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("MPPWALLET_SIM_TOKEN", c.env)
			stdout, stderr, exit := runCLI(t, "", append([]string{"faults", "list", "--data", w.dir}, c.args...)...)
			if exit != c.exit || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d stderr %q, want %d with %q", exit, stderr, c.exit, c.want)
			}
			if exit != 0 {
				assertOneErrorLine(t, stderr)
			}
			if strings.Contains(stdout+stderr, mine) || strings.Contains(stdout+stderr, cliSimToken(t, otherDir)) {
				t.Errorf("a token shows: %s %s", stdout, stderr)
			}
		})
	}
	mu.Lock()
	defer mu.Unlock()
	if len(sent) != 1 || sent[0] != "" {
		t.Errorf("the stranger got Authorization %q, want one call with none", sent)
	}
}

// TestAppEmbeddedSimNeedsToken: the app's embedded simulator takes the data
// dir's token too: a request without it is refused, the merchant commands
// on the data dir charge the code the app shows, and the app's own
// Inspector reads the transcript through the same admin API.
func TestAppEmbeddedSimNeedsToken(t *testing.T) {
	dir := cliSimDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--balance", "100.00", "--currency", "USD")
	s, d, err := startDriven(context.Background(), uiOptions{dataPath: dir, userID: "alice"}, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.stop(); s.close() })
	tokPath := dataDir{root: dir}.simAdminTokenPath()
	if fi, err := os.Stat(tokPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("%s: %v %v, want mode 0600", tokPath, fi, err)
	}
	if status, _, body := cliAdminGet(t, s.sim.URL(), "/sim/codes", ""); status != 401 || !strings.Contains(body, tokPath) {
		t.Errorf("the embedded simulator without a token: HTTP %d %s, want 401 naming %s", status, body, tokPath)
	}
	cliWaitShown(t, dir, "a code in run/ui.json", func(s shownState) bool { return s.PaymentCode != "" })
	var shown onScreenJSON
	stdout, stderr, exit := runCLI(t, "", "codes", "--current", "--json", "--data", dir)
	if err := json.Unmarshal([]byte(stdout), &shown); err != nil || exit != 0 {
		t.Fatalf("codes --current: exit %d, %v, %s", exit, err, stderr)
	}
	if charged, _, exit := cliSimCharge(t, dir, shown.PaymentCode, "2.50", "USD"); exit != 0 || charged.Status != "SUCCESS" {
		t.Fatalf("merchant charge on the app's simulator: exit %d %+v", exit, charged)
	}
	if !d.until(context.Background(), func(v string) bool { return strings.Contains(v, "Payment successful") }, 20*time.Second) {
		t.Fatalf("the app shows no result page:\n%s", d.m.View().Content)
	}
	d.update(tea.KeyPressMsg{Code: tea.KeyEnter})
	d.update(tea.KeyPressMsg{Code: '4', Text: "4"})
	if !d.until(context.Background(), func(v string) bool { return strings.Contains(v, "getPaymentCode") }, 20*time.Second) {
		t.Errorf("the Inspector shows no exchanges:\n%s", d.m.View().Content)
	}
	if v := d.m.View().Content; strings.Contains(v, "Transcript:") {
		t.Errorf("the Inspector shows an error:\n%s", v)
	}
}

// The names a command treats as the data dir's simulator, and the Host a
// simulator listening on --listen answers to besides loopback.
func TestSimServerNames(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"http://127.0.0.1:7576", "http://127.0.0.1:7576", true},
		{"http://127.0.0.1:7576", "http://localhost:7576", true},
		{"http://0.0.0.0:7576", "http://[::1]:7576", true},
		{"http://sim.lan:7576", "http://SIM.lan:7576", true},
		{"http://127.0.0.1:7576", "http://127.0.0.1:7577", false},
		{"http://127.0.0.1:7576", "https://127.0.0.1:7576", false},
		{"http://127.0.0.1:7576", "http://evil.example:7576", false},
		{"http://192.168.1.20:7576", "http://127.0.0.1:7576", false},
	} {
		if got := sameServer(c.a, c.b); got != c.same {
			t.Errorf("sameServer(%s, %s) = %v, want %v", c.a, c.b, got, c.same)
		}
	}
	addr := &net.TCPAddr{IP: net.IPv4(192, 168, 1, 20), Port: 41234}
	for listen, want := range map[string]string{
		"192.168.1.20:0": "192.168.1.20:41234",
		"sim.lan:7576":   "sim.lan:41234",
		"0.0.0.0:7576":   "",
		":7576":          "",
		"[::]:7576":      "",
		"not an address": "",
		"[fe80::1]:0":    "[fe80::1]:41234",
		"127.0.0.1:0":    "127.0.0.1:41234",
	} {
		if got := listenHost(listen, addr); got != want {
			t.Errorf("listenHost(%q) = %q, want %q", listen, got, want)
		}
	}
}
