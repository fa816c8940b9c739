package pos

import (
	"errors"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/mppwallet/mppwallet/internal/money"
)

func TestScanTerminators(t *testing.T) {
	cases := []struct {
		name    string
		scanner Scanner
		send    func(h *harness)
		want    []string
	}{
		{"enter", Scanner{}, func(h *harness) { h.scan(goodCode, "enter") }, []string{goodCode}},
		{"tab", Scanner{}, func(h *harness) { h.scan(goodCode, "tab") }, []string{goodCode}},
		{"line feed (ctrl+j)", Scanner{}, func(h *harness) { h.scan(goodCode, "ctrl+j") }, []string{goodCode}},
		{"stray spaces", Scanner{}, func(h *harness) { h.scan(" 2599 9902 3608 9887 8407 7749 ", "enter") }, []string{goodCode}},
		{"prefix and suffix", Scanner{Prefix: "]Q1", Suffix: "#"}, func(h *harness) { h.scan("]Q1"+goodCode+"#", "tab") }, []string{goodCode}},
		{"backspace", Scanner{}, func(h *harness) { h.typeText(goodCode + "9"); h.press("backspace"); h.press("enter"); h.settle() },
			[]string{goodCode}},
		{"pasted lines and tabs", Scanner{}, func(h *harness) {
			h.send(tea.PasteMsg{Content: goodCode + "\r\n\r\n" + "1111222233334444\t"})
			h.settle()
		}, []string{goodCode, "1111222233334444"}},
		{"esc clears a half scan", Scanner{}, func(h *harness) {
			h.typeText("2599")
			h.press("esc")
			h.scan(goodCode, "enter")
		}, []string{goodCode}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, Config{Amount: usd(1250), Scanner: c.scanner})
			c.send(h)
			if !slices.Equal(h.till.charged, c.want) {
				t.Fatalf("charged %q, want %q", h.till.charged, c.want)
			}
			if h.m.till.paid != len(c.want) {
				t.Errorf("till %s after %d sales", h.m.till, len(c.want))
			}
			if h.quit {
				t.Error("the till quit")
			}
		})
	}
}

func TestSaleLands(t *testing.T) {
	h := newHarness(t, Config{Amount: usd(1250)})
	h.typeText(goodCode)
	h.press("enter")
	if !h.m.Busy() || !strings.Contains(h.m.status, "charging 12.50 USD to 2599••••7749") {
		t.Fatalf("busy %v status %q, want charging", h.m.Busy(), h.m.status)
	}
	h.settle()
	s, ok := h.m.Last()
	if !ok || s.Status != StatusSuccess || s.PaymentID == "" || s.RequestID != "POS-REQ-0001" || s.Amount != usd(1250) {
		t.Fatalf("last sale %+v (%v)", s, ok)
	}
	if got := h.m.till.String(); got != "1 paid · 12.50 USD" {
		t.Errorf("till %q", got)
	}
	if len(h.m.log) != 1 || h.m.log[0].word != "SUCCESS" || !strings.Contains(h.m.log[0].row(), s.PaymentID) {
		t.Errorf("log %+v", h.m.log)
	}
	view := h.m.View().Content
	for _, want := range []string{"✔ SUCCESS", "12.50 USD", s.PaymentID, "2599••••7749"} {
		if !strings.Contains(view, want) {
			t.Errorf("the view does not show %q", want)
		}
	}
	if strings.Contains(view, goodCode) {
		t.Error("the view shows the whole payment code")
	}
}

func TestBadScansChargeNothing(t *testing.T) {
	cases := []struct {
		name, scan, want string
		failed           int
	}{
		{"a merchant's URL", "https://qr.mppwallet.test/2819990400010448812941470832", "merchant's QR code", 1},
		{"text", "hello", "not a payment code", 1},
		{"too short", "12345", "has 5 digits", 1},
		{"empty", "   ", "empty scan", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, Config{Amount: usd(1250)})
			h.scan(c.scan, "enter")
			if len(h.till.charged) != 0 || h.m.Busy() {
				t.Fatalf("charged %q", h.till.charged)
			}
			if !strings.Contains(h.m.status, c.want) || !strings.Contains(h.m.status, "nothing charged") {
				t.Errorf("status %q, want %q and nothing charged", h.m.status, c.want)
			}
			if h.m.till.failed != c.failed {
				t.Errorf("failed %d, want %d", h.m.till.failed, c.failed)
			}
		})
	}
}

