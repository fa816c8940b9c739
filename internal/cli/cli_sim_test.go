package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// cliSimEnvVars are the variables the simulator-side commands read besides
// those in cliEnvVars.
var cliSimEnvVars = []string{
	"MPPWALLET_SIM", "MPPWALLET_SIM_LISTEN", "MPPWALLET_MPP_URL",
	"MPPWALLET_ALIPAYPLUS_PRIVATE_KEY", "MPPWALLET_ALIPAYPLUS_PRIVATE_KEY_FILE", "MPPWALLET_SIM_TOKEN",
}

// cliSimIsolate is cliIsolate plus the simulator's variables.
func cliSimIsolate(t *testing.T) {
	t.Helper()
	cliIsolate(t)
	for _, v := range cliSimEnvVars {
		t.Setenv(v, "")
	}
}

// cliSimDataDir isolates the environment and returns an empty data dir.
func cliSimDataDir(t *testing.T) string {
	t.Helper()
	cliSimIsolate(t)
	return t.TempDir()
}

// cliSimProc is a "mppwallet sim" running in a goroutine.
type cliSimProc struct {
	cancel         context.CancelFunc
	done           chan int
	stdout, stderr *cliSyncBuffer
	state          cliServeState
}

// cliSimStart runs sim with args on dir and waits for DIR/run/sim.json.
func cliSimStart(t *testing.T, dir string, args ...string) *cliSimProc {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &cliSimProc{cancel: cancel, done: make(chan int, 1), stdout: &cliSyncBuffer{}, stderr: &cliSyncBuffer{}}
	full := append([]string{"sim", "--listen", "127.0.0.1:0", "--data", dir}, args...)
	go func() { s.done <- Run(ctx, full, strings.NewReader(""), s.stdout, s.stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			t.Errorf("sim did not stop")
		}
	})
	statePath := filepath.Join(dir, "run", "sim.json")
	stale, _ := os.ReadFile(statePath) // a file left from before is not this sim's
	cliWaitFor(t, "run/sim.json", func() bool {
		select {
		case code := <-s.done:
			s.done <- code // for the cleanup
			t.Fatalf("sim exited with %d before it was ready; stderr:\n%s", code, s.stderr.String())
		default:
		}
		b, err := os.ReadFile(statePath)
		if err != nil || (stale != nil && string(b) == string(stale)) {
			return false
		}
		return json.Unmarshal(b, &s.state) == nil && s.state.URL != ""
	})
	return s
}

// stop cancels the simulator's context and returns its exit code.
func (s *cliSimProc) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		s.done <- code // for the cleanup
		return code
	case <-time.After(10 * time.Second):
		t.Fatalf("sim did not stop after its context was cancelled")
		return -1
	}
}

// cliSimWorld is a wallet server and a simulator on one data dir, with
// alice (100.00 USD) and kenji (20000 JPY).
type cliSimWorld struct {
	dir   string
	serve *cliServe
	sim   *cliSimProc
}

func cliSimStartWorld(t *testing.T, simArgs ...string) *cliSimWorld {
	t.Helper()
	dir := cliSimDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--name", "Alice", "--balance", "100.00", "--currency", "USD")
	cliAddUser(t, dir, "--id", "kenji", "--name", "Kenji", "--balance", "20000", "--currency", "JPY")
	w := &cliSimWorld{dir: dir}
	w.serve = cliStartServe(t, dir)
	w.sim = cliSimStart(t, dir, simArgs...)
	return w
}

// cliSimCodeJSON is one payment code as "codes --json" prints it.
type cliSimCodeJSON struct {
	PaymentCode           string `json:"paymentCode"`
	CodeValidityStartTime string `json:"codeValidityStartTime"`
	CodeExpiryTime        string `json:"codeExpiryTime"`
}

