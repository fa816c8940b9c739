package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

// orderCode is an order code of the fake network.
const orderCode = "https://qr.mppwallet.test/2819990400011234567890123456"

// scanNet is the fake network's side of scanning: images by path, orders
// by code, and the answers given. The real backend (the code rules, the
// simulator, the ledger) is tested end to end in package main.
type scanNet struct {
	images   map[string]string // path → the code in it
	orders   map[string]ScanOrder
	refusals map[string]error
	paid     map[string]wallet.Payment // by paymentRequestId
	answers  []bool
	rules    string
}

func (b *network) ReadCode(_ context.Context, input string) (ScanRead, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	r := ScanRead{Code: input, Rules: b.scan.rules}
	if r.Rules == "" {
		r.Rules = "network c_16_ignet_25+s1"
	}
	if strings.HasSuffix(input, ".png") || strings.HasSuffix(input, ".jpg") {
		code, ok := b.scan.images[input]
		if !ok {
			return ScanRead{}, fmt.Errorf("no QR code or barcode found in %s", input)
		}
		r.Code, r.Image = code, input
	}
	switch {
	case strings.HasPrefix(r.Code, "https://qr.mppwallet.test/"):
		r.Supported, r.Action, r.Rule = true, "DECODE", `PREFIX "https://qr.mppwallet.test/28199904", priority 9000`
	case strings.HasPrefix(r.Code, "https://render.alipay.com/"):
		r.Supported, r.Action, r.URL, r.Rule = true, "OPEN_URL", r.Code, `PREFIX "https://render.alipay.com/p/w/ac-fe-adaptor/", priority 10000`
	default:
		r.Reason = "no Alipay+ code rule matches this code"
	}
	return r, nil
}

func (b *network) OpenOrder(_ context.Context, customerID, code string) (ScanOrder, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.scan.refusals[code]; err != nil {
		return ScanOrder{}, err
	}
	o, ok := b.scan.orders[code]
	if !ok {
		return ScanOrder{}, errors.New("Alipay+ refused the code: INVALID_CODE: The code is invalid.")
	}
	o.CustomerID = customerID
	if p, ok := b.scan.paid[o.RequestID]; ok {
		o.Previous = &p
	}
	return o, nil
}

func (b *network) PayOrder(_ context.Context, o ScanOrder, approve bool) (ScanResult, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if p, ok := b.scan.paid[o.RequestID]; ok {
		return ScanResult{Payment: p, Note: "This code was paid before: the same payment, nothing was debited again."}, nil
	}
	b.scan.answers = append(b.scan.answers, approve)
	p := wallet.Payment{RequestID: o.RequestID, PaymentID: "PID-" + o.RequestID, CustomerID: o.CustomerID, Mode: wallet.ModeMPM,
		Amount: o.Amount, PaymentAmount: o.PaymentAmount, Quote: o.Quote, Merchant: o.Merchant, CodeValue: o.CodeValue,
		Status: wallet.StatusSucceeded, ResultCode: wallet.CodeSuccess, PaidAt: b.clock.t}
	if !approve {
		p.PaymentID, p.Status, p.ResultCode, p.PaidAt, p.UpdatedAt = "", wallet.StatusFailed, wallet.CodeVerificationFailed, time.Time{}, b.clock.t
	}
	if b.scan.paid == nil {
		b.scan.paid = map[string]wallet.Payment{}
	}
	b.scan.paid[o.RequestID] = p
	return ScanResult{Payment: p}, nil
}

// withOrder gives the fake network a 13.50 SGD order (10.00 USD for alice)
// at orderCode, and its QR code in /tmp/order.png.
func withOrder(h *harness) {
	h.net.scan.images = map[string]string{"/tmp/order.png": orderCode}
	h.net.scan.orders = map[string]ScanOrder{orderCode: {PayOrder: wallet.PayOrder{RequestID: "PR-mpm", Mode: wallet.ModeMPM,
		CodeValue: orderCode, Amount: money.Money{Currency: "USD", Minor: 1000}, PaymentAmount: money.Money{Currency: "SGD", Minor: 1350},
		Quote:    wallet.Quote{ID: "Q1", CurrencyPair: "SGD/USD", Price: "1.35"},
		Merchant: wallet.Merchant{Name: "Kopi Corner", StoreName: "Tiong Bahru"}, OrderDescription: "Kopi x3",
		ExpiresAt: h.clock.t.Add(3 * time.Minute)}}}
}

