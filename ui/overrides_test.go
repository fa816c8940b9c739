package ui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/mppwallet/mppwallet/wallet"
)

// run runs a command and its batched commands through Update, skipping
// ticks and the event wait (which would block or sleep).
func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	case nil, tickMsg, inspectorTickMsg:
	default:
		h.run(h.send(msg))
	}
}

// openOverrides shows screen 5 and answers its loads.
func (h *harness) openOverrides() {
	h.t.Helper()
	h.run(h.key("5"))
	if h.app.page != pageOverrides {
		h.t.Fatalf("5: page %d, want the overrides page", h.app.page)
	}
	if h.app.over.loading {
		h.t.Fatal("the faults were not loaded")
	}
}

// choose moves the cursor to the choice labelled label and presses enter.
func (h *harness) choose(label string) {
	h.t.Helper()
	for i, c := range h.app.over.choices {
		if c.label == label {
			for h.app.over.cursor > i {
				h.key("k")
			}
			for h.app.over.cursor < i {
				h.key("down")
			}
			h.run(h.key("enter"))
			return
		}
	}
	h.t.Fatalf("no choice %q", label)
}

func TestOverridesAskSetsTheUserOverride(t *testing.T) {
	h := newHarness(t)
	h.openOverrides()
	if v := h.view(); !strings.Contains(v, "Next payments of Alice: pay normally") || !strings.Contains(v, "1-6") {
		t.Fatalf("overrides view:\n%s", v)
	}
	h.choose("ask me (hold for y/n)")
	if len(h.net.overrides) != 1 || h.net.overrides[0] != wallet.OverrideAsk {
		t.Fatalf("SetOverride calls %v, want [ASK]", h.net.overrides)
	}
	if v := h.view(); !strings.Contains(v, "Next payments of Alice: ask me (hold for y/n)") {
		t.Errorf("the screen does not show the new override:\n%s", v)
	}
	if h.app.user.Override != wallet.OverrideAsk {
		t.Errorf("app user override %q", h.app.user.Override)
	}
	// A decline code.
	h.choose("decline " + string(wallet.CodeBalanceNotEnough))
	if got := h.net.overrides[len(h.net.overrides)-1]; got != wallet.Override(wallet.CodeBalanceNotEnough) {
		t.Fatalf("SetOverride got %q", got)
	}
	if v := h.view(); !strings.Contains(v, "Next payments of Alice: decline USER_BALANCE_NOT_ENOUGH") {
		t.Errorf("decline not shown:\n%s", v)
	}
	// Back to normal.
	h.choose("pay normally")
	if got := h.net.overrides[len(h.net.overrides)-1]; got != "" {
		t.Fatalf("SetOverride got %q, want none", got)
	}
	if v := h.view(); !strings.Contains(v, "Next payments of Alice: pay normally") {
		t.Errorf("normal not shown:\n%s", v)
	}
}

func TestOverridesEveryDeclineCodeIsAChoice(t *testing.T) {
	h := newHarness(t)
	h.openOverrides()
	for _, c := range wallet.DeclineCodes {
		h.choose("decline " + string(c))
		if got := h.net.overrides[len(h.net.overrides)-1]; got != wallet.Override(c) {
			t.Errorf("decline %s: SetOverride got %q", c, got)
		}
	}
}

func TestOverridesNoAnswerAddsAFaultAndXRemovesIt(t *testing.T) {
	h := newHarness(t)
	h.openOverrides()
	if v := h.view(); !strings.Contains(v, "Active pay faults") || !strings.Contains(v, "none") {
		t.Fatalf("no faults yet:\n%s", v)
	}
	h.choose("no answer (drop)")
	if len(h.net.specs) != 1 || h.net.specs[0] != "pay:drop,count=1" {
		t.Fatalf("AddFault calls %q", h.net.specs)
	}
	if len(h.net.overrides) != 0 {
		t.Errorf("a network fault set the user override: %v", h.net.overrides)
	}
	v := h.view()
	if !strings.Contains(v, "pay:drop,count=1") || !strings.Contains(v, "until 12:30:00") {
		t.Fatalf("the fault is not listed with its expiry:\n%s", v)
	}
	h.choose("delay the answer 3 s")
	if h.net.specs[1] != "pay:delay=3s,count=1" {
		t.Fatalf("AddFault calls %q", h.net.specs)
	}
	if len(h.app.over.faults) != 2 {
		t.Fatalf("faults shown %v", h.app.over.faults)
	}
	// x on a choice does nothing; on the first fault removes it.
	if cmd := h.key("x"); cmd != nil {
		t.Errorf("x on a choice returned a command")
	}
	for h.app.over.cursor < len(h.app.over.choices) {
		h.key("down")
	}
	h.run(h.key("x"))
	if len(h.net.faults) != 1 || h.net.faults[0].Spec != "pay:delay=3s,count=1" {
		t.Fatalf("after x the backend holds %v", h.net.faults)
	}
	if v := h.view(); strings.Contains(v, "pay:drop") || !strings.Contains(v, "Removed fault #1") {
		t.Errorf("after x:\n%s", v)
	}
	// Faults on other APIs are not listed.
	h.net.faults = append(h.net.faults, FaultInfo{ID: 9, Spec: "refund:drop", Until: h.clock.t})
	h.run(h.key("1"))
	h.openOverrides()
	if v := h.view(); strings.Contains(v, "refund:drop") {
		t.Errorf("a refund fault is listed:\n%s", v)
	}
}

func TestOverridesErrorsShowAsAStatusLine(t *testing.T) {
	h := newHarness(t)
	h.net.faultErr = errors.New("simulator faults: connection refused")
	h.openOverrides()
	if v := h.view(); !strings.Contains(v, "connection refused") {
		t.Fatalf("load error not shown:\n%s", v)
	}
	h.choose("no answer (drop)")
	if v := h.view(); !strings.Contains(v, "connection refused") {
		t.Errorf("add error not shown:\n%s", v)
	}
	if h.app.over.busy {
		t.Errorf("still busy after the error")
	}
}

func TestOverridesPayCallbackInterrupts(t *testing.T) {
	h := newHarness(t)
	h.openOverrides()
	h.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventReceived, Payment: heldPayment(h)}})
	if h.app.page != pageConfirm {
		t.Fatalf("a held payment on the overrides page: page %d", h.app.page)
	}
	h.run(h.key("y"))
	if h.app.page != pageResult {
		t.Fatalf("after y: page %d", h.app.page)
	}
	// A decided payment interrupts too.
	h.run(h.key("enter"))
	h.openOverrides()
	p := heldPayment(h)
	p.RequestID, p.Status, p.ResultCode = "PR-2", wallet.StatusFailed, wallet.CodeRiskReject
	h.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventDecided, Payment: p}})
	if v := h.view(); h.app.page != pageResult || !strings.Contains(v, "RISK_REJECT") {
		t.Errorf("decided payment on the overrides page: page %d\n%s", h.app.page, v)
	}
}
