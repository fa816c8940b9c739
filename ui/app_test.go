package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

// fakeClock is the app's clock in tests.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time { return c.t }

// network issues codes like Alipay+: the first valid from now, each next
// one 30 s later, each valid 60 s. It is the Backend seam of the app; the
// real one is tested end to end in package main.
type network struct {
	clock    *fakeClock
	mu       sync.Mutex
	fetches  int
	fail     error
	n        int
	approved map[string]bool
	// codesFor records whose codes each fetch asked for.
	codesFor  []string
	users     []wallet.User
	payments  []wallet.Payment
	exchanges []Exchange
	exportErr error
	// overrides records the SetOverride calls, specs the AddFault calls.
	overrides []wallet.Override
	specs     []string
	faults    []FaultInfo
	nextFault int
	faultErr  error
	scan      scanNet
	// refunds records the Refund calls; refundErr is their answer when
	// set.
	refunds   []refundCall
	refundErr error
}

// refundCall is one Refund the app asked for.
type refundCall struct {
	requestID string
	amount    money.Money
}

func (b *network) FetchCodes(_ context.Context, customerID string, n int) ([]wallet.PaymentCode, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.fetches++
	b.codesFor = append(b.codesFor, customerID)
	if b.fail != nil {
		return nil, b.fail
	}
	var out []wallet.PaymentCode
	for i := 0; i < n; i++ {
		b.n++
		from := b.clock.t.Add(time.Duration(i) * 30 * time.Second)
		out = append(out, wallet.PaymentCode{Value: fmt.Sprintf("2599990200000000%08d", b.n), ValidFrom: from, ExpiresAt: from.Add(time.Minute)})
	}
	return out, nil
}

func (b *network) Confirm(_ context.Context, id string, approve bool) (wallet.Payment, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.approved == nil {
		b.approved = map[string]bool{}
	}
	b.approved[id] = approve
	st := wallet.StatusSucceeded
	if !approve {
		st = wallet.StatusFailed
	}
	return wallet.Payment{RequestID: id, Status: st, ResultCode: wallet.CodeVerificationFailed, CustomerID: "alice",
		Amount: money.Money{Currency: "USD", Minor: 1234}, PaymentAmount: money.Money{Currency: "USD", Minor: 1234}}, nil
}

func (b *network) User(_ context.Context, id string) (wallet.User, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, u := range b.users {
		if u.ID == id {
			return u, nil
		}
	}
	if id != "alice" {
		return wallet.User{}, fmt.Errorf("no user %q", id)
	}
	return wallet.User{ID: "alice", Name: "Alice", Balance: money.Money{Currency: "USD", Minor: 100000}}, nil
}

func (b *network) Payments(_ context.Context, customerID string, limit int) ([]wallet.Payment, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []wallet.Payment
	for i := len(b.payments) - 1; i >= 0; i-- { // newest first
		if p := b.payments[i]; p.CustomerID == customerID && (limit == 0 || len(out) < limit) {
			out = append(out, p)
		}
	}
	return out, nil
}

func (b *network) Users(context.Context) ([]wallet.User, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]wallet.User(nil), b.users...), nil
}

func (b *network) Exchanges(_ context.Context, since int64) ([]Exchange, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []Exchange
	for _, x := range b.exchanges {
		if x.Seq > since {
			out = append(out, x)
		}
	}
	return out, nil
}

func (b *network) ExportTranscript(context.Context) (string, error) {
	if b.exportErr != nil {
		return "", b.exportErr
	}
	return "/data/transcripts/transcript-20261125T120000Z.jsonl", nil
}

