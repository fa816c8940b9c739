package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

// watching is the fake network with the code and peer watches of the
// simulator's backend: states answers CodeStates, moved PeersMoved.
type watching struct {
	*network
	states []CodeState
	moved  bool
}

func (w *watching) CodeStates(context.Context, string, []string) ([]CodeState, error) {
	return w.states, nil
}
func (w *watching) PeersMoved(context.Context) bool { return w.moved }

func newWatchingHarness(t *testing.T) (*harness, *watching) {
	var w *watching
	h := newHarness(t, func(c *Config) {
		w = &watching{network: c.Backend.(*network)}
		c.Backend = w
	})
	return h, w
}

// A peer that is down is said plainly on the Pay screen: what, where,
// what the app does, and a countdown that moves (1 s, 2 s, 4 s between
// tries) and is never a stuck 0 s; once it answers the code is back.
func TestFetchFailuresBackOffWithALiveCountdown(t *testing.T) {
	h := newHarness(t)
	h.net.fail = &PeerError{Peer: "the Alipay+ simulator", Where: "http://127.0.0.1:7576", Doing: "watching DATA/run/sim.json",
		Err: errors.New("connection refused")}
	h.key("f")
	h.deliverFetch()
	v := flat(h.app.View().Content)
	for _, want := range []string{"No valid code: the Alipay+ simulator at http://127.0.0.1:7576 is not answering (connection refused).",
		"Watching DATA/run/sim.json; retrying in 1s (attempt 2)"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	var seen []string
	for range 7 {
		h.second()
		v := flat(h.app.View().Content)
		if strings.Contains(v, " 0s") {
			t.Fatalf("a stuck 0 s:\n%s", v)
		}
		i := strings.Index(v, "retrying in ")
		if i < 0 {
			t.Fatalf("no countdown:\n%s", v)
		}
		seen = append(seen, strings.Fields(v[i:])[2])
	}
	if got, want := strings.Join(seen, " "), "2s 1s 4s 3s 2s 1s 8s"; got != want {
		t.Errorf("countdown %q, want %q", got, want)
	}
	h.net.fail = nil
	for range 8 {
		h.second()
	}
	if _, ok := h.app.code.current(); !ok || h.app.code.fetchErr != nil {
		t.Errorf("no code once the peer answers:\n%s", h.app.View().Content)
	}
}

// A peer published again (a simulator restarted) is asked at once, not at
// the end of the backoff, and the codes the old one issued go.
func TestAPeerBackIsAskedAtOnce(t *testing.T) {
	h, w := newWatchingHarness(t)
	old, _ := h.app.code.current()
	h.net.fail = errors.New("down")
	h.app.code.codes = h.app.code.codes[1:] // the first was used: the rest are not valid yet
	h.second()
	h.deliverFetch()
	h.second()
	h.deliverFetch() // second failure: 2 s to wait
	h.clock.t = h.clock.t.Add(500 * 1e6)
	h.send(tickMsg{gen: h.app.gen})
	if !h.app.code.watch.probing {
		t.Fatal("no probe of the peers while fetches fail")
	}
	h.net.fail, w.moved = nil, true
	cmd := h.send(peersMovedMsg{moved: true})
	if cmd == nil || !h.app.code.fetching {
		t.Fatal("a peer back did not start a fetch at once")
	}
	if len(h.app.code.codes) != 0 {
		t.Errorf("%d codes of the old simulator kept", len(h.app.code.codes))
	}
	h.deliverFetch()
	if c, ok := h.app.code.current(); !ok || c.Value == old.Value {
		t.Errorf("after the peer came back: %v %q", ok, c.Value)
	}
}

// A code Alipay+ answered without the wallet (a magic decline) gets its
// result page and leaves the screen; codes Alipay+ does not know (it
// restarted) are dropped and new ones fetched.
func TestCodeAnsweredWithoutTheWalletShowsTheResult(t *testing.T) {
	h, _ := newWatchingHarness(t)
	c, _ := h.app.code.current()
	h.second()
	if !h.app.code.watch.asking {
		t.Fatal("the app did not ask about its codes")
	}
	declined := wallet.Payment{RequestID: "PR-m", CustomerID: "alice", Mode: wallet.ModeUPM, CodeValue: c.Value, Status: wallet.StatusFailed,
		ResultCode: "RISK_REJECT", Amount: money.Money{Currency: "USD", Minor: 1251}, PaymentAmount: money.Money{Currency: "USD", Minor: 1251},
		Merchant: wallet.Merchant{Name: "UGG"}}
	var states []CodeState
	for _, v := range h.app.code.held() {
		st := CodeState{Value: v}
		if v == c.Value {
			st.Used, st.Payment, st.Note = true, &declined, "Alipay+ answered this payment itself."
		}
		states = append(states, st)
	}
	h.send(codeStatesMsg{customerID: "alice", asked: h.app.code.held(), states: states})
	v := h.app.View().Content
	if h.app.page != pageResult || !strings.Contains(v, "Payment failed") || !strings.Contains(v, "RISK_REJECT") ||
		!strings.Contains(v, "answered this payment itself") {
		t.Fatalf("page %d:\n%s", h.app.page, v)
	}
	h.key("enter")
	if h.app.code.fetching {
		h.deliverFetch()
	}
	if cur, ok := h.app.code.current(); !ok || cur.Value == c.Value {
		t.Errorf("after the result: %v %q, want a fresh code (not %q)", ok, cur.Value, c.Value)
	}
	// A simulator that restarted knows none of them.
	h.send(codeStatesMsg{customerID: "alice", asked: h.app.code.held()})
	if len(h.app.code.held()) != 0 || !h.app.code.fetching {
		t.Errorf("codes unknown to Alipay+ kept (%d) or no fetch (%v)", len(h.app.code.held()), h.app.code.fetching)
	}
}

// A held payment Alipay+ closes before the user answers leaves the y/n
// prompt for its result page.
func TestCancelledHeldPaymentShowsTheResult(t *testing.T) {
	h := newHarness(t)
	c, _ := h.app.code.current()
	p := wallet.Payment{RequestID: "PR-ask", CustomerID: "alice", Mode: wallet.ModeUPM, CodeValue: c.Value, Status: wallet.StatusProcessing,
		Amount: money.Money{Currency: "USD", Minor: 1234}, PaymentAmount: money.Money{Currency: "USD", Minor: 1234}, Merchant: wallet.Merchant{Name: "UGG"}}
	h.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventReceived, Payment: p}})
	p.Status, p.ResultCode = wallet.StatusCancelled, wallet.CodeOrderClosed
	h.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventCancelled, Payment: p}})
	if v := h.app.View().Content; h.app.page != pageResult || !strings.Contains(v, "Payment cancelled") ||
		!strings.Contains(v, "before you answered") {
		t.Fatalf("page %d:\n%s", h.app.page, v)
	}
	if cmd := h.key("y"); cmd != nil || h.net.approved["PR-ask"] {
		t.Errorf("y on the result page still answers the cancelled payment")
	}
}

