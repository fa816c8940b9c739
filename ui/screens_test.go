package ui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

// view is the app's view without escapes.
func (h *harness) view() string { return ansi.Strip(h.app.View().Content) }

// heldPayment is a payment for the code shown, held for confirmation.
func heldPayment(h *harness) wallet.Payment {
	c, _ := h.app.code.current()
	return wallet.Payment{RequestID: "PR-ask", CustomerID: "alice", Mode: wallet.ModeUPM, CodeValue: c.Value, Status: wallet.StatusProcessing,
		Amount: money.Money{Currency: "USD", Minor: 1234}, PaymentAmount: money.Money{Currency: "USD", Minor: 1234},
		Merchant: wallet.Merchant{Name: "UGG"}}
}

func TestNavigationKeys(t *testing.T) {
	h := newHarness(t)
	if v := h.view(); !strings.Contains(v, "1-6 screens") {
		t.Errorf("the code page's footer lacks the screen keys:\n%s", v)
	}
	for _, step := range []struct {
		key   string
		page  page
		title string
	}{
		{"2", pageHistory, "mppwallet · History"}, {"3", pageUsers, "mppwallet · Users"},
		{"4", pageInspector, "mppwallet · Inspector"}, {"1", pageCode, "mppwallet · Pay"}, {"4", pageInspector, "Inspector"},
		{"2", pageHistory, "History"}, {"5", pageOverrides, "mppwallet · Overrides"}, {"2", pageHistory, "History"},
	} {
		h.key(step.key)
		if h.app.page != step.page || !strings.Contains(h.view(), step.title) {
			t.Fatalf("key %s: page %d, want %d:\n%s", step.key, h.app.page, step.page, h.view())
		}
		if !strings.Contains(h.view(), "1-6") {
			t.Errorf("key %s: the footer lacks the screen keys", step.key)
		}
	}
	if !h.app.history.loading {
		t.Errorf("opening the history did not load it")
	}
	// esc leaves a screen for the code page (by message).
	cmd := h.key("esc")
	if cmd == nil {
		t.Fatal("esc on the history returned no command")
	}
	h.send(cmd())
	if h.app.page != pageCode {
		t.Errorf("esc: page %d, want the code page", h.app.page)
	}
	// The confirmation prompt and the result page ignore the screen keys.
	h.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventReceived, Payment: heldPayment(h)}})
	for _, k := range []string{"2", "3", "4", "5", "1"} {
		h.key(k)
		if h.app.page != pageConfirm {
			t.Fatalf("key %s during the confirmation: page %d", k, h.app.page)
		}
	}
	h.send(h.key("n")())
	if h.app.page != pageResult {
		t.Fatalf("after n: page %d", h.app.page)
	}
	h.key("2")
	if h.app.page != pageResult {
		t.Errorf("2 on the result page: page %d", h.app.page)
	}
	if cmd := h.key("q"); cmd == nil {
		t.Errorf("q does not quit")
	}
}