// openScan shows the scan screen.
func (h *harness) openScan() {
	h.t.Helper()
	h.run(h.key("6"))
	if h.app.page != pageScan || h.app.scan.typing() {
		h.t.Fatalf("6: page %d, scan state %d, want the scan page with the input not focused", h.app.page, h.app.scan.state)
	}
	h.key("/")
	if !h.app.scan.typing() {
		h.t.Fatalf("/: scan state %d, want the input focused", h.app.scan.state)
	}
}

// typeText sends each rune as a key press.
func (h *harness) typeText(s string) {
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func TestScanPastedCodePays(t *testing.T) {
	utcLocal(t)
	h := newHarness(t)
	withOrder(h)
	h.openScan()
	if v := h.view(); !strings.Contains(v, "mppwallet · Scan") || !strings.Contains(v, "paste a code") || !strings.Contains(v, "enter read") {
		t.Fatalf("scan screen:\n%s", v)
	}
	h.send(tea.PasteMsg{Content: orderCode + "\n"})
	if got := h.app.scan.input.Value(); strings.TrimSpace(got) != orderCode {
		t.Fatalf("the input holds %q after the paste", got)
	}
	cmd := h.key("enter")
	if h.app.scan.state != scanReading || !strings.Contains(h.view(), "Reading…") {
		t.Fatalf("after enter: state %d\n%s", h.app.scan.state, h.view())
	}
	h.run(cmd) // read, identify, then userInitiatedPay
	if h.app.scan.state != scanConfirm {
		t.Fatalf("state %d, want the confirmation:\n%s", h.app.scan.state, h.view())
	}
	v := h.view()
	for _, want := range []string{"Read      " + orderCode, "Rules     network c_16_ignet_25+s1", "Alipay+ DECODE",
		"Pay 13.50 SGD to Kopi Corner?", "Tiong Bahru", "Kopi x3", "10.00 USD", "1.35 SGD/USD", "12:03:00", "y pay", "n decline"} {
		if !strings.Contains(v, want) {
			t.Errorf("confirmation lacks %q:\n%s", want, v)
		}
	}
	if len(h.net.scan.answers) != 0 {
		t.Fatalf("paid before the user answered")
	}
	// The screen keys work again (the input does not have them).
	h.run(h.key("y"))
	if len(h.net.scan.answers) != 1 || !h.net.scan.answers[0] {
		t.Fatalf("answers %v, want [true]", h.net.scan.answers)
	}
	v = h.view()
	if h.app.scan.state != scanDone || !strings.Contains(v, "Payment successful") || !strings.Contains(v, "PID-PR-mpm") ||
		!strings.Contains(v, "enter scan another") {
		t.Fatalf("result:\n%s", v)
	}
	// enter: a new scan with an empty input.
	h.key("enter")
	if !h.app.scan.typing() || h.app.scan.input.Value() != "" {
		t.Errorf("after the result: state %d, input %q", h.app.scan.state, h.app.scan.input.Value())
	}
	// Scanning the same code again shows the same payment, no question asked.
	h.send(tea.PasteMsg{Content: orderCode})
	h.run(h.key("enter"))
	if v := h.view(); h.app.scan.state != scanDone || !strings.Contains(v, "paid before") || len(h.net.scan.answers) != 1 {
		t.Errorf("rescan: state %d, answers %v\n%s", h.app.scan.state, h.net.scan.answers, v)
	}
}

func TestScanImagePathAndDecline(t *testing.T) {
	h := newHarness(t)
	withOrder(h)
	h.openScan()
	// Typed, digits included: the number keys type, they do not switch screens.
	h.typeText("/tmp/order.png")
	if h.app.page != pageScan || h.app.scan.input.Value() != "/tmp/order.png" {
		t.Fatalf("typing: page %d, input %q", h.app.page, h.app.scan.input.Value())
	}
	h.run(h.key("enter"))
	if v := h.view(); h.app.scan.state != scanConfirm || !strings.Contains(v, "From      /tmp/order.png") {
		t.Fatalf("state %d:\n%s", h.app.scan.state, v)
	}
	h.run(h.key("n"))
	if len(h.net.scan.answers) != 1 || h.net.scan.answers[0] {
		t.Fatalf("answers %v, want [false]", h.net.scan.answers)
	}
	if v := h.view(); !strings.Contains(v, "Payment failed") || !strings.Contains(v, "USER_PAYMENT_VERIFICATION_FAILED") {
		t.Errorf("declined result:\n%s", v)
	}
	// Number keys switch screens again outside the input.
	h.run(h.key("2"))
	if h.app.page != pageHistory {
		t.Errorf("2 on the result page of a scan: page %d", h.app.page)
	}
}

func TestScanOutcomesWithoutAPayment(t *testing.T) {
	cases := []struct {
		name, input string
		state       scanState
		want        []string
	}{
		{"not an Alipay+ code", "hello", scanDecided, []string{"not an Alipay+ code", "no Alipay+ code rule matches"}},
		{"open url", "https://render.alipay.com/p/w/ac-fe-adaptor/x", scanDecided,
			[]string{"Alipay+ OPEN_URL", "Open this page in a browser", "https://render.alipay.com/p/w/ac-fe-adaptor/x"}},
		{"expired order", "https://qr.mppwallet.test/2819990400010000000000000081", scanDecided,
			[]string{"Alipay+ DECODE", "Alipay+ refused the code: EXPIRED_CODE: The code is expired."}},
		{"unreadable image", "/tmp/cat.png", scanTyping, []string{"no QR code or barcode found in /tmp/cat.png"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			withOrder(h)
			h.net.scan.refusals = map[string]error{"https://qr.mppwallet.test/2819990400010000000000000081": errors.New("Alipay+ refused the code: EXPIRED_CODE: The code is expired.")}
			h.openScan()
			h.send(tea.PasteMsg{Content: c.input})
			h.run(h.key("enter"))
			v := h.view()
			if h.app.scan.state != c.state {
				t.Fatalf("state %d, want %d:\n%s", h.app.scan.state, c.state, v)
			}
			for _, want := range c.want {
				if !strings.Contains(v, want) {
					t.Errorf("view lacks %q:\n%s", want, v)
				}
			}
			if len(h.net.scan.answers) != 0 {
				t.Errorf("a payment was made")
			}
		})
	}
}

func TestScanEscAndStaleAnswers(t *testing.T) {
	h := newHarness(t)
	withOrder(h)
	h.openScan()
	// esc clears, then leaves for the code page.
	h.typeText("abc")
	h.key("esc")
	if h.app.scan.input.Value() != "" || h.app.page != pageScan {
		t.Fatalf("first esc: input %q page %d", h.app.scan.input.Value(), h.app.page)
	}
	h.run(h.key("esc"))
	if h.app.page != pageCode {
		t.Fatalf("second esc: page %d, want the code page", h.app.page)
	}
	// Leaving a read in flight drops its answer.
	h.openScan()
	h.send(tea.PasteMsg{Content: orderCode})
	read := h.key("enter")
	h.key("esc")
	h.run(read)
	if !h.app.scan.typing() {
		t.Errorf("a dropped read moved the screen on: state %d", h.app.scan.state)
	}
	// A paste on another page is not kept for the scan.
	h.run(h.key("esc"))
	h.run(h.key("esc"))
	h.send(tea.PasteMsg{Content: "zzz"})
	if strings.Contains(h.app.scan.input.Value(), "zzz") {
		t.Errorf("a paste on the code page reached the scan input")
	}
	// A UPM payment held for confirmation interrupts the scan screen.
	h.openScan()
	h.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventReceived, Payment: heldPayment(h)}})
	if h.app.page != pageConfirm {
		t.Errorf("held payment on the scan page: page %d", h.app.page)
	}
}