// Refund refunds amount of the payment like the wallet: in either of the
// payment's currencies (the merchant's converted at the payment's rate),
// never more than is left.
func (b *network) Refund(_ context.Context, requestID string, amount money.Money) (RefundResult, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refunds = append(b.refunds, refundCall{requestID: requestID, amount: amount})
	if b.refundErr != nil {
		return RefundResult{}, b.refundErr
	}
	for i, p := range b.payments {
		if p.RequestID != requestID {
			continue
		}
		credit, asked := amount.Minor, p.RefundedPayment
		if amount.Currency != p.Amount.Currency {
			asked += amount.Minor
			credit = p.Amount.Minor*asked/p.PaymentAmount.Minor - p.Amount.Minor*p.RefundedPayment/p.PaymentAmount.Minor
		}
		if credit > p.Refundable() || asked > p.PaymentAmount.Minor {
			return RefundResult{}, fmt.Errorf("the wallet refused the refund: %s %s asked, %d left", wallet.CodeRefundAmountExceed, amount, p.Refundable())
		}
		b.payments[i].Refunded += credit
		b.payments[i].RefundedPayment = asked
		return RefundResult{Amount: amount, RefundID: "RF-" + requestID, RefundRequestID: "RR-" + requestID}, nil
	}
	return RefundResult{}, fmt.Errorf("no payment %s", requestID)
}

// harness drives the app through Update, answering fetches itself (no
// commands run, so no real timers).
type harness struct {
	t     *testing.T
	clock *fakeClock
	net   *network
	app   App
}