func TestRefusedAndFailedCharges(t *testing.T) {
	h := newHarness(t, Config{Amount: usd(1250)})
	h.till.sales["1111222233334444"] = Sale{Status: StatusFail, ResultCode: "INVALID_CODE", ResultMessage: "the code was used"}
	h.till.chargeErrs["9999888877776666"] = errors.New("cannot reach the gateway")
	h.scan("1111222233334444", "enter")
	if s, _ := h.m.Last(); s.Status != StatusFail || s.ResultCode != "INVALID_CODE" {
		t.Fatalf("last %+v", s)
	}
	if !strings.Contains(h.m.log[0].row(), "FAIL") || !strings.Contains(h.m.log[0].row(), "INVALID_CODE  the code was used") {
		t.Errorf("log row %q", h.m.log[0].row())
	}
	h.scan("9999888877776666", "enter")
	if h.m.log[0].word != "ERROR" || !strings.Contains(h.m.status, "cannot reach the gateway") {
		t.Errorf("log %+v status %q", h.m.log[0], h.m.status)
	}
	if got := h.m.till.String(); got != "0 paid · nothing taken · 2 failed" {
		t.Errorf("till %q", got)
	}
}

func TestScansQueueBehindTheSaleInProgress(t *testing.T) {
	h := newHarness(t, Config{Amount: usd(1250), QueueSize: 2})
	h.typeText(goodCode)
	h.press("enter")
	if !h.m.Busy() {
		t.Fatal("not busy")
	}
	h.press("ctrl+a")
	h.typeText("3.00")
	h.press("enter")
	h.typeText("1111222233334444")
	h.press("tab")
	h.typeText("2222333344445555")
	h.press("tab")
	h.typeText("3333444455556666")
	h.press("tab")
	if h.m.Queued() != 2 || h.m.log[0].word != "REFUSED" {
		t.Fatalf("queued %d, log %+v", h.m.Queued(), h.m.log[0])
	}
	h.settle()
	if want := []string{goodCode, "1111222233334444", "2222333344445555"}; !slices.Equal(h.till.charged, want) {
		t.Fatalf("charged %q, want %q", h.till.charged, want)
	}
	if s, _ := h.m.Last(); s.Amount != usd(300) {
		t.Errorf("a queued scan charged %v, want the amount set when it was scanned", s.Amount)
	}
	if got := h.m.till.String(); got != "3 paid · 18.50 USD" {
		t.Errorf("till %q", got)
	}
}

func TestAmountEntry(t *testing.T) {
	h := newHarness(t, Config{Currency: "USD"})
	if h.m.mode != modeAmount {
		t.Fatal("no amount: the entry should be open")
	}
	// A scan into the amount entry never becomes an amount.
	h.typeText(goodCode)
	h.press("tab")
	if h.m.Amount().Minor != 0 || !strings.Contains(h.m.errMsg, "looks like a scanned code") {
		t.Fatalf("amount %v err %q", h.m.Amount(), h.m.errMsg)
	}
	h.typeText("12.345")
	h.press("enter")
	if h.m.mode != modeAmount || !strings.Contains(h.m.errMsg, "decimal places") {
		t.Fatalf("mode %d err %q", h.m.mode, h.m.errMsg)
	}
	h.press("esc")
	h.scan(goodCode, "enter")
	if len(h.till.charged) != 0 || !strings.Contains(h.m.status, "set the amount first") {
		t.Fatalf("charged %q with no amount; status %q", h.till.charged, h.m.status)
	}
	for _, k := range []string{"ctrl+a", "f2"} {
		h.press(k)
		h.typeText("1500 JPY")
		h.press("enter")
		if h.m.Amount() != (money.Money{Currency: "JPY", Minor: 1500}) || h.m.mode != modeScan {
			t.Fatalf("%s: amount %v mode %d", k, h.m.Amount(), h.m.mode)
		}
	}
}

func TestRefundLastSale(t *testing.T) {
	cases := []struct {
		name     string
		typed    string
		refusal  *Refusal
		status   Status
		refunded int64
		till     string
		logWord  string
	}{
		{"all of it", "", nil, StatusRefunded, 1250, "1 paid · 0.00 USD", "REFUND"},
		{"part of it", "2.50", nil, StatusSuccess, 250, "1 paid · 10.00 USD", "REFUND"},
		{"refused", "20.00", &Refusal{Code: "REFUND_AMOUNT_EXCEED", Message: "more than was paid"}, StatusSuccess, 0,
			"1 paid · 12.50 USD", "REFUSED"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, Config{Amount: usd(1250)})
			h.till.refusal = c.refusal
			h.scan(goodCode, "enter")
			h.press("ctrl+r")
			if h.m.mode != modeRefund {
				t.Fatal("no refund entry")
			}
			h.typeText(c.typed)
			h.press("enter")
			h.settle()
			s, _ := h.m.Last()
			if s.Status != c.status || s.Refunded.Minor != c.refunded || h.m.till.String() != c.till || h.m.log[0].word != c.logWord {
				t.Errorf("status %s refunded %v till %q log %+v", s.Status, s.Refunded, h.m.till, h.m.log[0])
			}
		})
	}
}

