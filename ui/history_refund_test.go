package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

func usd(minor int64) money.Money { return money.Money{Currency: "USD", Minor: minor} }

// refundPayments are alice's history for the refund tests, oldest first
// (the fake lists them newest first): a paid coffee, a paid FX payment, a
// paid lunch (the newest).
func refundPayments(at time.Time) []wallet.Payment {
	paid := func(id, merchant string, amt, payAmt money.Money, ago time.Duration) wallet.Payment {
		return wallet.Payment{RequestID: id, PaymentID: "PID-" + id, CustomerID: "alice", Mode: wallet.ModeUPM,
			Status: wallet.StatusSucceeded, ResultCode: wallet.CodeSuccess, Amount: amt, PaymentAmount: payAmt,
			Merchant: wallet.Merchant{Name: merchant}, PaidAt: at.Add(-ago)}
	}
	return []wallet.Payment{
		paid("PR-coffee", "Coffee Cart", usd(450), usd(450), 3*time.Hour),
		paid("PR-fx", "UGG Tokyo", usd(990), money.Money{Currency: "JPY", Minor: 1500}, 2*time.Hour),
		paid("PR-lunch", "Lunch Box", usd(1234), usd(1234), time.Hour),
	}
}

// openRefundHistory shows History with ps loaded and moves the cursor down
// downs rows, opening the detail if asked.
func openRefundHistory(t *testing.T, ps []wallet.Payment, downs int, detail bool) *harness {
	t.Helper()
	h := newHarness(t)
	h.net.payments = ps
	h.key("2")
	h.deliverPayments()
	for range downs {
		h.key("down")
	}
	if detail {
		h.key("enter")
		if !h.app.history.detail {
			t.Fatal("enter did not open the detail")
		}
	}
	return h
}

// rowOf is the History table's line for merchant, or "".
func rowOf(h *harness, merchant string) string {
	for _, l := range strings.Split(ansi.Strip(h.app.View().Content), "\n") {
		if strings.Contains(l, merchant) && !strings.Contains(l, "Refund") {
			return l
		}
	}
	return ""
}