func newHarness(t *testing.T, opts ...func(*Config)) *harness {
	clock := &fakeClock{t: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	net := &network{clock: clock}
	h := &harness{t: t, clock: clock, net: net}
	cfg := Config{Backend: net, CustomerID: "alice", Now: clock.Now}
	for _, o := range opts {
		o(&cfg)
	}
	h.app = New(cfg)
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	h.app.code.fetching = true // what Init does
	h.deliverFetch()
	return h
}

func (h *harness) send(msg tea.Msg) tea.Cmd {
	m, cmd := h.app.Update(msg)
	h.app = m.(App)
	return cmd
}

// deliverFetch answers the fetch the app asked for.
func (h *harness) deliverFetch() {
	id := h.app.cfg.CustomerID
	codes, err := h.net.FetchCodes(context.Background(), id, h.app.cfg.CodeBatch)
	h.send(codesFetchedMsg{customerID: id, codes: codes, err: err})
}

// second moves the clock one second and ticks, answering any fetch.
func (h *harness) second() {
	h.clock.t = h.clock.t.Add(time.Second)
	h.send(tickMsg{gen: h.app.gen})
	if h.app.code.fetching {
		h.deliverFetch()
	}
}

func TestRotationNeverShowsAnExpiredCode(t *testing.T) {
	h := newHarness(t)
	shown := map[string]bool{}
	for i := 0; i < 600; i++ { // ten simulated minutes
		c, ok := h.app.code.current()
		if !ok {
			t.Fatalf("at %s no code is shown", h.clock.t.Format(time.TimeOnly))
		}
		if !c.ValidAt(h.clock.t) {
			t.Fatalf("at %s the code shown is not valid: %+v", h.clock.t.Format(time.TimeOnly), c)
		}
		// Rotation at the overlap: the newest started code is the one shown.
		for _, o := range h.app.code.codes {
			if o.ValidAt(h.clock.t) && o.ValidFrom.After(c.ValidFrom) {
				t.Fatalf("at %s code %s is shown although %s started later", h.clock.t.Format(time.TimeOnly), c.Value, o.Value)
			}
		}
		if !strings.Contains(h.app.View().Content, c.Value[len(c.Value)-4:]) {
			t.Fatalf("the view does not show the current code's last digits")
		}
		shown[c.Value] = true
		h.second()
	}
	// A new code every 30 s: about 20 in ten minutes.
	if len(shown) < 19 || len(shown) > 21 {
		t.Errorf("%d codes shown in 10 minutes, want about 20 (one every 30 s)", len(shown))
	}
}

func TestRefetchBeforeTheCacheRunsDry(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < 600; i++ {
		h.clock.t = h.clock.t.Add(time.Second)
		h.send(tickMsg{gen: h.app.gen})
		if h.app.code.fetching {
			if left := wallet.UsableAfter(h.app.code.codes, h.clock.t); left < 1 {
				t.Fatalf("fetched only when %d codes were left", left)
			}
			h.deliverFetch()
		}
	}
	if h.net.fetches < 4 || h.net.fetches > 8 {
		t.Errorf("%d fetches in 10 minutes with 4 codes a fetch, want a handful", h.net.fetches)
	}
}

func TestOfflineShowsNoStaleCode(t *testing.T) {
	h := newHarness(t)
	h.net.fail = errors.New("network unreachable")
	for i := 0; i < 200; i++ {
		h.second()
	}
	if _, ok := h.app.code.current(); ok {
		t.Fatalf("a code is shown after 200 s offline")
	}
	v := h.app.View().Content
	if !strings.Contains(v, "No valid code") || !strings.Contains(v, "network unreachable") || !strings.Contains(v, "Retrying") {
		t.Errorf("offline view:\n%s", v)
	}
	h.net.fail = nil
	for i := 0; i < 5; i++ {
		h.second()
	}
	if _, ok := h.app.code.current(); !ok {
		t.Errorf("no code after the network came back")
	}
}

func TestPayCallbackShowsTheResultPage(t *testing.T) {
	h := newHarness(t)
	c, _ := h.app.code.current()
	p := wallet.Payment{RequestID: "PR-1", PaymentID: "PID-1", CustomerID: "alice", Mode: wallet.ModeUPM, CodeValue: c.Value,
		Status: wallet.StatusSucceeded, ResultCode: wallet.CodeSuccess, Amount: money.Money{Currency: "USD", Minor: 1000},
		PaymentAmount: money.Money{Currency: "JPY", Minor: 1500}, Quote: wallet.Quote{Price: "0.0066", CurrencyPair: "JPY/USD"},
		Merchant: wallet.Merchant{Name: "UGG", StoreName: "UGG-2"}, PaidAt: h.clock.t}
	h.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventDecided, Payment: p}})
	if h.app.page != pageResult {
		t.Fatalf("page %d, want the result page", h.app.page)
	}
	v := h.app.View().Content
	for _, want := range []string{"Payment successful", "1500 JPY", "10.00 USD", "JPY/USD", "UGG-2", "PID-1"} {
		if !strings.Contains(v, want) {
			t.Errorf("result page lacks %q:\n%s", want, v)
		}
	}
	if _, ok := h.app.code.current(); ok {
		if cur, _ := h.app.code.current(); cur.Value == c.Value {
			t.Errorf("the used code is still shown")
		}
	}
	h.send(tea.KeyPressMsg{Code: tea.KeyEnter})
	if h.app.page != pageCode {
		t.Errorf("enter: page %d, want the code page", h.app.page)
	}
	// A declined payment shows the reason.
	p.Status, p.ResultCode = wallet.StatusFailed, wallet.CodeBalanceNotEnough
	h.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventDecided, Payment: p}})
	if v := h.app.View().Content; !strings.Contains(v, "Payment failed") || !strings.Contains(v, "USER_BALANCE_NOT_ENOUGH") {
		t.Errorf("declined result page:\n%s", v)
	}
}

func TestHeldPaymentAsksAndConfirms(t *testing.T) {
	h := newHarness(t)
	c, _ := h.app.code.current()
	p := wallet.Payment{RequestID: "PR-ask", CustomerID: "alice", Mode: wallet.ModeUPM, CodeValue: c.Value, Status: wallet.StatusProcessing,
		Amount: money.Money{Currency: "USD", Minor: 1234}, PaymentAmount: money.Money{Currency: "USD", Minor: 1234},
		Merchant: wallet.Merchant{Name: "UGG"}}
	h.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventReceived, Payment: p}})
	if v := h.app.View().Content; h.app.page != pageConfirm || !strings.Contains(v, "Pay 12.34 USD to UGG?") {
		t.Fatalf("page %d:\n%s", h.app.page, v)
	}
	cmd := h.send(tea.KeyPressMsg{Code: 'y', Text: "y"})
	if cmd == nil {
		t.Fatal("y returned no command")
	}
	h.send(cmd()) // the confirmation runs: Confirm then the result
	if !h.net.approved["PR-ask"] {
		t.Errorf("the approval did not reach the backend: %v", h.net.approved)
	}
	if h.app.page != pageResult || !strings.Contains(h.app.View().Content, "Payment successful") {
		t.Errorf("after y: page %d\n%s", h.app.page, h.app.View().Content)
	}
}

