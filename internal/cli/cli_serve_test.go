package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// cliSyncBuffer is a bytes.Buffer safe for a writer and a reader in different
// goroutines.
type cliSyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *cliSyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *cliSyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// cliWaitFor polls cond every 20 ms until it holds or 10 s have passed.
func cliWaitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s", what)
		case <-tick.C:
		}
	}
}

// cliServe is a "mppwallet serve" running in a goroutine.
type cliServe struct {
	cancel         context.CancelFunc
	done           chan int
	stdout, stderr *cliSyncBuffer
	state          cliServeState
}

// alipayClient calls the server as Alipay+ would: signed with the data
// dir's local Alipay+ key, checking answers with the wallet's public key.
func (s *cliServe) alipayClient(t *testing.T, dir string, opts ...alipayplus.Option) *alipayplus.Client {
	t.Helper()
	simKey, _, err := alipayplus.LoadPrivateKeyFile(filepath.Join(dir, "keys", "sim", "alipayplus_private.pem"))
	if err != nil {
		t.Fatal(err)
	}
	mppPub, err := alipayplus.LoadPublicKeyFile(filepath.Join(dir, "keys", "mpp_public.pem"))
	if err != nil {
		t.Fatal(err)
	}
	return alipayplus.NewClient(s.state.URL, alipayplus.Signer{ClientID: s.state.ClientID, Key: simKey}, mppPub, opts...)
}

type cliServeState struct {
	PID       int    `json:"pid"`
	URL       string `json:"url"`
	ClientID  string `json:"clientId"`
	StartedAt string `json:"startedAt"`
}

// cliStartServe runs serve with args and waits for DIR/run/serve.json.
func cliStartServe(t *testing.T, dir string, args ...string) *cliServe {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &cliServe{cancel: cancel, done: make(chan int, 1), stdout: &cliSyncBuffer{}, stderr: &cliSyncBuffer{}}
	full := append([]string{"serve", "--listen", "127.0.0.1:0", "--data", dir}, args...)
	go func() { s.done <- Run(ctx, full, strings.NewReader(""), s.stdout, s.stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			t.Errorf("serve did not stop")
		}
	})
	statePath := filepath.Join(dir, "run", "serve.json")
	exited := -1
	cliWaitFor(t, "run/serve.json", func() bool {
		select {
		case exited = <-s.done:
			s.done <- exited // for the cleanup
			t.Fatalf("serve exited with %d before it was ready; stderr:\n%s", exited, s.stderr.String())
		default:
		}
		b, err := os.ReadFile(statePath)
		if err != nil {
			return false
		}
		return json.Unmarshal(b, &s.state) == nil && s.state.URL != ""
	})
	return s
}

// stop cancels the context and returns serve's exit code.
func (s *cliServe) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		s.done <- code // for the cleanup
		return code
	case <-time.After(10 * time.Second):
		t.Fatalf("serve did not stop after its context was cancelled")
		return -1
	}
}

func cliPayRequest(id, customer, value string) *alipayplus.PayRequest {
	amt := &alipayplus.Amount{Currency: "USD", Value: value}
	return &alipayplus.PayRequest{
		AcquirerID: "ACQ_TEST", PSPID: "PSP_TEST", PaymentRequestID: id,
		Order: &alipayplus.Order{
			ReferenceOrderID: "order-" + id, OrderDescription: "coffee", OrderAmount: amt,
			Merchant: &alipayplus.Merchant{ReferenceMerchantID: "M001", MerchantName: "Kopi Corner", MerchantMCC: "5812",
				MerchantAddress: &alipayplus.Address{Region: "SG"}},
		},
		PaymentAmount: amt, PayToAmount: amt,
		PaymentMethod: &alipayplus.PaymentMethod{PaymentMethodType: alipayplus.PaymentMethodConnectWallet,
			PaymentMethodID: "281666040092345678", CustomerID: customer},
	}
}