// cliSimCodes runs "codes --user USER --count N --json".
func cliSimCodes(t *testing.T, dir, user string, n int) []cliSimCodeJSON {
	t.Helper()
	stdout, stderr, code := runCLI(t, "", "codes", "--data", dir, "--user", user, "--count", strconv.Itoa(n), "--json")
	if code != 0 {
		t.Fatalf("codes --user %s: exit %d, stderr %q", user, code, stderr)
	}
	var codes []cliSimCodeJSON
	dec := json.NewDecoder(strings.NewReader(stdout))
	for dec.More() {
		var c cliSimCodeJSON
		if err := dec.Decode(&c); err != nil {
			t.Fatalf("codes --json is not JSON lines: %v\n%s", err, stdout)
		}
		codes = append(codes, c)
	}
	if strings.Count(stdout, "\n") != len(codes) {
		t.Fatalf("codes --json: want one object per line:\n%s", stdout)
	}
	if len(codes) != n {
		t.Fatalf("codes --count %d gave %d codes:\n%s", n, len(codes), stdout)
	}
	return codes
}

// cliSimCode returns one fresh payment code for user.
func cliSimCode(t *testing.T, dir, user string) string {
	t.Helper()
	return cliSimCodes(t, dir, user, 1)[0].PaymentCode
}

// cliSimChargeJSON is the documented JSON form of "merchant charge --json".
type cliSimChargeJSON struct {
	ResultStatus     string     `json:"resultStatus"`
	ResultCode       string     `json:"resultCode"`
	ResultMessage    string     `json:"resultMessage"`
	Status           string     `json:"status"`
	PaymentRequestID string     `json:"paymentRequestId"`
	PaymentID        string     `json:"paymentId"`
	PaymentTime      string     `json:"paymentTime"`
	PaymentAmount    *cliAmount `json:"paymentAmount"`
	PayToAmount      *cliAmount `json:"payToAmount"`
	Quote            *struct {
		QuoteID           string `json:"quoteId"`
		QuoteCurrencyPair string `json:"quoteCurrencyPair"`
		QuotePrice        string `json:"quotePrice"`
	} `json:"paymentQuote"`
	CustomerID string       `json:"customerId"`
	Magic      string       `json:"magic"`
	Steps      []cliSimStep `json:"steps"`
}

// cliSimStep is one step of a payment as the simulator reports it.
type cliSimStep struct {
	At   time.Time `json:"at"`
	What string    `json:"what"`
}

// cliSimCharge runs "merchant charge --json" and returns the decoded object,
// the raw object's keys and the exit code.
func cliSimCharge(t *testing.T, dir, code, amount, currency string, extra ...string) (cliSimChargeJSON, map[string]json.RawMessage, int) {
	t.Helper()
	args := append([]string{"merchant", "charge", "--data", dir, "--code", code, "--amount", amount, "--currency", currency, "--json"}, extra...)
	stdout, stderr, exit := runCLI(t, "", args...)
	if stderr != "" {
		t.Errorf("merchant charge --json: stderr %q, want nothing", stderr)
	}
	var raw map[string]json.RawMessage
	var out cliSimChargeJSON
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		t.Fatalf("merchant charge --json (exit %d) is not one JSON object: %v\n%s", exit, err, stdout)
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("merchant charge --json: %v\n%s", err, stdout)
	}
	if strings.Count(strings.TrimSpace(stdout), "\n") != 0 {
		t.Errorf("merchant charge --json printed more than one line:\n%s", stdout)
	}
	return out, raw, exit
}

// cliSimBalance returns a user's balance (minor units) from "users list --json".
func cliSimBalance(t *testing.T, dir, user string) *cliAmount {
	t.Helper()
	_, users := cliListUsers(t, dir)
	u, ok := users[user]
	if !ok {
		t.Fatalf("users list --json has no %s", user)
	}
	return u.Balance
}

// cliSimPayment is one payment as "merchant payments --json" prints it.
type cliSimPayment struct {
	RequestID   string     `json:"paymentRequestId"`
	Mode        string     `json:"mode"`
	CodeValue   string     `json:"codeValue"`
	CustomerID  string     `json:"customerId"`
	Status      string     `json:"status"`
	Amount      *cliAmount `json:"paymentAmount"`
	PayToAmount *cliAmount `json:"payToAmount"`
	Result      struct {
		ResultStatus string `json:"resultStatus"`
		ResultCode   string `json:"resultCode"`
	} `json:"result"`
	Steps   []cliSimStep `json:"steps"`
	Refunds []struct {
		RefundRequestID string     `json:"refundRequestId"`
		Amount          *cliAmount `json:"refundAmount"`
		Status          string     `json:"status"`
	} `json:"refunds"`
}