func TestTooSmallWindowSaysHowBig(t *testing.T) {
	h := newHarness(t)
	h.send(tea.WindowSizeMsg{Width: 20, Height: 10})
	v := h.app.View().Content
	flat := strings.Join(strings.Fields(ansi.Strip(v)), " ")
	if !strings.Contains(flat, "too small") || !strings.Contains(flat, "needs 29×19") || !strings.Contains(flat, "20×10") {
		t.Errorf("small window view:\n%s", v)
	}
	if strings.Contains(v, "▀") {
		t.Errorf("a clipped code was drawn:\n%s", v)
	}
	if !strings.Contains(flat, "Key in: 2599") || !strings.Contains(flat, "0001") {
		t.Errorf("the masked digits are not left to key in:\n%s", v)
	}
	for _, l := range strings.Split(ansi.Strip(v), "\n") {
		if w := ansi.StringWidth(l); w > 20 {
			t.Errorf("line %q is %d columns in a 20-column window", l, w)
		}
	}
}

func TestOtherCustomersEventsAreIgnored(t *testing.T) {
	h := newHarness(t)
	h.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventDecided, Payment: wallet.Payment{CustomerID: "bob", Mode: wallet.ModeUPM}}})
	if h.app.page != pageCode {
		t.Errorf("bob's payment changed alice's screen")
	}
}