func TestServePayEndToEnd(t *testing.T) {
	dir := cliDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--name", "Alice", "--balance", "100.00")

	s := cliStartServe(t, dir, "--json")
	if !strings.HasPrefix(s.state.URL, "http://127.0.0.1:") || s.state.ClientID != defaultClientID || s.state.PID != os.Getpid() {
		t.Errorf("serve.json = %+v", s.state)
	}
	if fi, err := os.Stat(filepath.Join(dir, "run", "serve.json")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("serve.json mode: %v %v", fi, err)
	}

	// Keys made on first run: private ones readable by the owner only.
	keyModes := map[string]os.FileMode{
		"keys/mpp_private.pem": 0o600, "keys/mpp_private.b64": 0o600,
		"keys/sim/alipayplus_private.pem": 0o600, "keys/sim/alipayplus_private.b64": 0o600,
		"keys/mpp_public.pem": 0o644, "keys/alipayplus_public.pem": 0o644,
	}
	for name, want := range keyModes {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s mode %04o, want %04o", name, got, want)
		}
	}

	// Call it as Alipay+ would.
	client := s.alipayClient(t, dir, alipayplus.WithTimeout(5*time.Second),
		alipayplus.WithRetry(alipayplus.Retry{Deadline: 2 * time.Second, Initial: 50 * time.Millisecond, Max: 200 * time.Millisecond}))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := client.Pay(ctx, cliPayRequest("pr-e2e-1", "alice", "1250"))
	if err != nil {
		t.Fatalf("pay: %v", err)
	}
	if resp.Result.ResultStatus != "S" || resp.Result.ResultCode != "SUCCESS" || resp.PaymentID == "" || resp.CustomerID != "alice" {
		t.Errorf("pay response %+v", resp)
	}

	// Another process sharing the data dir sees the debit while serve runs.
	_, users := cliListUsers(t, dir)
	if !cliAmountIs(users["alice"].Balance, "USD", "8750") {
		t.Errorf("balance after paying 12.50 = %+v, want USD 8750", users["alice"].Balance)
	}

	// A request signed with another key is refused and debits nothing.
	otherKeys := cliGenerateKeys(t)
	otherKey, _, err := alipayplus.LoadPrivateKeyFile(filepath.Join(otherKeys, "private.pem"))
	if err != nil {
		t.Fatal(err)
	}
	mppPub, err := alipayplus.LoadPublicKeyFile(filepath.Join(dir, "keys", "mpp_public.pem"))
	if err != nil {
		t.Fatal(err)
	}
	bad := alipayplus.NewClient(s.state.URL, alipayplus.Signer{ClientID: s.state.ClientID, Key: otherKey}, mppPub,
		alipayplus.WithRetry(alipayplus.Retry{Deadline: time.Second, Initial: 50 * time.Millisecond, Max: 100 * time.Millisecond}))
	_, err = bad.Pay(ctx, cliPayRequest("pr-e2e-2", "alice", "100"))
	var apErr *alipayplus.Error
	if !errors.As(err, &apErr) || apErr.Code != alipayplus.CodeInvalidSignature {
		t.Errorf("pay signed with a wrong key: err %v, want INVALID_SIGNATURE", err)
	}

	// The event line on stdout.
	type event struct {
		Event   string `json:"event"`
		At      string `json:"at"`
		Payment struct {
			PaymentRequestID string     `json:"paymentRequestId"`
			CustomerID       string     `json:"customerId"`
			Status           string     `json:"status"`
			PayToAmount      *cliAmount `json:"payToAmount"`
			MerchantName     string     `json:"merchantName"`
		} `json:"payment"`
	}
	var decided event
	cliWaitFor(t, "a DECIDED event on stdout", func() bool {
		for _, line := range strings.Split(s.stdout.String(), "\n") {
			var e event
			if json.Unmarshal([]byte(line), &e) == nil && e.Event == "DECIDED" && e.Payment.PaymentRequestID == "pr-e2e-1" {
				decided = e
				return true
			}
		}
		return false
	})
	if decided.Payment.Status != "SUCCEEDED" || decided.Payment.CustomerID != "alice" ||
		!cliAmountIs(decided.Payment.PayToAmount, "USD", "1250") || decided.Payment.MerchantName != "Kopi Corner" {
		t.Errorf("DECIDED event %+v", decided)
	}
	if _, err := alipayplus.ParseTime(decided.At); err != nil {
		t.Errorf("event time: %v", err)
	}

	code := s.stop(t)
	if code != 0 {
		t.Errorf("serve exit %d, want 0; stderr:\n%s", code, s.stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "run", "serve.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("serve.json still there after serve stopped (%v)", err)
	}
	// With --json, stdout holds JSON lines only.
	for _, line := range strings.Split(strings.TrimSpace(s.stdout.String()), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("stdout line is not JSON: %q", line)
		}
	}
	if strings.Contains(s.stderr.String(), "BEGIN") {
		t.Errorf("stderr shows key material:\n%s", s.stderr.String())
	}

	// After serve: the ledger keeps the payment.
	_, users = cliListUsers(t, dir)
	if !cliAmountIs(users["alice"].Balance, "USD", "8750") {
		t.Errorf("balance after serve = %+v, want USD 8750", users["alice"].Balance)
	}
	stdout, _, code := runCLI(t, "", "payments", "list", "--data", dir, "--json")
	var payments []struct {
		PaymentRequestID string     `json:"paymentRequestId"`
		Status           string     `json:"status"`
		PayToAmount      *cliAmount `json:"payToAmount"`
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &payments) != nil || len(payments) != 1 ||
		payments[0].PaymentRequestID != "pr-e2e-1" || payments[0].Status != "SUCCEEDED" {
		t.Errorf("payments list --json: exit %d\n%s", code, stdout)
	}
	if stdout, _, _ := runCLI(t, "", "payments", "list", "--data", dir); !strings.Contains(stdout, "pr-e2e-1") || !strings.Contains(stdout, "Kopi Corner") {
		t.Errorf("payments list:\n%s", stdout)
	}

	// A second run reuses the keys (no "generated" message) and the same client id.
	before := cliReadFiles(t, filepath.Join(dir, "keys"), []string{"mpp_private.pem", "alipayplus_public.pem"})
	s2 := cliStartServe(t, dir)
	if s2.state.ClientID != s.state.ClientID {
		t.Errorf("client id changed: %q then %q", s.state.ClientID, s2.state.ClientID)
	}
	cliWaitFor(t, "the banner", func() bool { return strings.Contains(s2.stdout.String(), "listening") })
	if !strings.Contains(s2.stdout.String(), s2.state.URL+alipayplus.PathPay) {
		t.Errorf("banner lacks the pay URL:\n%s", s2.stdout.String())
	}
	if code := s2.stop(t); code != 0 {
		t.Errorf("second serve exit %d; stderr:\n%s", code, s2.stderr.String())
	}
	if strings.Contains(s2.stderr.String(), "generated") {
		t.Errorf("second run generated keys again:\n%s", s2.stderr.String())
	}
	for name, b := range cliReadFiles(t, filepath.Join(dir, "keys"), []string{"mpp_private.pem", "alipayplus_public.pem"}) {
		if !bytes.Equal(b, before[name]) {
			t.Errorf("%s changed between runs", name)
		}
	}
}