func TestHistoryShowsAPaymentAfterAnEventAndItsDetail(t *testing.T) {
	utcLocal(t)
	h := newHarness(t)
	h.key("2")
	h.deliverPayments()
	if v := h.view(); !strings.Contains(v, "No payments yet") {
		t.Fatalf("empty history:\n%s", v)
	}
	// A merchant-presented payment (not one of our codes) lands: the
	// history reloads and shows it; the screen stays.
	p := demoPayments(h.clock.t)[0]
	p.Mode = wallet.ModeMPM
	h.net.payments = append(h.net.payments, p)
	h.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventDecided, Payment: p}})
	if h.app.page != pageHistory {
		t.Fatalf("page %d after an MPM payment, want the history", h.app.page)
	}
	h.deliverPayments()
	v := h.view()
	for _, want := range []string{"part-refund", "SUCCESS", "25.00 USD", "Blue Bottle", "1 payment,"} {
		if !strings.Contains(v, want) {
			t.Errorf("history lacks %q:\n%s", want, v)
		}
	}
	// A later one comes first.
	later := demoPayments(h.clock.t)[1]
	h.net.payments = append(h.net.payments, later)
	h.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventRefunded, Payment: later}})
	h.deliverPayments()
	v = h.view()
	if i, j := strings.Index(v, "UGG"), strings.Index(v, "Blue Bottle"); i < 0 || j < 0 || i > j {
		t.Errorf("the newest payment is not first:\n%s", v)
	}
	h.key("down")
	h.key("enter")
	v = h.view()
	for _, want := range []string{"PID-old", "PR-old", "Refunded         5.00 USD", "2599 •••••••••••••••• 9999", "Blue Bottle", "Shibuya"} {
		if !strings.Contains(v, want) {
			t.Errorf("detail lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "259999020000000000009999") {
		t.Errorf("the detail shows the whole code")
	}
	h.key("esc")
	if h.app.page != pageHistory || h.app.history.detail {
		t.Errorf("esc from the detail: page %d detail %v", h.app.page, h.app.history.detail)
	}
	// Another customer's history answer (before a switch) is dropped.
	h.send(paymentsLoadedMsg{customerID: "bob", payments: nil})
	if len(h.app.history.payments) != 2 {
		t.Errorf("bob's history replaced alice's")
	}
}

func TestSwitchingUserFetchesItsCodes(t *testing.T) {
	h := newHarness(t)
	h.net.users = demoUsers()
	old := map[string]bool{}
	for _, c := range h.app.code.codes {
		old[c.Value] = true
	}
	h.key("3")
	h.deliverUsers()
	v := h.view()
	for _, want := range []string{"Bob Builder", "50000 JPY", "FROZEN", "USER_BALANCE_NOT_ENOUGH", "ASK"} {
		if !strings.Contains(v, want) {
			t.Errorf("users lack %q:\n%s", want, v)
		}
	}
	fetches := len(h.net.codesFor)
	h.key("down")
	cmd := h.key("enter")
	if cmd == nil {
		t.Fatal("enter returned no command")
	}
	cmd = h.send(cmd())
	if cmd == nil || h.app.cfg.CustomerID != "bob" || h.app.page != pageCode {
		t.Fatalf("after the switch: customer %q page %d", h.app.cfg.CustomerID, h.app.page)
	}
	if _, ok := h.app.code.current(); ok {
		t.Errorf("a code is shown before bob's arrive")
	}
	if v := h.view(); strings.Contains(v, "Alice") {
		t.Errorf("the header still names alice:\n%s", v)
	}
	// A fetch for alice that was in flight lands late: dropped.
	h.send(codesFetchedMsg{customerID: "alice", codes: []wallet.PaymentCode{{Value: "259999020000000000000777",
		ValidFrom: h.clock.t, ExpiresAt: h.clock.t.Add(60e9)}}})
	if _, ok := h.app.code.current(); ok {
		t.Errorf("alice's late codes are shown for bob")
	}
	if !h.app.code.fetching {
		t.Fatal("no fetch for bob")
	}
	h.deliverFetch()
	if got := h.net.codesFor[fetches:]; len(got) != 1 || got[0] != "bob" {
		t.Errorf("fetches after the switch were for %v, want [bob]", got)
	}
	u, _ := h.net.User(t.Context(), "alice")
	h.send(userLoadedMsg{user: u}) // late, for alice
	u, _ = h.net.User(t.Context(), "bob")
	h.send(userLoadedMsg{user: u})
	for i := 0; i < 200; i++ {
		c, ok := h.app.code.current()
		if !ok {
			t.Fatalf("no code for bob at %d s", i)
		}
		if old[c.Value] || c.Value == "259999020000000000000777" {
			t.Fatalf("alice's code %s shown for bob", c.Value)
		}
		h.second()
	}
	if v := h.view(); !strings.Contains(v, "Bob Builder") || !strings.Contains(v, "50000 JPY") {
		t.Errorf("header not updated for bob:\n%s", v)
	}
	for _, id := range h.net.codesFor[fetches:] {
		if id != "bob" {
			t.Errorf("a fetch for %s after the switch", id)
		}
	}
	// Alice's payments no longer reach the screen.
	p := heldPayment(h)
	h.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventReceived, Payment: p}})
	if h.app.page != pageCode {
		t.Errorf("alice's held payment interrupted bob")
	}
}