// TestGoldenScan pins the scan screen's steps at 80×24 and 120×40, light
// and dark.
func TestGoldenScan(t *testing.T) {
	utcLocal(t)
	views := []struct {
		name  string
		setup func(*harness)
	}{
		{"scan_idle", func(hs *harness) { hs.run(hs.key("6")) }},
		{"scan_input", func(hs *harness) {
			hs.openScan()
			hs.typeText("/tmp/order.png")
		}},
		{"scan_confirm_fx", func(hs *harness) {
			hs.openScan()
			hs.typeText("/tmp/order.png")
			hs.run(hs.key("enter"))
		}},
		{"scan_not_supported", func(hs *harness) {
			hs.openScan()
			hs.send(tea.PasteMsg{Content: "hello"})
			hs.run(hs.key("enter"))
		}},
		{"scan_result", func(hs *harness) {
			hs.net.scan.rules = "cached c_16_ignet_25+s1 from 2026-11-25 04:00 UTC"
			hs.openScan()
			hs.send(tea.PasteMsg{Content: orderCode})
			hs.run(hs.key("enter"))
			hs.run(hs.key("y"))
		}},
	}
	for _, v := range views {
		for _, sz := range goldenSizes {
			for _, th := range goldenThemes {
				t.Run(fmt.Sprintf("%s_%dx%d_%s", v.name, sz.w, sz.h, th.name), func(t *testing.T) {
					hs := goldenHarness(t, th.bg, sz.w, sz.h)
					withOrder(hs)
					v.setup(hs)
					golden.RequireEqual(t, []byte(ansi.Strip(hs.app.View().Content)))
				})
			}
		}
	}
}