func TestServeListenInUse(t *testing.T) {
	dir := cliDataDir(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	stdout, stderr, code := runCLI(t, "", "serve", "--data", dir, "--listen", ln.Addr().String())
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "mppwallet: ") || !strings.Contains(last, "in use") || !strings.Contains(last, ln.Addr().String()) {
		t.Errorf("stderr = %q, want a last line saying the address is in use", stderr)
	}
	if stdout != "" {
		t.Errorf("stdout = %q, want nothing", stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "run", "serve.json")); err == nil {
		t.Errorf("serve.json was written although serve never listened")
	}
	// Through MPPWALLET_LISTEN as well.
	t.Setenv("MPPWALLET_LISTEN", ln.Addr().String())
	_, stderr, code = runCLI(t, "", "serve", "--data", dir)
	if code != 1 || !strings.Contains(stderr, "in use") {
		t.Errorf("MPPWALLET_LISTEN: exit %d stderr %q", code, stderr)
	}
	// Now the keys exist, the failure is the only line.
	assertOneErrorLine(t, stderr)
}

func TestServeBadFlags(t *testing.T) {
	cliIsolate(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"auto-confirm bogus", []string{"--auto-confirm", "bogus"}, "--auto-confirm"},
		{"log-level bogus", []string{"--log-level", "bogus"}, "--log-level"},
		{"extra argument", []string{"now"}, "now"},
		{"unknown flag", []string{"--port", "1"}, "port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			stdout, stderr, code := runCLI(t, "", append([]string{"serve", "--listen", "127.0.0.1:0", "--data", dir}, tt.args...)...)
			if code != 2 || stdout != "" {
				t.Errorf("exit %d stdout %q, want 2 and nothing", code, stdout)
			}
			assertOneErrorLine(t, stderr)
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q lacks %q", stderr, tt.want)
			}
			if _, err := os.Stat(dir); err == nil {
				t.Errorf("a usage error created the data dir")
			}
		})
	}
	t.Run("log-level from the environment", func(t *testing.T) {
		t.Setenv("MPPWALLET_LOG_LEVEL", "loud")
		_, stderr, code := runCLI(t, "", "serve", "--listen", "127.0.0.1:0", "--data", t.TempDir())
		if code != 2 {
			t.Errorf("exit %d, want 2", code)
		}
		assertOneErrorLine(t, stderr)
	})
}