func TestInspectorPollsAndExports(t *testing.T) {
	h := newHarness(t)
	h.net.exchanges = demoExchanges(h.clock.t)
	cmd := h.key("4")
	if cmd == nil {
		t.Fatal("opening the inspector started nothing")
	}
	h.deliverExchanges()
	v := h.view()
	for _, want := range []string{"getPaymentCode", "pay", "INVALID", "INVALID_SIGNATURE !1"} {
		if !strings.Contains(v, want) {
			t.Errorf("inspector lacks %q:\n%s", want, v)
		}
	}
	// The poll: a tick of this generation asks for what follows.
	gen := h.app.inspGen
	h.net.exchanges = append(h.net.exchanges, Exchange{Seq: 4, At: h.clock.t, Direction: "out", API: "inquiryPayment",
		ResultStatus: "S", Signature: "ok", RequestBody: `{"paymentId":"PID-3"}`, ResponseBody: `{"ok":true}`})
	if cmd := h.send(inspectorTickMsg{gen: gen}); cmd == nil {
		t.Fatal("the tick did not re-arm")
	}
	h.deliverExchanges()
	if v := h.view(); !strings.Contains(v, "inquiryPayment") || strings.Count(v, "getPaymentCode") != 1 {
		t.Errorf("after the poll:\n%s", v)
	}
	// The cursor follows the newest; enter shows its bodies, pretty.
	h.key("enter")
	if v := h.view(); !strings.Contains(v, `"paymentId": "PID-3"`) || !strings.Contains(v, `"ok": true`) || !strings.Contains(v, "signature ok") ||
		!strings.Contains(v, "#4 in inquiryPayment") || !strings.Contains(v, "(Alipay+ called the wallet)") {
		t.Errorf("bodies:\n%s", v)
	}
	h.key("esc")
	cmd = h.key("e")
	if cmd == nil {
		t.Fatal("e returned no command")
	}
	expire := h.send(cmd())
	if v := h.view(); !strings.Contains(v, "Exported to /data/transcripts/transcript-20261125T120000Z.jsonl") || expire == nil {
		t.Errorf("export path not shown, or never to go:\n%s", v)
	}
	h.send(expire())
	if v := h.view(); strings.Contains(v, "Exported to") {
		t.Errorf("the export line outstayed its time:\n%s", v)
	}
	// A failure shows as one line.
	h.send(exchangesLoadedMsg{err: errors.New("simulator transcript: connection refused\nmore")})
	if v := h.view(); !strings.Contains(v, "Transcript: simulator transcript: connection refused") || strings.Contains(v, "more") {
		t.Errorf("poll error:\n%s", v)
	}
	// Leaving stops the poll: the old generation's tick does nothing.
	h.key("1")
	if cmd := h.send(inspectorTickMsg{gen: gen}); cmd != nil {
		t.Errorf("a stale inspector tick re-armed")
	}
	if h.app.inspGen == gen {
		t.Errorf("leaving the inspector kept its generation")
	}
}