// History selects the newest payment on entry, marks it without colour,
// and enter opens that one, even when the cursor was elsewhere before.
func TestHistorySelectsTheNewestOnEntry(t *testing.T) {
	h := newHarness(t)
	h.net.payments = demoPayments(h.clock.t)
	h.key("2")
	h.deliverPayments()
	h.key("down") // the older one
	if p, _ := h.app.history.selected(); p.RequestID != "PR-old" {
		t.Fatalf("down selected %q", p.RequestID)
	}
	h.key("1")
	h.net.payments = append(h.net.payments, wallet.Payment{RequestID: "PR-new", PaymentID: "PID-new", CustomerID: "alice",
		Mode: wallet.ModeUPM, Status: wallet.StatusSucceeded, Amount: money.Money{Currency: "USD", Minor: 420},
		PaymentAmount: money.Money{Currency: "USD", Minor: 420}, Merchant: wallet.Merchant{Name: "Newest"}, PaidAt: h.clock.t})
	h.key("2")
	h.deliverPayments()
	if p, _ := h.app.history.selected(); p.RequestID != "PR-new" {
		t.Errorf("on entry %q is selected, want the newest", p.RequestID)
	}
	for _, l := range strings.Split(h.app.View().Content, "\n") {
		if strings.Contains(l, marker) != strings.Contains(l, "Newest") {
			t.Errorf("the marker is not on the newest row only: %q", l)
		}
	}
	h.key("enter")
	if v := h.app.View().Content; !strings.Contains(v, "PID-new") {
		t.Errorf("enter opened another payment:\n%s", v)
	}
}

// x puts the code's digits on the clipboard (OSC 52) and shows them all.
func TestCopyKeyCopiesTheCode(t *testing.T) {
	h := newHarness(t)
	c, _ := h.app.code.current()
	cmd := h.key("x")
	if cmd == nil {
		t.Fatal("x returned no command")
	}
	if got := fmt.Sprint(cmd()); got != c.Value {
		t.Errorf("clipboard gets %q, want %q", got, c.Value)
	}
	if !h.app.code.reveal || !strings.Contains(h.app.View().Content, grouped(c.Value)) {
		t.Errorf("the digits are not shown after a copy:\n%s", h.app.View().Content)
	}
}

// flat is a view as words: no colours, one space between words, so text
// wrapped to the window still matches.
func flat(v string) string { return strings.Join(strings.Fields(ansi.Strip(v)), " ") }
