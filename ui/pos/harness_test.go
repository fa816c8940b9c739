package pos

import (
	"context"
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mppwallet/mppwallet/internal/money"
)

// fakeTill answers from a script: a code's sale as given (SUCCESS with
// made-up ids otherwise). A code in block waits for its context, as a
// payment held for the customer's confirmation does, and comes back
// CANCELLED. The model is UI only; the real till is tested end to end in
// internal/cli.
type fakeTill struct {
	sales      map[string]Sale
	block      map[string]bool
	refusal    *Refusal
	charged    []string
	refunds    []money.Money
	voids      []string
	n          int
	chargeErrs map[string]error
}

func newFakeTill() *fakeTill {
	return &fakeTill{sales: map[string]Sale{}, block: map[string]bool{}, chargeErrs: map[string]error{}}
}

func (f *fakeTill) Charge(ctx context.Context, code string, amount money.Money) (Sale, error) {
	f.charged = append(f.charged, code)
	f.n++
	req := fmt.Sprintf("POS-REQ-%04d", f.n)
	if err := f.chargeErrs[code]; err != nil {
		return Sale{}, err
	}
	if f.block[code] {
		<-ctx.Done()
		return Sale{Code: code, Amount: amount, RequestID: req, Status: StatusCancelled, ResultCode: "PAYMENT_IN_PROCESS",
			ResultMessage: "voided before it was final"}, nil
	}
	s, ok := f.sales[code]
	if !ok {
		s = Sale{Status: StatusSuccess, ResultCode: "SUCCESS", ResultMessage: "Success",
			PaymentID: fmt.Sprintf("20261204611115793068995%05d", f.n), Customer: "Alice",
			PaidAt: time.Date(2026, 12, 4, 17, 43, 8, 0, time.UTC)}
	}
	s.Code, s.Amount, s.RequestID = code, amount, req
	return s, nil
}

func (f *fakeTill) Refund(_ context.Context, s Sale, amount money.Money) (Refund, error) {
	if f.refusal != nil {
		return Refund{}, f.refusal
	}
	f.refunds = append(f.refunds, amount)
	return Refund{RequestID: fmt.Sprintf("POS-RF-%d", len(f.refunds)), RefundID: fmt.Sprintf("RF%d", len(f.refunds)), Amount: amount}, nil
}

func (f *fakeTill) Void(_ context.Context, s Sale) error {
	if f.refusal != nil {
		return f.refusal
	}
	f.voids = append(f.voids, s.RequestID)
	return nil
}

// harness drives the model as Bubble Tea would, running its commands in
// the test's goroutine.
type harness struct {
	t    *testing.T
	m    Model
	till *fakeTill
	quit bool
	// pending are the commands not run yet (the charge in flight).
	pending []tea.Cmd
}

// testNow is the clock of every log line.
var testNow = time.Date(2026, 12, 4, 17, 43, 8, 0, time.UTC)

func newHarness(t *testing.T, cfg Config) *harness {
	h := &harness{t: t, till: newFakeTill()}
	if cfg.Till == nil {
		cfg.Till = h.till
	}
	cfg.Now = func() time.Time { return testNow }
	if cfg.Shop == "" {
		cfg.Shop = "UGG · UGG-2 · T0000001"
	}
	h.m = New(cfg)
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	return h
}

func usd(minor int64) money.Money { return money.Money{Currency: "USD", Minor: minor} }

// send delivers one message and keeps the command it returns.
func (h *harness) send(msg tea.Msg) {
	next, cmd := h.m.Update(msg)
	h.m = next.(Model)
	if cmd != nil {
		h.pending = append(h.pending, cmd)
	}
}

// settle runs every pending command (and those their answers return)
// until none is left.
func (h *harness) settle() {
	for len(h.pending) > 0 {
		cmd := h.pending[0]
		h.pending = h.pending[1:]
		h.deliver(cmd())
	}
}

func (h *harness) deliver(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			if c != nil {
				h.deliver(c())
			}
		}
	case tea.QuitMsg:
		h.quit = true
	case chargedMsg, refundedMsg, voidedMsg:
		h.send(msg)
	default:
		h.t.Fatalf("unexpected command answer %T", msg)
	}
}

// keyMsgs are the keys tests press by name.
var keyMsgs = map[string]tea.KeyPressMsg{
	"enter":     {Code: tea.KeyEnter},
	"tab":       {Code: tea.KeyTab},
	"esc":       {Code: tea.KeyEscape},
	"backspace": {Code: tea.KeyBackspace},
	"ctrl+a":    {Code: 'a', Mod: tea.ModCtrl},
	"ctrl+c":    {Code: 'c', Mod: tea.ModCtrl},
	"ctrl+j":    {Code: 'j', Mod: tea.ModCtrl},
	"ctrl+r":    {Code: 'r', Mod: tea.ModCtrl},
	"ctrl+x":    {Code: 'x', Mod: tea.ModCtrl},
	"f2":        {Code: tea.KeyF2},
	"f3":        {Code: tea.KeyF3},
	"f4":        {Code: tea.KeyF4},
}

// press sends a named key.
func (h *harness) press(name string) {
	h.t.Helper()
	k, ok := keyMsgs[name]
	if !ok {
		h.t.Fatalf("no key %q", name)
	}
	if k.String() != name {
		h.t.Fatalf("key %q reads as %q", name, k.String())
	}
	h.send(k)
}

// typeText sends one key press a character, as a keyboard wedge does.
func (h *harness) typeText(s string) {
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// scan types a code and its terminator and runs the charge.
func (h *harness) scan(code, terminator string) {
	h.t.Helper()
	h.typeText(code)
	h.press(terminator)
	h.settle()
}