// cliSimPayments runs "merchant payments --json" and returns them by id.
func cliSimPayments(t *testing.T, dir string) map[string]cliSimPayment {
	t.Helper()
	stdout, stderr, code := runCLI(t, "", "merchant", "payments", "--data", dir, "--json")
	if code != 0 || stderr != "" {
		t.Fatalf("merchant payments --json: exit %d, stderr %q", code, stderr)
	}
	var ps []cliSimPayment
	if err := json.Unmarshal([]byte(stdout), &ps); err != nil {
		t.Fatalf("merchant payments --json: %v\n%s", err, stdout)
	}
	out := map[string]cliSimPayment{}
	for _, p := range ps {
		out[p.RequestID] = p
	}
	return out
}

// cliSimStepsMention reports whether any step's text contains s.
func cliSimStepsMention(steps []cliSimStep, s string) bool {
	for _, st := range steps {
		if strings.Contains(st.What, s) {
			return true
		}
	}
	return false
}

var cliSimCodeRE = regexp.MustCompile(`^25999902\d{16}$`)

func TestSimCodesCountJSON(t *testing.T) {
	w := cliSimStartWorld(t)
	codes := cliSimCodes(t, w.dir, "alice", 3)
	seen := map[string]bool{}
	var starts []time.Time
	for i, c := range codes {
		if len(c.PaymentCode) != 24 || !cliSimCodeRE.MatchString(c.PaymentCode) {
			t.Errorf("code %d = %q, want 24 digits starting 259999 02", i, c.PaymentCode)
		}
		if seen[c.PaymentCode] {
			t.Errorf("code %q issued twice", c.PaymentCode)
		}
		seen[c.PaymentCode] = true
		from, err1 := alipayplus.ParseTime(c.CodeValidityStartTime)
		until, err2 := alipayplus.ParseTime(c.CodeExpiryTime)
		if err1 != nil || err2 != nil {
			t.Fatalf("code %d times: %v %v", i, err1, err2)
		}
		if got := until.Sub(from); got != time.Minute {
			t.Errorf("code %d is valid %s, want 1m", i, got)
		}
		starts = append(starts, from)
	}
	for i := 1; i < len(starts); i++ {
		if got := starts[i].Sub(starts[i-1]); got != 30*time.Second {
			t.Errorf("code %d starts %s after code %d, want 30s", i, got, i-1)
		}
	}
	if d := time.Since(starts[0]); d < -2*time.Second || d > 10*time.Second {
		t.Errorf("the first code starts at %s, want about now", starts[0])
	}

	// Text: one line per code with its validity.
	stdout, stderr, code := runCLI(t, "", "codes", "--data", w.dir, "--user", "alice", "--count", "2")
	if code != 0 || stderr != "" {
		t.Fatalf("codes: exit %d stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("codes --count 2 printed %d lines:\n%s", len(lines), stdout)
	}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) == 0 || !cliSimCodeRE.MatchString(f[0]) || !strings.Contains(l, "valid") {
			t.Errorf("codes line %q: want CODE  valid FROM → UNTIL", l)
		}
	}

	// --print qr draws the first code, then lists it.
	stdout, stderr, code = runCLI(t, "", "codes", "--data", w.dir, "--user", "alice", "--print", "qr")
	if code != 0 || stderr != "" {
		t.Fatalf("codes --print qr: exit %d stderr %q", code, stderr)
	}
	text := cliSimDecodeHalfBlocks(t, stdout)
	if !cliSimCodeRE.MatchString(text) || !strings.Contains(stdout, text+"  valid") {
		t.Errorf("codes --print qr: the drawn code decodes to %q; output:\n%s", text, stdout)
	}
}

