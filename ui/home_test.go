package ui

import (
	"image/color"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/ui/render"
	"github.com/mppwallet/mppwallet/wallet"
)

func TestHomeShowsTheUserAndRecentPayments(t *testing.T) {
	utcLocal(t)
	h := newHarness(t)
	h.net.users = []wallet.User{{ID: "alice", Name: "Alice Tan", Balance: money.Money{Currency: "USD", Minor: 97500},
		Status: wallet.UserActive, KYCVerified: true, Override: wallet.OverrideAsk,
		Limits: wallet.Limits{PerPayment: 20000, DailyCount: 5}}}
	h.net.payments = demoPayments(h.clock.t)
	h.run(h.key("h"))
	if h.app.page != pageHome {
		t.Fatalf("h: page %d, want home", h.app.page)
	}
	v := h.view()
	for _, want := range []string{
		"mppwallet · Home", "Alice Tan (alice)", "975.00 USD", "ACTIVE · KYC verified · asks before each payment",
		"200.00 USD a payment · 5 payments a day", "Today      1 paid, 25.00 USD",
		"Recent payments", "25.00 USD  Blue Bottle", "990.00 USD  UGG  USER_BALANCE_NOT_ENOUGH",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("home lacks %q:\n%s", want, v)
		}
	}
	// The newest payment comes first.
	if strings.Index(v, "UGG") > strings.Index(v, "Blue Bottle") {
		t.Errorf("recent payments are not newest first:\n%s", v)
	}
	// enter shows the code; s the user switcher.
	h.run(h.key("enter"))
	if h.app.page != pageCode {
		t.Errorf("enter on home: page %d, want the code", h.app.page)
	}
	h.run(h.key("h"))
	h.run(h.key("s"))
	if h.app.page != pageUsers {
		t.Errorf("s on home: page %d, want users", h.app.page)
	}
}

func TestHomeFitsManyPaymentsInTheWindow(t *testing.T) {
	h := newHarness(t)
	var ps []wallet.Payment
	for i := 0; i < 30; i++ {
		ps = append(ps, wallet.Payment{RequestID: "PR", CustomerID: "alice", Status: wallet.StatusSucceeded,
			Amount: money.Money{Currency: "USD", Minor: int64(100 + i)}, Merchant: wallet.Merchant{Name: "Shop"}, PaidAt: h.clock.t})
	}
	h.net.payments = ps
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.run(h.key("h"))
	v := h.view()
	if n := strings.Count(v, "\n") + 1; n > 24 {
		t.Errorf("home takes %d rows in a 24-row window:\n%s", n, v)
	}
	if !strings.Contains(v, "more in History (2)") {
		t.Errorf("home does not say there are more payments:\n%s", v)
	}
}

func TestHelpKeyShowsEveryKey(t *testing.T) {
	h := newHarness(t)
	if v := h.view(); !strings.Contains(v, "? keys") || strings.Contains(v, "calibrate") {
		t.Fatalf("short help:\n%s", v)
	}
	h.key("?")
	v := h.view()
	for _, want := range []string{"g seamless/compact QR", "c calibrate size", "h home", "2 history", "5 overrides", "q quit"} {
		if !strings.Contains(v, want) {
			t.Errorf("full help lacks %q:\n%s", want, v)
		}
	}
	// The code still fits: the help took rows from the code's room.
	if n := strings.Count(v, "\n") + 1; n > 40 {
		t.Errorf("full help pushed the view to %d rows in a 40-row window", n)
	}
	h.key("?")
	if v := h.view(); strings.Contains(v, "calibrate") {
		t.Errorf("? did not close the full help:\n%s", v)
	}
}

func TestCalibrationEstimatesTheCodeSize(t *testing.T) {
	h := newHarness(t)
	h.run(h.key("c"))
	if h.app.page != pageCalibrate {
		t.Fatalf("c: page %d, want calibration", h.app.page)
	}
	v := h.view()
	// 11 pt: a column 2.3 mm, a row 4.7 mm; the 29×15 QR is 68×70 mm,
	// larger than the 25.4–30.5 mm of a phone.
	for _, want := range []string{
		"Font 11 pt", "2.3 mm wide", "4.7 mm tall",
		"QR, half blocks ◀", "29×15", "68×70", "25.4–30.5 mm", "larger",
		"Code 128, 2 modules/column", "94×6", "45–65 mm wide",
		"columns of 0.88–1.05 mm",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("calibration lacks %q:\n%s", want, v)
		}
	}
	// Smaller fonts shrink the estimate until the QR matches a phone's.
	for i := 0; i < 13; i++ {
		h.key("-")
	}
	if v := h.view(); !strings.Contains(v, "Font 4.5 pt") || !strings.Contains(v, "28×29") || !strings.Contains(v, "as on a phone") {
		t.Errorf("at 4.5 pt:\n%s", v)
	}
	h.key("-")
	h.key("-") // 4 pt is the floor
	if h.app.calib.font != minFont {
		t.Errorf("font went below %d half points: %d", minFont, h.app.calib.font)
	}
	h.run(h.key("esc"))
	if h.app.page != pageCode {
		t.Errorf("esc: page %d, want the code", h.app.page)
	}
	// The layout shown is marked: the barcode after b.
	h.key("b")
	h.run(h.key("c"))
	if v := h.view(); !strings.Contains(v, "Code 128, 2 modules/column ◀") {
		t.Errorf("calibration does not mark the barcode:\n%s", v)
	}
}