func TestRefundAndVoidRefusedLocally(t *testing.T) {
	h := newHarness(t, Config{Amount: usd(1250)})
	h.press("ctrl+r")
	if h.m.mode != modeScan || !strings.Contains(h.m.status, "no sale yet") {
		t.Fatalf("refund with no sale: mode %d status %q", h.m.mode, h.m.status)
	}
	h.press("ctrl+x")
	if !strings.Contains(h.m.status, "no sale yet") {
		t.Fatalf("void with no sale: %q", h.m.status)
	}
	h.till.sales[goodCode] = Sale{Status: StatusFail, ResultCode: "USER_BALANCE_NOT_ENOUGH"}
	h.scan(goodCode, "enter")
	h.press("f3")
	if h.m.mode != modeScan || !strings.Contains(h.m.status, "nothing was paid") {
		t.Errorf("refund of a failed sale: mode %d status %q", h.m.mode, h.m.status)
	}
	h.press("f4")
	if !strings.Contains(h.m.status, "nothing was charged") || len(h.till.voids) != 0 {
		t.Errorf("void of a failed sale: %q, voids %q", h.m.status, h.till.voids)
	}
}

func TestVoidLastSale(t *testing.T) {
	h := newHarness(t, Config{Amount: usd(1250)})
	h.scan(goodCode, "enter")
	h.press("ctrl+r")
	h.typeText("2.50")
	h.press("enter")
	h.settle()
	h.press("ctrl+x")
	h.settle()
	s, _ := h.m.Last()
	if s.Status != StatusCancelled || len(h.till.voids) != 1 || h.m.log[0].word != "VOIDED" {
		t.Fatalf("last %+v voids %q log %+v", s, h.till.voids, h.m.log[0])
	}
	if got := h.m.till.String(); got != "1 paid · 0.00 USD" {
		t.Errorf("till %q after voiding what was left", got)
	}
	h.press("ctrl+x")
	if !strings.Contains(h.m.status, "voided already") || len(h.till.voids) != 1 {
		t.Errorf("second void: %q", h.m.status)
	}
}

func TestVoidTheSaleInProgress(t *testing.T) {
	h := newHarness(t, Config{Amount: usd(1250)})
	h.till.block[goodCode] = true
	h.typeText(goodCode)
	h.press("enter")
	h.press("ctrl+x") // cancels the charge's context: the Till voids it
	if !strings.Contains(h.m.status, "voiding the sale in progress") {
		t.Fatalf("status %q", h.m.status)
	}
	h.settle() // the blocked Charge sees its context cancelled
	s, _ := h.m.Last()
	if s.Status != StatusCancelled || h.m.Busy() || h.m.till.paid != 0 {
		t.Errorf("last %+v busy %v till %s", s, h.m.Busy(), h.m.till)
	}
}

func TestQuit(t *testing.T) {
	h := newHarness(t, Config{Amount: usd(1250)})
	h.typeText("2599")
	h.press("esc")
	h.settle()
	if h.quit || len(h.m.scan) != 0 {
		t.Fatalf("esc with a half scan: quit %v scan %q", h.quit, string(h.m.scan))
	}
	h.press("esc")
	h.settle()
	if !h.quit {
		t.Fatal("esc with nothing to clear did not quit")
	}

	h = newHarness(t, Config{Amount: usd(1250)})
	h.till.block[goodCode] = true
	h.typeText(goodCode)
	h.press("enter")
	charge := h.pending
	h.pending = nil
	h.press("ctrl+c")
	if len(h.pending) != 0 || !strings.Contains(h.m.status, "ctrl+c again") {
		t.Fatalf("first ctrl+c with a sale in flight: status %q", h.m.status)
	}
	h.press("ctrl+c")
	h.pending = append(h.pending, charge...)
	h.settle()
	if !h.quit {
		t.Error("second ctrl+c did not quit")
	}
}