func TestSimStatusShowsServerAndSimulator(t *testing.T) {
	w := cliSimStartWorld(t)
	stdout, stderr, code := runCLI(t, "", "status", "--data", w.dir)
	if code != 0 || stderr != "" {
		t.Fatalf("status: exit %d stderr %q", code, stderr)
	}
	for _, want := range []string{"server         " + w.serve.state.URL, "simulator      " + w.sim.state.URL} {
		if !strings.Contains(stdout, want) {
			t.Errorf("status lacks %q:\n%s", want, stdout)
		}
	}
	stdout, _, code = runCLI(t, "", "status", "--data", w.dir, "--json")
	var st struct {
		Server    *cliServeState `json:"server"`
		Simulator *cliServeState `json:"simulator"`
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &st) != nil || st.Server == nil || st.Simulator == nil ||
		st.Server.URL != w.serve.state.URL || st.Simulator.URL != w.sim.state.URL {
		t.Errorf("status --json: exit %d\n%s", code, stdout)
	}

	// After the simulator stops, status says so and sim.json is gone.
	if code := w.sim.stop(t); code != 0 {
		t.Errorf("sim exit %d; stderr:\n%s", code, w.sim.stderr.String())
	}
	if _, err := os.Stat(filepath.Join(w.dir, "run", "sim.json")); err == nil {
		t.Errorf("sim.json still there after sim stopped")
	}
	stdout, _, _ = runCLI(t, "", "status", "--data", w.dir)
	if !strings.Contains(stdout, "simulator      not running") || !strings.Contains(stdout, w.serve.state.URL) {
		t.Errorf("status after sim stopped:\n%s", stdout)
	}
}

func TestSimBanner(t *testing.T) {
	w := cliSimStartWorld(t)
	cliWaitFor(t, "the sim banner", func() bool { return strings.Contains(w.sim.stdout.String(), "admin API") })
	out := w.sim.stdout.String()
	for _, want := range []string{w.sim.state.URL, w.sim.state.URL + "/sim/", "magic       true"} {
		if !strings.Contains(out, want) {
			t.Errorf("sim banner lacks %q:\n%s", want, out)
		}
	}
	if w.sim.state.ClientID != defaultClientID {
		t.Errorf("sim.json client id %q, want %q", w.sim.state.ClientID, defaultClientID)
	}
}