// R refunds the row under the cursor, not the newest one: the question
// names that payment and what is left of it (in the merchant's currency
// for an FX payment), y asks the backend for exactly that, and after the
// reload the same row is selected and shows refunded.
func TestRefundActsOnTheSelectedRow(t *testing.T) {
	for _, tc := range []struct {
		name     string
		edit     func([]wallet.Payment)
		downs    int
		detail   bool
		merchant string
		ask      string
		want     refundCall
		status   string
	}{
		{name: "second row", downs: 1, merchant: "UGG Tokyo",
			ask:  "Refund 1500 JPY of UGG Tokyo (PR-fx)? y refund all · n/esc cancel",
			want: refundCall{"PR-fx", money.Money{Currency: "JPY", Minor: 1500}}, status: "refunded"},
		{name: "third row", downs: 2, merchant: "Coffee Cart",
			ask:  "Refund 4.50 USD of Coffee Cart (PR-coffee)? y refund all · n/esc cancel",
			want: refundCall{"PR-coffee", usd(450)}, status: "refunded"},
		{name: "from the detail", downs: 2, detail: true, merchant: "Coffee Cart",
			ask:  "Refund 4.50 USD of Coffee Cart (PR-coffee)? y refund all · n/esc cancel",
			want: refundCall{"PR-coffee", usd(450)}, status: "refunded"},
		{name: "what is left of a part refund", downs: 2, merchant: "Coffee Cart",
			edit: func(ps []wallet.Payment) { ps[0].Refunded = 200 },
			ask:  "Refund 2.50 USD of Coffee Cart (PR-coffee)?",
			want: refundCall{"PR-coffee", usd(250)}, status: "refunded"},
		{name: "what is left of an FX part refund", downs: 1, merchant: "UGG Tokyo",
			edit: func(ps []wallet.Payment) { ps[1].RefundedPayment, ps[1].Refunded = 500, 330 },
			ask:  "Refund 1000 JPY of UGG Tokyo (PR-fx)?",
			want: refundCall{"PR-fx", money.Money{Currency: "JPY", Minor: 1000}}, status: "refunded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := refundPayments(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
			if tc.edit != nil {
				tc.edit(ps)
			}
			var before []int64
			for _, p := range ps {
				before = append(before, p.Refunded)
			}
			h := openRefundHistory(t, ps, tc.downs, tc.detail)
			if h.key("R") != nil {
				t.Fatal("R ran a command before the answer")
			}
			if v := flat(h.app.View().Content); !strings.Contains(v, tc.ask) {
				t.Fatalf("R: the view lacks %q:\n%s", tc.ask, v)
			}
			if len(h.net.refunds) != 0 {
				t.Fatalf("refunded before y: %+v", h.net.refunds)
			}
			cmd := h.key("y")
			if cmd == nil {
				t.Fatal("y ran nothing")
			}
			if len(h.net.refunds) != 0 {
				t.Fatal("y refunded on the event loop, not in a command")
			}
			h.send(cmd())
			if !slices.Equal(h.net.refunds, []refundCall{tc.want}) {
				t.Fatalf("refunds asked %+v, want %+v", h.net.refunds, tc.want)
			}
			wantLine := "Refunded " + tc.want.amount.String() + " (refundId RF-" + tc.want.requestID + ")"
			if v := flat(h.app.View().Content); !strings.Contains(v, wantLine) {
				t.Fatalf("the view lacks %q:\n%s", wantLine, v)
			}
			h.deliverPayments()
			if p, _ := h.app.history.selected(); p.RequestID != tc.want.requestID {
				t.Fatalf("after the reload %s is selected, want %s", p.RequestID, tc.want.requestID)
			}
			if tc.detail {
				if !h.app.history.detail {
					t.Fatal("the refund left the detail")
				}
				if v := flat(h.app.View().Content); !strings.Contains(v, "Refunded "+tc.want.amount.String()) ||
					!strings.Contains(v, "Request ID "+tc.want.requestID) {
					t.Fatalf("the detail does not show the refund of %s:\n%s", tc.want.requestID, v)
				}
				h.key("esc")
			}
			row := rowOf(h, tc.merchant)
			if !strings.Contains(row, marker) || !strings.Contains(row, " "+tc.status+" ") {
				t.Fatalf("%s's row is %q, want it selected and %s", tc.merchant, row, tc.status)
			}
			for i, p := range h.net.payments {
				if p.RequestID != tc.want.requestID && p.Refunded != before[i] {
					t.Errorf("%s was refunded too", p.RequestID)
				}
			}
			if row := rowOf(h, "Lunch Box"); strings.Contains(row, "refund") {
				t.Errorf("the newest payment's row is %q; it was not refunded", row)
			}
		})
	}
}

// R on a payment that cannot be refunded says why and asks nothing: a y
// after it refunds nothing.
func TestRefundRefusesWhatCannotBeRefunded(t *testing.T) {
	for _, tc := range []struct {
		name   string
		edit   func(*wallet.Payment)
		detail bool
		want   string
	}{
		{"failed", func(p *wallet.Payment) { p.Status, p.ResultCode = wallet.StatusFailed, wallet.CodeBalanceNotEnough }, false,
			"only a paid payment can be refunded"},
		{"failed, from the detail", func(p *wallet.Payment) { p.Status = wallet.StatusFailed }, true,
			"only a paid payment can be refunded"},
		{"processing", func(p *wallet.Payment) { p.Status = wallet.StatusProcessing }, false,
			"only a paid payment can be refunded"},
		{"refunded in full", func(p *wallet.Payment) { p.Refunded = p.Amount.Minor }, false, "already refunded in full"},
		{"refunded in full, from the detail", func(p *wallet.Payment) { p.Refunded = p.Amount.Minor }, true,
			"already refunded in full"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := refundPayments(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
			tc.edit(&ps[1]) // the second row
			h := openRefundHistory(t, ps, 1, tc.detail)
			if h.key("R") == nil {
				t.Fatal("R armed no expiry for its message")
			}
			v := flat(h.app.View().Content)
			if !strings.Contains(v, tc.want) {
				t.Fatalf("the view lacks %q:\n%s", tc.want, v)
			}
			if strings.Contains(v, "y refund all") {
				t.Fatalf("R asked to refund it:\n%s", v)
			}
			if cmd := h.key("y"); cmd != nil {
				cmd()
			}
			if len(h.net.refunds) != 0 {
				t.Fatalf("refunds asked: %+v", h.net.refunds)
			}
			h.send(refundStatusExpiredMsg{gen: h.app.history.refund.gen})
			if v := flat(h.app.View().Content); strings.Contains(v, tc.want) {
				t.Fatalf("the message outlived its expiry:\n%s", v)
			}
		})
	}
}