// TestInspectorDetailSpellsItAllOut: the detail of an exchange shows its
// headers, the signature verdict, each finding in words and both bodies
// pretty-printed and wrapped, in a viewport that scrolls; directions are
// the wallet's (the simulator's "out" pay is the wallet's "in").
func TestInspectorDetailSpellsItAllOut(t *testing.T) {
	h := newHarness(t)
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.net.exchanges = demoExchanges(h.clock.t)
	h.key("4")
	h.deliverExchanges()
	list := h.view()
	for _, want := range []string{"    1 ", "out getPaymentCode", "in  pay", "pos gateway.pay"} {
		if !strings.Contains(list, want) {
			t.Errorf("list lacks %q:\n%s", want, list)
		}
	}
	h.key("up")
	h.key("enter")
	v := h.view()
	for _, want := range []string{"#2 in pay", "signature invalid: bad rsa", "Client-Id: SANDBOX_MPPWALLET_LOCAL",
		"1 conformance finding(s):", "! response Signature (pay, rule signature): signature check failed",
		`"paymentRequestId": "PR-1",`, "URI        http://127.0.0.1:7575/aps/api/v1/payments/pay", "F INVALID_SIGNATURE (HTTP 200)"} {
		if !strings.Contains(v, want) {
			t.Errorf("detail lacks %q:\n%s", want, v)
		}
	}
	for _, l := range strings.Split(v, "\n") {
		if w := lipgloss.Width(l); w > 80 {
			t.Errorf("a %d-column line at 80 columns: %q", w, l)
		}
	}
	// The long message wraps instead of being cut, and the viewport scrolls
	// to it.
	for i := 0; i < 20; i++ {
		h.key("down")
	}
	if v := h.view(); !strings.Contains(v, "registered for this Client-Id") {
		t.Errorf("scrolled down, the end of the response is not there:\n%s", v)
	}
	h.key("esc")
	if v := h.view(); !strings.Contains(v, "pos gateway.pay") {
		t.Errorf("esc did not go back to the list:\n%s", v)
	}
}

func TestPayCallbackWhileOnHistoryShowsTheResult(t *testing.T) {
	h := newHarness(t)
	h.key("2")
	h.deliverPayments()
	c, _ := h.app.code.current()
	p := wallet.Payment{RequestID: "PR-1", PaymentID: "PID-1", CustomerID: "alice", Mode: wallet.ModeUPM, CodeValue: c.Value,
		Status: wallet.StatusSucceeded, ResultCode: wallet.CodeSuccess, Amount: money.Money{Currency: "USD", Minor: 1000},
		PaymentAmount: money.Money{Currency: "USD", Minor: 1000}, Merchant: wallet.Merchant{Name: "UGG"}}
	h.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventDecided, Payment: p}})
	if v := h.view(); h.app.page != pageResult || !strings.Contains(v, "Payment successful") {
		t.Fatalf("page %d:\n%s", h.app.page, v)
	}
	h.key("enter")
	if h.app.page != pageCode {
		t.Errorf("enter on the result: page %d", h.app.page)
	}
	// A held payment interrupts the inspector, whose poll stops.
	h.key("4")
	gen := h.app.inspGen
	h.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventReceived, Payment: heldPayment(h)}})
	if h.app.page != pageConfirm {
		t.Fatalf("held payment on the inspector: page %d", h.app.page)
	}
	if cmd := h.send(inspectorTickMsg{gen: gen}); cmd != nil {
		t.Errorf("the inspector polls behind the confirmation")
	}
}

// TestResultWrapsLongMessagesAndNamesTheZone: at 60 columns a long decline
// message wraps whole instead of being cut, and the time has its zone.
func TestResultWrapsLongMessagesAndNamesTheZone(t *testing.T) {
	utcLocal(t)
	h := newHarness(t)
	h.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	p := heldPayment(h)
	p.Status, p.ResultCode, p.UpdatedAt = wallet.StatusFailed, wallet.CodeVerificationFailed, h.clock.t
	h.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventDecided, Payment: p}})
	v := h.view()
	for _, l := range strings.Split(v, "\n") {
		if w := lipgloss.Width(l); w > 60 {
			t.Errorf("a %d-column line at 60 columns: %q", w, l)
		}
	}
	joined := strings.Join(strings.Fields(v), " ")
	if !strings.Contains(joined, "USER_PAYMENT_VERIFICATION_FAILED: The payment is declined because the user verification failed.") {
		t.Errorf("the decline message is not whole:\n%s", v)
	}
	if !strings.Contains(v, "2026-11-25 12:00:00 UTC") {
		t.Errorf("the time has no zone:\n%s", v)
	}
}