func TestFullSizeQRAndWideBarcode(t *testing.T) {
	h := newHarness(t)
	c, _ := h.app.code.current()
	h.key("g")
	if l, cells, _, _ := h.app.code.layout(c.Value); l != layoutQRFull || cells.Width() != 58 || cells.Height() != 29 {
		t.Fatalf("g: layout %v %d×%d, want the full-size QR 58×29", l, cells.Width(), cells.Height())
	}
	if v := h.view(); strings.Count(v, "\n") >= 40 || !strings.Contains(v, masked(c.Value)) {
		t.Errorf("full-size QR at 120×40:\n%s", v)
	}
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	if v := h.view(); !strings.Contains(v, "press g for the compact QR") {
		t.Errorf("full-size QR at 80×24 does not say how to fit:\n%s", v)
	}
	h.key("g")
	if l, _, _, _ := h.app.code.layout(c.Value); l != layoutQR {
		t.Errorf("second g: layout %v, want half blocks", l)
	}
	// The barcode takes one module per column once the window is wide
	// enough for its 187 columns, two otherwise.
	h.key("b")
	for _, tc := range []struct {
		width int
		want  codeLayout
	}{{120, layoutBarcode}, {186, layoutBarcode}, {187, layoutBarcodeWide}, {240, layoutBarcodeWide}} {
		h.send(tea.WindowSizeMsg{Width: tc.width, Height: 40})
		if l, _, _, _ := h.app.code.layout(c.Value); l != tc.want {
			t.Errorf("barcode at %d columns: %v, want %v", tc.width, l, tc.want)
		}
	}
}

func TestCodeColoursFollowTheTerminal(t *testing.T) {
	for _, tc := range []struct {
		name    string
		theme   string
		profile colorprofile.Profile
		bg      color.Color // nil: the terminal never answers
		want    render.Profile
		note    string
	}{
		{"truecolor", "", colorprofile.TrueColor, color.Black, render.TrueColor, ""},
		{"256 colours", "", colorprofile.ANSI256, color.White, render.ANSI256, ""},
		{"16 colours", "", colorprofile.ANSI, color.Black, render.ANSI256, "16 colours"},
		{"no colour, dark", "", colorprofile.ASCII, color.Black, render.NoColorOnDark, "No colours: drawn for this dark background"},
		{"no colour, light", "", colorprofile.ASCII, color.White, render.NoColorOnLight, "No colours: drawn for this light background"},
		{"no colour, no answer", "", colorprofile.ASCII, nil, render.NoColorOnDark, "dark background (assumed)"},
		{"no colour, --theme light", "light", colorprofile.ASCII, color.Black, render.NoColorOnLight, "this light background"},
		{"colour ignores --theme", "light", colorprofile.TrueColor, color.Black, render.TrueColor, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.app.cfg.Theme = tc.theme
			h.send(tea.ColorProfileMsg{Profile: tc.profile})
			if tc.bg != nil {
				h.send(tea.BackgroundColorMsg{Color: tc.bg})
			}
			if h.app.code.profile != tc.want {
				t.Errorf("profile %v, want %v", h.app.code.profile, tc.want)
			}
			v := h.view()
			if tc.note == "" && strings.Contains(v, "may not scan") {
				t.Errorf("a warning with explicit colours:\n%s", v)
			}
			if tc.note != "" && (!strings.Contains(v, tc.note) || !strings.Contains(v, "may not scan")) {
				t.Errorf("view lacks the warning %q:\n%s", tc.note, v)
			}
			// Without colours no escape sequence is left in the code.
			if tc.want == render.NoColorOnDark || tc.want == render.NoColorOnLight {
				c, _ := h.app.code.current()
				_, d := h.app.code.draw(c.Value)
				for _, l := range d.cells.Lines(tc.want) {
					if !strings.Contains(h.app.View().Content, l) {
						t.Fatalf("the code is not drawn with the %v glyphs", tc.want)
					}
				}
			}
		})
	}
}

func TestScanInputTakesTheGlobalKeys(t *testing.T) {
	h := newHarness(t)
	h.run(h.key("6"))
	if h.app.page != pageScan || h.app.scan.typing() {
		t.Fatalf("6: page %d typing %v, want the scan page, input not focused", h.app.page, h.app.scan.typing())
	}
	// Not focused, the app's keys work: 4 opens the Inspector, 6 comes back.
	h.run(h.key("4"))
	if h.app.page != pageInspector {
		t.Fatalf("4 on the Scan page went to page %d, want the Inspector", h.app.page)
	}
	h.run(h.key("6"))
	// Focused (/ or enter), every key types, the number keys and q too.
	h.key("enter")
	for _, k := range []string{"h", "?", "c", "g", "1", "q"} {
		h.key(k)
	}
	if got := h.app.scan.input.Value(); got != "h?cg1q" || h.app.page != pageScan || h.app.help.ShowAll {
		t.Errorf("typed %q on page %d (full help %v), want \"h?cg1q\" in the scan input", got, h.app.page, h.app.help.ShowAll)
	}
	// esc leaves the input and clears it; the app's keys work again.
	h.key("esc")
	if h.app.scan.typing() || h.app.scan.input.Value() != "" {
		t.Errorf("esc: typing %v, input %q; want the input left and cleared", h.app.scan.typing(), h.app.scan.input.Value())
	}
	h.run(h.key("2"))
	if h.app.page != pageHistory {
		t.Errorf("2 after esc went to page %d, want History", h.app.page)
	}
	// A paste on the Scan page lands in the input even when not focused.
	h.run(h.key("6"))
	h.send(tea.PasteMsg{Content: "hello"})
	if !h.app.scan.typing() || h.app.scan.input.Value() != "hello" {
		t.Errorf("paste: typing %v, input %q", h.app.scan.typing(), h.app.scan.input.Value())
	}
}