func BenchmarkView120x40(b *testing.B) {
	clock := &fakeClock{t: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	net := &network{clock: clock}
	app := New(Config{Backend: net, CustomerID: "alice", Now: clock.Now})
	m, _ := app.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	codes, _ := net.FetchCodes(context.Background(), "alice", 4)
	m, _ = m.Update(codesFetchedMsg{customerID: "alice", codes: codes})
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkCallbackToResultPage: a pay callback event through Update to
// the rendered result page.
func BenchmarkCallbackToResultPage(b *testing.B) {
	clock := &fakeClock{t: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	net := &network{clock: clock}
	app := New(Config{Backend: net, CustomerID: "alice", Now: clock.Now})
	m, _ := app.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	codes, _ := net.FetchCodes(context.Background(), "alice", 4)
	m, _ = m.Update(codesFetchedMsg{customerID: "alice", codes: codes})
	p := wallet.Payment{RequestID: "PR-1", CustomerID: "alice", Mode: wallet.ModeUPM, CodeValue: codes[0].Value,
		Status: wallet.StatusSucceeded, Amount: money.Money{Currency: "USD", Minor: 1000}, PaymentAmount: money.Money{Currency: "USD", Minor: 1000}}
	b.ReportAllocs()
	for b.Loop() {
		next, _ := m.Update(paymentEventMsg{event: wallet.Event{Kind: wallet.EventDecided, Payment: p}})
		if v := next.View(); !strings.Contains(v.Content, "Payment successful") {
			b.Fatal("no result page")
		}
	}
}

// key sends one key press.
func (h *harness) key(s string) tea.Cmd {
	switch s {
	case "enter":
		return h.send(tea.KeyPressMsg{Code: tea.KeyEnter})
	case "esc":
		return h.send(tea.KeyPressMsg{Code: tea.KeyEscape})
	case "down":
		return h.send(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	r := []rune(s)[0]
	return h.send(tea.KeyPressMsg{Code: r, Text: s})
}

// deliverPayments answers the history load the app asked for.
func (h *harness) deliverPayments() {
	h.t.Helper()
	if !h.app.history.loading {
		h.t.Fatal("the app did not ask for the history")
	}
	id := h.app.cfg.CustomerID
	ps, err := h.net.Payments(context.Background(), id, historyLimit)
	h.send(paymentsLoadedMsg{customerID: id, payments: ps, err: err})
}

// deliverUsers answers the users load the app asked for.
func (h *harness) deliverUsers() {
	h.t.Helper()
	if !h.app.users.loading {
		h.t.Fatal("the app did not ask for the users")
	}
	us, err := h.net.Users(context.Background())
	h.send(usersLoadedMsg{users: us, err: err})
}

// deliverExchanges answers the inspector's poll.
func (h *harness) deliverExchanges() {
	h.t.Helper()
	if !h.app.insp.polling {
		h.t.Fatal("the inspector did not poll")
	}
	xs, err := h.net.Exchanges(context.Background(), h.app.insp.lastSeq)
	h.send(exchangesLoadedMsg{exchanges: xs, err: err})
}

// demoUsers are the wallet's users in the tests.
func demoUsers() []wallet.User {
	return []wallet.User{
		{ID: "alice", Name: "Alice", Balance: money.Money{Currency: "USD", Minor: 100000}, Status: wallet.UserActive},
		{ID: "bob", Name: "Bob Builder", Balance: money.Money{Currency: "JPY", Minor: 50000}, Status: wallet.UserActive, Override: wallet.OverrideAsk},
		{ID: "kenji", Name: "Kenji", Balance: money.Money{Currency: "JPY", Minor: 0}, Status: "FROZEN", Override: "USER_BALANCE_NOT_ENOUGH"},
	}
}

// demoPayments are alice's history: an old refunded one, then a decline.
func demoPayments(at time.Time) []wallet.Payment {
	return []wallet.Payment{
		{RequestID: "PR-old", PaymentID: "PID-old", CustomerID: "alice", Mode: wallet.ModeUPM, CodeValue: "259999020000000000009999",
			Status: wallet.StatusSucceeded, ResultCode: wallet.CodeSuccess, Amount: money.Money{Currency: "USD", Minor: 2500},
			PaymentAmount: money.Money{Currency: "USD", Minor: 2500}, Merchant: wallet.Merchant{Name: "Blue Bottle", StoreName: "Shibuya"},
			PaidAt: at.Add(-2 * time.Hour), Refunded: 500},
		{RequestID: "PR-dec", CustomerID: "alice", Mode: wallet.ModeUPM, Status: wallet.StatusFailed, ResultCode: wallet.CodeBalanceNotEnough,
			Amount: money.Money{Currency: "USD", Minor: 99000}, PaymentAmount: money.Money{Currency: "JPY", Minor: 150000},
			Quote: wallet.Quote{Price: "0.0066", CurrencyPair: "JPY/USD"}, Merchant: wallet.Merchant{Name: "UGG"}, CreatedAt: at.Add(-time.Hour)},
	}
}

// demoExchanges are a getPaymentCode answered and a pay with a bad
// signature.
func demoExchanges(at time.Time) []Exchange {
	return []Exchange{
		{Seq: 1, At: at.Add(-30 * time.Second), Direction: "in", API: "getPaymentCode", ResultStatus: "S", ResultCode: "SUCCESS",
			Signature: "ok", LatencyMs: 12, RequestBody: `{"customerId":"alice"}`, ResponseBody: `{"result":{"resultStatus":"S"}}`},
		{Seq: 2, At: at.Add(-10 * time.Second), Direction: "out", API: "pay", ResultStatus: "F", ResultCode: "INVALID_SIGNATURE",
			Signature: "invalid: bad rsa", LatencyMs: 48.4, Findings: 1, RequestBody: `{"paymentRequestId":"PR-1","paymentAmount":{"currency":"USD","value":"1000"}}`,
			ResponseBody: `{"result":{"resultCode":"INVALID_SIGNATURE","resultStatus":"F","resultMessage":"the signature does not verify with the public key Alipay+ registered for this Client-Id"}}`,
			URI:          "http://127.0.0.1:7575/aps/api/v1/payments/pay", HTTPStatus: 200,
			RequestHeaders:  map[string]string{"Client-Id": "SANDBOX_MPPWALLET_LOCAL", "Request-Time": "2026-11-25T12:00:00+00:00", "Signature": "algorithm=RSA256,keyVersion=1,signature=<sha256:1a2b3c>"},
			ResponseHeaders: map[string]string{"Client-Id": "SANDBOX_MPPWALLET_LOCAL", "Response-Time": "2026-11-25T12:00:00+00:00"},
			FindingMessages: []string{"response Signature (pay, rule signature): signature check failed: crypto/rsa: verification error"}},
		{Seq: 3, At: at.Add(-5 * time.Second), Direction: "in", API: "gateway.pay", ResultStatus: "S", ResultCode: "SUCCESS",
			Signature: "ok", LatencyMs: 18, RequestBody: `{"productCode":"IN_STORE_PAYMENT"}`, ResponseBody: `{"result":{"resultStatus":"S"}}`},
	}
}

func (b *network) SetOverride(_ context.Context, customerID string, o wallet.Override) (wallet.User, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.overrides = append(b.overrides, o)
	for i, u := range b.users {
		if u.ID == customerID {
			b.users[i].Override = o
			return b.users[i], nil
		}
	}
	if customerID != "alice" {
		return wallet.User{}, fmt.Errorf("no user %q", customerID)
	}
	u := wallet.User{ID: "alice", Name: "Alice", Balance: money.Money{Currency: "USD", Minor: 100000}, Override: o}
	b.users = append(b.users, u)
	return u, nil
}

// AddFault stores the rule for the default TTL of 30 minutes from the
// fake clock.
func (b *network) AddFault(_ context.Context, spec string) (FaultInfo, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.specs = append(b.specs, spec)
	if b.faultErr != nil {
		return FaultInfo{}, b.faultErr
	}
	b.nextFault++
	f := FaultInfo{ID: b.nextFault, Spec: spec, Until: b.clock.t.Add(30 * time.Minute)}
	b.faults = append(b.faults, f)
	return f, nil
}

func (b *network) Faults(context.Context) ([]FaultInfo, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.faultErr != nil {
		return nil, b.faultErr
	}
	return append([]FaultInfo(nil), b.faults...), nil
}

func (b *network) RemoveFault(_ context.Context, id int) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, f := range b.faults {
		if f.ID == id {
			b.faults = append(b.faults[:i], b.faults[i+1:]...)
			return nil
		}
	}
	return fmt.Errorf("no fault rule %d", id)
}

// Regression: paying with the first code of a batch left nothing to show
// for up to 30 s (the next codes had not started yet and counted as
// enough), so a second purchase at the till had to wait.
func TestFreshCodeRightAfterPayingWithTheFirstOfABatch(t *testing.T) {
	h := newHarness(t)
	h.second()
	c, _ := h.app.code.current()
	p := wallet.Payment{RequestID: "PR-1", CustomerID: "alice", Mode: wallet.ModeUPM, CodeValue: c.Value,
		Status: wallet.StatusSucceeded, ResultCode: wallet.CodeSuccess, Amount: money.Money{Currency: "USD", Minor: 100},
		PaymentAmount: money.Money{Currency: "USD", Minor: 100}, PaidAt: h.clock.t}
	h.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventDecided, Payment: p}})
	fetches := h.net.fetches
	h.second() // the result page shows; the next tick asks for codes
	if h.net.fetches != fetches+1 {
		t.Fatalf("%d fetches after the payment, want one more: nothing is valid now", h.net.fetches-fetches)
	}
	h.key("enter")
	next, ok := h.app.code.current()
	if !ok || next.Value == c.Value {
		t.Fatalf("after the payment the app shows %+v (%v), want a fresh code", next, ok)
	}
	if v := h.view(); strings.Contains(v, "No valid code") {
		t.Errorf("code page after the payment:\n%s", v)
	}
}