// n or esc answers the question no: nothing is refunded, the screen stays
// (esc does not leave History or the detail), and a y after it does
// nothing.
func TestRefundCancels(t *testing.T) {
	for _, tc := range []struct {
		name, key string
		detail    bool
	}{{"n", "n", false}, {"esc", "esc", false}, {"n in the detail", "n", true}, {"esc in the detail", "esc", true}} {
		t.Run(tc.name, func(t *testing.T) {
			h := openRefundHistory(t, refundPayments(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)), 1, tc.detail)
			h.key("R")
			if !strings.Contains(flat(h.app.View().Content), "y refund all") {
				t.Fatal("R did not ask")
			}
			if cmd := h.key(tc.key); cmd != nil {
				t.Fatalf("%s ran a command", tc.key)
			}
			if v := flat(h.app.View().Content); strings.Contains(v, "y refund all") {
				t.Fatalf("%s left the question up:\n%s", tc.key, v)
			}
			if h.app.page != pageHistory || h.app.history.detail != tc.detail {
				t.Fatalf("%s moved: page %d, detail %v", tc.key, h.app.page, h.app.history.detail)
			}
			if cmd := h.key("y"); cmd != nil {
				cmd()
			}
			if len(h.net.refunds) != 0 {
				t.Fatalf("refunds asked: %+v", h.net.refunds)
			}
		})
	}
}

// A refused refund is said in words, and the history reloads all the same.
func TestRefundFailureIsSaid(t *testing.T) {
	h := openRefundHistory(t, refundPayments(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)), 1, false)
	h.net.refundErr = errors.New("the wallet refused the refund: REFUND_AMOUNT_EXCEED 15.00 JPY asked, 0 JPY left to refund")
	h.key("R")
	h.send(h.key("y")())
	v := flat(h.app.View().Content)
	if !strings.Contains(v, "Refund failed: the wallet refused the refund: REFUND_AMOUNT_EXCEED") {
		t.Fatalf("the view does not say the refusal:\n%s", v)
	}
	h.deliverPayments()
	if p, _ := h.app.history.selected(); p.RequestID != "PR-fx" {
		t.Fatalf("after the reload %s is selected, want PR-fx", p.RequestID)
	}
}

// refundLeft asks for what is left, in the merchant's currency for an FX
// payment unless part went back in the wallet's.
func TestRefundLeft(t *testing.T) {
	jpy := func(minor int64) money.Money { return money.Money{Currency: "JPY", Minor: minor} }
	for _, tc := range []struct {
		name string
		p    wallet.Payment
		want money.Money
	}{
		{"same currency", wallet.Payment{Status: wallet.StatusSucceeded, Amount: usd(1234), PaymentAmount: usd(1234)}, usd(1234)},
		{"same currency, part refunded", wallet.Payment{Status: wallet.StatusSucceeded, Amount: usd(1234), PaymentAmount: usd(1234),
			Refunded: 234}, usd(1000)},
		{"FX", wallet.Payment{Status: wallet.StatusSucceeded, Amount: usd(990), PaymentAmount: jpy(1500)}, jpy(1500)},
		{"FX, part refunded in JPY", wallet.Payment{Status: wallet.StatusSucceeded, Amount: usd(990), PaymentAmount: jpy(1500),
			Refunded: 330, RefundedPayment: 500}, jpy(1000)},
		{"FX, part refunded in USD", wallet.Payment{Status: wallet.StatusSucceeded, Amount: usd(990), PaymentAmount: jpy(1500),
			Refunded: 100}, usd(890)},
		{"FX, refunded in both", wallet.Payment{Status: wallet.StatusSucceeded, Amount: usd(990), PaymentAmount: jpy(1500),
			Refunded: 430, RefundedPayment: 500}, usd(560)},
		{"no merchant amount", wallet.Payment{Status: wallet.StatusSucceeded, Amount: usd(500)}, usd(500)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := refundLeft(tc.p); got != tc.want {
				t.Fatalf("refundLeft = %s, want %s", got, tc.want)
			}
		})
	}
}