// Without a simulator, the commands that need one say how to start it.
func TestSimNotRunning(t *testing.T) {
	dir := cliSimDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--balance", "10.00")
	tests := [][]string{
		{"merchant", "charge", "--data", dir, "--code", "259999021234567890123456", "--amount", "1.00"},
		{"merchant", "order", "--data", dir, "--amount", "1.00"},
		{"merchant", "refund", "--data", dir, "--payment", "x", "--amount", "1.00"},
		{"merchant", "payments", "--data", dir},
		{"faults", "list", "--data", dir},
		{"faults", "add", "--data", dir, "pay:drop,count=1"},
		{"faults", "clear", "--data", dir},
	}
	for _, args := range tests {
		t.Run(strings.Join(args[:2], " "), func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", args...)
			if code != 1 {
				t.Errorf("exit %d, want 1 (stdout %q)", code, stdout)
			}
			assertOneErrorLine(t, stderr)
			if !strings.Contains(stderr, "'mppwallet sim'") {
				t.Errorf("stderr %q does not mention 'mppwallet sim'", stderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
	// codes starts an embedded simulator for the call, and says the codes
	// cannot be charged after it.
	stdout, stderr, code := runCLI(t, "", "codes", "--data", dir, "--user", "alice")
	if code != 0 || !strings.HasPrefix(stdout, "25999902") || !strings.Contains(stderr, "embedded") || !strings.Contains(stderr, "'mppwallet sim'") {
		t.Errorf("codes without a simulator: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	// A sim that stopped leaves nothing behind that the commands would use.
	sim := cliSimStart(t, dir)
	sim.stop(t)
	_, stderr, code = runCLI(t, "", "merchant", "charge", "--data", dir, "--code", "259999021234567890123456", "--amount", "1.00")
	if code != 1 || !strings.Contains(stderr, "'mppwallet sim'") {
		t.Errorf("after the sim stopped: exit %d stderr %q", code, stderr)
	}
	assertOneErrorLine(t, stderr)
}

// With the simulator but not the wallet server, a charge fails fast and
// leaves the code usable.
func TestSimWalletServerStopped(t *testing.T) {
	w := cliSimStartWorld(t)
	c := cliSimCode(t, w.dir, "alice")
	if code := w.serve.stop(t); code != 0 {
		t.Fatalf("serve exit %d; stderr:\n%s", code, w.serve.stderr.String())
	}
	start := time.Now()
	stdout, stderr, code := runCLI(t, "", "merchant", "charge", "--data", w.dir, "--code", c, "--amount", "5.00", "--currency", "USD")
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("charge without a wallet server took %s, want well under 10 s", d)
	}
	if code != 1 {
		t.Errorf("exit %d, want 1 (stdout %q)", code, stdout)
	}
	assertOneErrorLine(t, stderr)
	if !strings.Contains(stderr, "wallet's server is not running") {
		t.Errorf("stderr %q does not say the wallet's server is not running", stderr)
	}
	if !cliAmountIs(cliSimBalance(t, w.dir, "alice"), "USD", "10000") {
		t.Errorf("balance changed without a wallet server")
	}

	// Start the wallet server again: the same code still pays.
	cliStartServe(t, w.dir)
	out, _, code := cliSimCharge(t, w.dir, c, "5.00", "USD")
	if code != 0 || out.Status != "SUCCESS" {
		t.Fatalf("charge after serve restarted: exit %d, %+v", code, out)
	}
	if b := cliSimBalance(t, w.dir, "alice"); !cliAmountIs(b, "USD", "9500") {
		t.Errorf("balance %+v, want USD 9500", b)
	}
}

func TestSimTwoOnOneDataDir(t *testing.T) {
	dir := cliSimDataDir(t)
	a := cliSimStart(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	out, errb := &cliSyncBuffer{}, &cliSyncBuffer{}
	go func() {
		done <- Run(ctx, []string{"sim", "--listen", "127.0.0.1:0", "--data", dir}, strings.NewReader(""), out, errb)
	}()
	var code int
	select {
	case code = <-done:
	case <-time.After(10 * time.Second):
		cancel()
		<-done
		t.Fatalf("the second sim on one data dir kept running; stdout:\n%s", out.String())
	}
	if code != 1 {
		t.Errorf("second sim exit %d, want 1", code)
	}
	assertOneErrorLine(t, errb.String())
	if !strings.Contains(errb.String(), "already runs") {
		t.Errorf("stderr %q does not say a sim already runs", errb.String())
	}
	var st cliServeState
	raw, err := os.ReadFile(filepath.Join(dir, "run", "sim.json"))
	if err != nil || json.Unmarshal(raw, &st) != nil || st.URL != a.state.URL {
		t.Errorf("the refused sim changed sim.json (%v): %s", err, raw)
	}
	if code := a.stop(t); code != 0 {
		t.Errorf("first sim exit %d; stderr:\n%s", code, a.stderr.String())
	}
}

func TestSimUsageErrors(t *testing.T) {
	cliSimIsolate(t)
	tests := []struct {
		name string
		cmd  []string // the command, then --data DIR
		args []string
		want string
	}{
		{"sim fault nope", []string{"sim"}, []string{"--listen", "127.0.0.1:0", "--fault", "nope"}, "nope"},
		{"sim fault unknown effect", []string{"sim"}, []string{"--listen", "127.0.0.1:0", "--fault", "pay:explode"}, "explode"},
		{"sim fault second one bad", []string{"sim"}, []string{"--listen", "127.0.0.1:0", "--fault", "pay:drop", "--fault", "pay:count=1"}, "no effect"},
		{"sim log-level bogus", []string{"sim"}, []string{"--listen", "127.0.0.1:0", "--log-level", "bogus"}, "--log-level"},
		{"sim extra argument", []string{"sim"}, []string{"--listen", "127.0.0.1:0", "now"}, "now"},
		{"codes without --user", []string{"codes"}, nil, "--user"},
		{"codes --count 11", []string{"codes"}, []string{"--user", "alice", "--count", "11"}, "--count"},
		{"codes --count 0", []string{"codes"}, []string{"--user", "alice", "--count", "0"}, "--count"},
		{"codes --print bogus", []string{"codes"}, []string{"--user", "alice", "--print", "bogus"}, "bogus"},
		{"faults add bad spec", []string{"faults", "add"}, []string{"bogus"}, "bogus"},
		{"faults add bad result", []string{"faults", "add"}, []string{"pay:result=X/FOO"}, "S, F or U"},
		{"faults add no spec", []string{"faults", "add"}, nil, "exactly one rule"},
		{"faults add dup on an incoming API", []string{"faults", "add"}, []string{"getPaymentCode:dup"}, "dup"},
		{"faults add two specs", []string{"faults", "add"}, []string{"pay:drop", "refund:drop"}, "exactly one rule"},
		{"faults clear --id x", []string{"faults", "clear"}, []string{"--id", "x"}, "--id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			args := append(append(append([]string{}, tt.cmd...), "--data", dir), tt.args...)
			stdout, stderr, code := runCLI(t, "", args...)
			if code != 2 {
				t.Errorf("exit %d, want 2 (stdout %q)", code, stdout)
			}
			assertOneErrorLine(t, stderr)
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q lacks %q", stderr, tt.want)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if _, err := os.Stat(dir); err == nil {
				t.Errorf("a usage error created the data dir")
			}
		})
	}
	t.Run("faults without a subcommand", func(t *testing.T) {
		stdout, stderr, code := runCLI(t, "", "faults")
		if code != 2 || !strings.Contains(stdout, "Commands:") {
			t.Errorf("exit %d stdout %q, want 2 and the subcommands", code, stdout)
		}
		assertOneErrorLine(t, stderr)
	})
}

// The new commands have help with examples, like every other leaf.
func TestSimHelp(t *testing.T) {
	cliSimIsolate(t)
	leaves := [][]string{{"sim"}, {"codes"}, {"merchant", "charge"}, {"merchant", "order"}, {"merchant", "refund"},
		{"merchant", "payments"}, {"faults", "add"}, {"faults", "list"}, {"faults", "clear"}, {"faults", "magic"}}
	for _, leaf := range leaves {
		t.Run(strings.Join(leaf, " "), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "never")
			args := append(append([]string{}, leaf...), "--data", dir, "--help")
			if strings.Join(leaf, " ") == "faults magic" {
				args = []string{"faults", "magic", "--help"} // no --data: it works offline
			}
			stdout, stderr, code := runCLI(t, "", args...)
			if code != 0 || stderr != "" {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
			for _, want := range []string{"Usage:", "Examples:", "mppwallet " + strings.Join(leaf, " ")} {
				if !strings.Contains(stdout, want) {
					t.Errorf("help lacks %q:\n%s", want, stdout)
				}
			}
			if _, err := os.Stat(dir); err == nil {
				t.Errorf("--help created the data dir")
			}
		})
	}
	for _, group := range []string{"merchant", "faults"} {
		stdout, _, code := runCLI(t, "", group, "--help")
		if code != 0 || !strings.Contains(stdout, "Commands:") {
			t.Errorf("%s --help: exit %d\n%s", group, code, stdout)
		}
	}
}

// A run file left by a simulator that died is ignored; one naming a live
// process whose address does not answer gives a one-line error.
func TestSimStaleRunFile(t *testing.T) {
	dir := cliSimDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--balance", "10.00")
	write := func(pid int, url string) {
		t.Helper()
		b, _ := json.Marshal(map[string]any{"pid": pid, "url": url, "clientId": defaultClientID, "token": "x"})
		if err := os.MkdirAll(filepath.Join(dir, "run"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "run", "sim.json"), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// No process has this pid (it is above any pid_max).
	write(1<<30, "http://127.0.0.1:1")
	_, stderr, code := runCLI(t, "", "merchant", "payments", "--data", dir)
	if code != 1 || !strings.Contains(stderr, "'mppwallet sim'") {
		t.Errorf("stale sim.json: exit %d stderr %q", code, stderr)
	}
	assertOneErrorLine(t, stderr)
	status, _, _ := runCLI(t, "", "status", "--data", dir)
	if !strings.Contains(status, "simulator      not running") {
		t.Errorf("status with a stale sim.json:\n%s", status)
	}
	// A new simulator starts despite the stale file and replaces it.
	sim := cliSimStart(t, dir)
	if sim.state.URL == "http://127.0.0.1:1" {
		t.Errorf("sim.json was not replaced")
	}
	sim.stop(t)

	// A live pid (this test's, as after a reboot) at an address nobody
	// listens on: no simulator runs there either.
	write(os.Getpid(), "http://127.0.0.1:1")
	stdout, stderr, code := runCLI(t, "", "faults", "list", "--data", dir)
	if code != 1 || stdout != "" || !strings.Contains(stderr, "no simulator is running on") {
		t.Errorf("unreachable simulator: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	assertOneErrorLine(t, stderr)
}

// The simulator may start before the wallet server: it makes the wallet's
// keys, and serve uses them.
func TestSimStartedBeforeServe(t *testing.T) {
	dir := cliSimDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--balance", "10.00")
	cliSimStart(t, dir)
	c := cliSimCode(t, dir, "alice") // codes need only the simulator
	cliStartServe(t, dir)
	out, _, code := cliSimCharge(t, dir, c, "1.00", "USD")
	if code != 0 || out.Status != "SUCCESS" {
		t.Fatalf("charge: exit %d %+v", code, out)
	}
	if b := cliSimBalance(t, dir, "alice"); !cliAmountIs(b, "USD", "900") {
		t.Errorf("balance %+v, want USD 900", b)
	}
}

// --sim and MPPWALLET_SIM pick a simulator other than the data dir's (its
// token from --sim-token-file or MPPWALLET_SIM_TOKEN); --gateway and
// MPPWALLET_GATEWAY do the same for codes.
func TestSimFlagsAndEnvironment(t *testing.T) {
	w := cliSimStartWorld(t)
	other := t.TempDir()
	stdout, stderr, code := runCLI(t, "", "merchant", "payments", "--data", other, "--sim", w.sim.state.URL+"/",
		"--sim-token-file", dataDir{root: w.dir}.simAdminTokenPath())
	if code != 0 || stdout != "no payments yet\n" {
		t.Errorf("merchant payments --sim: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	t.Setenv("MPPWALLET_SIM", w.sim.state.URL)
	t.Setenv("MPPWALLET_SIM_TOKEN", cliSimToken(t, w.dir))
	if stdout, stderr, code := runCLI(t, "", "faults", "list", "--data", other); code != 0 || !strings.Contains(stdout, "no active fault rules") {
		t.Errorf("faults list with MPPWALLET_SIM: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	t.Setenv("MPPWALLET_SIM", "")
	t.Setenv("MPPWALLET_SIM_TOKEN", "")

	// codes with the simulator named explicitly (the keys are the data dir's).
	w.sim.stop(t)
	sim2 := cliSimStartOther(t, w.dir)
	stdout, stderr, code = runCLI(t, "", "codes", "--data", w.dir, "--user", "alice", "--gateway", sim2)
	if code != 0 || !cliSimCodeRE.MatchString(strings.Fields(stdout + " x")[0]) {
		t.Errorf("codes --gateway: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	t.Setenv("MPPWALLET_GATEWAY", sim2)
	if stdout, stderr, code := runCLI(t, "", "codes", "--data", w.dir, "--user", "alice"); code != 0 || !strings.Contains(stdout, "valid") {
		t.Errorf("codes with MPPWALLET_GATEWAY: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
}

// cliSimStartOther runs a simulator on a fresh data dir that shares dir's
// keys, so that it accepts the wallet's requests, and returns its URL.
func cliSimStartOther(t *testing.T, dir string) string {
	t.Helper()
	odir := t.TempDir()
	for _, name := range []string{"keys/mpp_public.pem", "keys/mpp_private.pem", "keys/alipayplus_public.pem", "keys/sim/alipayplus_private.pem"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(odir, name)), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(odir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return cliSimStart(t, odir).state.URL
}

// Charges of different codes run side by side; one code charged twice at
// once pays once.
func TestSimConcurrentCharges(t *testing.T) {
	w := cliSimStartWorld(t)
	var codes []string
	for range 4 {
		codes = append(codes, cliSimCode(t, w.dir, "alice"))
	}
	codes = append(codes, codes[0]) // the first code twice
	type result struct {
		stdout string
		code   int
	}
	results := make(chan result, len(codes))
	for _, c := range codes {
		go func() {
			var out, errb cliSyncBuffer
			code := Run(context.Background(), []string{"merchant", "charge", "--data", w.dir, "--code", c, "--amount", "1.00"},
				strings.NewReader(""), &out, &errb)
			results <- result{out.String() + errb.String(), code}
		}()
	}
	paid, refused := 0, 0
	for range codes {
		select {
		case r := <-results:
			switch {
			case r.code == 0 && strings.HasPrefix(r.stdout, "PAID"):
				paid++
			case r.code == 1 && strings.Contains(r.stdout, "INVALID_CODE"):
				refused++
			default:
				t.Errorf("charge: exit %d output %q", r.code, r.stdout)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("concurrent charges did not finish")
		}
	}
	if paid != 4 || refused != 1 {
		t.Errorf("%d paid and %d refused, want 4 and 1", paid, refused)
	}
	if b := cliSimBalance(t, w.dir, "alice"); !cliAmountIs(b, "USD", "9600") {
		t.Errorf("balance %+v, want USD 9600", b)
	}
}

// BUG: commands that take no arguments should refuse them, as serve, sim,
// status, merchant charge and merchant order do; "faults clear 3" clears
// every rule.
func TestSimCommandsRejectExtraArguments(t *testing.T) {
	w := cliSimStartWorld(t)
	tests := [][]string{
		{"codes", "--data", w.dir, "--user", "alice", "3"},
		{"merchant", "payments", "--data", w.dir, "all"},
		{"merchant", "refund", "--data", w.dir, "--payment", "x", "--amount", "1.00", "now"},
		{"faults", "list", "--data", w.dir, "all"},
		{"faults", "clear", "--data", w.dir, "1"},
		{"faults", "magic", "51"},
	}
	if _, stderr, code := runCLI(t, "", "faults", "add", "--data", w.dir, "pay:drop,count=1"); code != 0 {
		t.Fatalf("faults add: exit %d %q", code, stderr)
	}
	for _, args := range tests {
		stdout, stderr, code := runCLI(t, "", args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (stdout %q)", args, code, stdout)
		}
		assertOneErrorLine(t, stderr)
	}
	if stdout, _, _ := runCLI(t, "", "faults", "list", "--data", w.dir); !strings.Contains(stdout, "pay:drop") {
		t.Errorf("a mistyped faults clear removed the rules:\n%s", stdout)
	}
}

// BUG: a negative --id clears every rule.
func TestFaultsClearNegativeID(t *testing.T) {
	w := cliSimStartWorld(t)
	if _, stderr, code := runCLI(t, "", "faults", "add", "--data", w.dir, "pay:drop,count=1"); code != 0 {
		t.Fatalf("faults add: exit %d %q", code, stderr)
	}
	_, stderr, code := runCLI(t, "", "faults", "clear", "--data", w.dir, "--id", "-1")
	if code != 2 {
		t.Errorf("faults clear --id -1: exit %d, want 2", code)
	}
	assertOneErrorLine(t, stderr)
	if stdout, _, _ := runCLI(t, "", "faults", "list", "--data", w.dir); !strings.Contains(stdout, "pay:drop") {
		t.Errorf("faults clear --id -1 removed the rules:\n%s", stdout)
	}
}

// BUG: an unknown top-level command's message repeats the program name.
func TestSimUnknownTopLevelCommandMessage(t *testing.T) {
	cliSimIsolate(t)
	_, stderr, code := runCLI(t, "", "scan")
	if code != 2 || strings.Contains(stderr, "mppwallet: mppwallet:") || strings.Contains(stderr, "mppwallet mppwallet") {
		t.Errorf("exit %d stderr %q", code, stderr)
	}
}