func TestServeAutoConfirmApprove(t *testing.T) {
	dir := cliDataDir(t)
	cliAddUser(t, dir, "--id", "carol", "--balance", "20.00", "--override", "ask")
	s := cliStartServe(t, dir, "--auto-confirm", "approve")
	client := s.alipayClient(t, dir,
		alipayplus.WithRetry(alipayplus.Retry{Deadline: 0, Initial: time.Millisecond, Max: time.Millisecond})) // no retry: see the U
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := client.Pay(ctx, cliPayRequest("pr-ask-1", "carol", "500"))
	var apErr *alipayplus.Error
	if !errors.As(err, &apErr) || apErr.Status != "U" || apErr.Code != alipayplus.CodePaymentInProcess {
		t.Fatalf("pay for a user who confirms: err %v, want U PAYMENT_IN_PROCESS", err)
	}
	// The text event lines show the payment held, then decided.
	cliWaitFor(t, "RECEIVED and DECIDED lines", func() bool {
		out := s.stdout.String()
		return strings.Contains(out, "RECEIVED") && strings.Contains(out, "DECIDED") && strings.Contains(out, "(pr-ask-1)")
	})
	cliWaitFor(t, "the debit", func() bool {
		_, users := cliListUsers(t, dir)
		return cliAmountIs(users["carol"].Balance, "USD", "1500")
	})
	if code := s.stop(t); code != 0 {
		t.Errorf("serve exit %d; stderr:\n%s", code, s.stderr.String())
	}
	if !strings.Contains(s.stderr.String(), "no gateway") {
		t.Errorf("stderr does not warn that the decision was not notified:\n%s", s.stderr.String())
	}
}

// Two servers on one data dir: either the second refuses to start, or
// run/serve.json keeps describing a server that is still running.
func TestServeTwoOnOneDataDir(t *testing.T) {
	dir := cliDataDir(t)
	a := cliStartServe(t, dir)
	statePath := filepath.Join(dir, "run", "serve.json")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bDone := make(chan int, 1)
	bOut, bErr := &cliSyncBuffer{}, &cliSyncBuffer{}
	go func() {
		bDone <- Run(ctx, []string{"serve", "--listen", "127.0.0.1:0", "--data", dir}, strings.NewReader(""), bOut, bErr)
	}()
	refused := false
	cliWaitFor(t, "the second serve to refuse or to publish its address", func() bool {
		select {
		case code := <-bDone:
			bDone <- code
			refused = true
			return true
		default:
		}
		var state cliServeState
		raw, err := os.ReadFile(statePath)
		return err == nil && json.Unmarshal(raw, &state) == nil && state.URL != a.state.URL
	})
	if refused {
		if code := <-bDone; code != 1 {
			t.Errorf("second serve exit %d, want 1", code)
		}
		assertOneErrorLine(t, bErr.String())
		var state cliServeState
		if raw, err := os.ReadFile(statePath); err != nil || json.Unmarshal(raw, &state) != nil || state.URL != a.state.URL {
			t.Errorf("the refused serve changed %s (%v)", statePath, err)
		}
		a.stop(t)
		return
	}
	a.stop(t)
	if _, err := os.Stat(statePath); err != nil {
		t.Errorf("after the first serve stopped, the running second serve's %s is gone: %v", statePath, err)
	}
	cancel()
	select {
	case code := <-bDone:
		if code != 0 {
			t.Errorf("second serve exit %d; stderr:\n%s", code, bErr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("second serve did not stop")
	}
}

// A payment held for confirmation when serve stopped is answered by the
// next serve started with --auto-confirm, not left for Alipay+ to cancel.
func TestServeAutoConfirmAnswersPaymentsHeldBeforeItStarted(t *testing.T) {
	dir := cliDataDir(t)
	cliAddUser(t, dir, "--id", "carol", "--balance", "20.00", "--override", "ask")
	s := cliStartServe(t, dir)
	client := s.alipayClient(t, dir,
		alipayplus.WithRetry(alipayplus.Retry{Deadline: 0, Initial: time.Millisecond, Max: time.Millisecond}))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := client.Pay(ctx, cliPayRequest("pr-held-1", "carol", "500"))
	var apErr *alipayplus.Error
	if !errors.As(err, &apErr) || apErr.Code != alipayplus.CodePaymentInProcess {
		t.Fatalf("pay: err %v, want U PAYMENT_IN_PROCESS", err)
	}
	if code := s.stop(t); code != 0 {
		t.Fatalf("serve exit %d", code)
	}
	if _, users := cliListUsers(t, dir); !cliAmountIs(users["carol"].Balance, "USD", "2000") {
		t.Fatalf("a held payment moved money: %+v", users["carol"].Balance)
	}
	s = cliStartServe(t, dir, "--auto-confirm", "approve")
	cliWaitFor(t, "the held payment debited", func() bool {
		_, users := cliListUsers(t, dir)
		return cliAmountIs(users["carol"].Balance, "USD", "1500")
	})
	if code := s.stop(t); code != 0 {
		t.Errorf("serve exit %d", code)
	}
	if !strings.Contains(s.stderr.String(), "held before this start") || !strings.Contains(s.stderr.String(), "pr-held-1") {
		t.Errorf("stderr does not say it answered the held payment:\n%s", s.stderr.String())
	}
}
