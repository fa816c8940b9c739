package ui

import (
	"context"
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

// Golden views: run `go test ./ui -run Golden -update` to regenerate the
// files under testdata/TestGolden*/ and read them before committing.

// goldenSizes are the window sizes every view is pinned at.
var goldenSizes = []struct{ w, h int }{{60, 20}, {80, 24}, {120, 40}}

// goldenThemes are the terminal backgrounds every view is pinned on. ANSI
// is stripped, so both usually hold the same text; they are kept apart so
// a colour-aware golden can diverge later.
var goldenThemes = []struct {
	name string
	bg   color.Color
}{{"dark", color.Black}, {"light", color.White}}

// goldenHarness is the app on the code page, 12 s into code 1 of the fake
// network (48 s left, bar at 80 %), with the user loaded, on background bg
// and at w×h.
func goldenHarness(t *testing.T, bg color.Color, w, h int) *harness {
	t.Helper()
	hs := newHarness(t)
	u, err := hs.net.User(context.Background(), "alice")
	hs.send(userLoadedMsg{user: u, err: err})
	hs.send(tea.BackgroundColorMsg{Color: bg})
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	for i := 0; i < 12; i++ {
		hs.second()
	}
	if c, ok := hs.app.code.current(); !ok || c.Value != "259999020000000000000001" {
		t.Fatalf("code shown %+v (%v), want code 1", c, ok)
	}
	return hs
}

// fxPayment is a JPY purchase charged in USD for the code shown.
func fxPayment(hs *harness) wallet.Payment {
	c, _ := hs.app.code.current()
	return wallet.Payment{RequestID: "PR-1", PaymentID: "PID-1", CustomerID: "alice", Mode: wallet.ModeUPM, CodeValue: c.Value,
		Status: wallet.StatusSucceeded, ResultCode: wallet.CodeSuccess, Amount: money.Money{Currency: "USD", Minor: 1000},
		PaymentAmount: money.Money{Currency: "JPY", Minor: 1500}, Quote: wallet.Quote{Price: "0.0066", CurrencyPair: "JPY/USD"},
		Merchant: wallet.Merchant{Name: "UGG", StoreName: "UGG-2"}, PaidAt: hs.clock.t}
}

// utcLocal pins time.Local for the result page's Time row; the test is not
// parallel.
func utcLocal(t *testing.T) {
	old := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = old })
}

func TestGoldenViews(t *testing.T) {
	utcLocal(t)
	views := []struct {
		name  string
		setup func(*harness)
	}{
		{"qr", func(*harness) {}},
		{"barcode", func(hs *harness) { hs.send(tea.KeyPressMsg{Code: 'b', Text: "b"}) }},
		{"reveal", func(hs *harness) { hs.send(tea.KeyPressMsg{Code: 'r', Text: "r"}) }},
		{"result_success_fx", func(hs *harness) {
			hs.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventDecided, Payment: fxPayment(hs)}})
		}},
		{"result_failure", func(hs *harness) {
			p := fxPayment(hs)
			p.PaymentID, p.Status, p.ResultCode = "", wallet.StatusFailed, wallet.CodeBalanceNotEnough
			hs.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventDecided, Payment: p}})
		}},
		{"history", func(hs *harness) {
			hs.net.payments = demoPayments(hs.clock.t)
			hs.key("2")
			hs.deliverPayments()
		}},
		{"history_detail", func(hs *harness) {
			hs.net.payments = demoPayments(hs.clock.t)
			hs.key("2")
			hs.deliverPayments()
			hs.key("down")
			hs.key("enter")
		}},
		{"users", func(hs *harness) {
			hs.net.users = demoUsers()
			hs.key("3")
			hs.deliverUsers()
			hs.key("down")
		}},
		{"inspector", func(hs *harness) {
			hs.net.exchanges = demoExchanges(hs.clock.t)
			hs.key("4")
			hs.deliverExchanges()
		}},
		{"inspector_detail", func(hs *harness) {
			hs.net.exchanges = demoExchanges(hs.clock.t)
			hs.key("4")
			hs.deliverExchanges()
			hs.key("up")
			hs.key("enter")
		}},
		{"home", func(hs *harness) {
			hs.net.payments = demoPayments(hs.clock.t)
			hs.run(hs.key("h"))
		}},
		{"calibrate", func(hs *harness) { hs.run(hs.key("c")) }},
		{"qr_full", func(hs *harness) { hs.key("g") }},
		{"calibrate_noscan", func(hs *harness) { hs.run(hs.key("c")); hs.key("n") }},
		{"present", func(hs *harness) { hs.present() }},
		{"present_result", func(hs *harness) {
			hs.present()
			hs.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventDecided, Payment: fxPayment(hs)}})
		}},
		{"help_full", func(hs *harness) { hs.key("?") }},
		{"confirm", func(hs *harness) {
			p := fxPayment(hs)
			p.PaymentID, p.Status, p.ResultCode, p.PaidAt = "", wallet.StatusProcessing, "", time.Time{}
			hs.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventReceived, Payment: p}})
		}},
	}
	for _, v := range views {
		for _, sz := range goldenSizes {
			for _, th := range goldenThemes {
				t.Run(fmt.Sprintf("%s_%dx%d_%s", v.name, sz.w, sz.h, th.name), func(t *testing.T) {
					hs := goldenHarness(t, th.bg, sz.w, sz.h)
					v.setup(hs)
					view := ansi.Strip(hs.app.View().Content)
					lines := strings.Split(view, "\n")
					if len(lines) > sz.h {
						t.Errorf("%d lines in a %d-row window", len(lines), sz.h)
					}
					for i, l := range lines {
						if w := ansi.StringWidth(l); w > sz.w {
							t.Errorf("line %d is %d columns in a %d-column window: %q", i, w, sz.w, l)
						}
					}
					golden.RequireEqual(t, []byte(view))
				})
			}
		}
	}
	for _, th := range goldenThemes {
		t.Run("too_small_40x12_"+th.name, func(t *testing.T) {
			hs := goldenHarness(t, th.bg, 40, 12)
			golden.RequireEqual(t, []byte(ansi.Strip(hs.app.View().Content)))
		})
	}
}

// TestGoldenNoColor pins the code drawn without colours (NO_COLOR) on a
// dark and a light background: glyphs for the polarity, and the warning.
func TestGoldenNoColor(t *testing.T) {
	for _, th := range goldenThemes {
		t.Run("qr_nocolor_80x24_"+th.name, func(t *testing.T) {
			hs := goldenHarness(t, th.bg, 80, 24)
			hs.send(tea.ColorProfileMsg{Profile: colorprofile.ASCII})
			golden.RequireEqual(t, []byte(hs.app.View().Content))
		})
	}
}

// TestGoldenQRColors pins the escapes of the QR page as written, colours
// included.
func TestGoldenQRColors(t *testing.T) {
	hs := goldenHarness(t, color.Black, 80, 24)
	golden.RequireEqual(t, []byte(hs.app.View().Content))
}

// TestGoldenOverrides pins the overrides screen at 80×24 on a dark
// background: the user asks, a drop fault is active, the cursor on it.
func TestGoldenOverrides(t *testing.T) {
	utcLocal(t)
	for _, v := range []struct {
		name  string
		setup func(*harness)
	}{
		{"overrides", func(hs *harness) { hs.openOverrides() }},
		{"overrides_active", func(hs *harness) {
			hs.openOverrides()
			hs.choose("ask me (hold for y/n)")
			hs.choose("no answer (drop)")
			hs.key("down")
		}},
	} {
		for _, sz := range goldenSizes {
			for _, th := range goldenThemes {
				t.Run(fmt.Sprintf("%s_%dx%d_%s", v.name, sz.w, sz.h, th.name), func(t *testing.T) {
					hs := goldenHarness(t, th.bg, sz.w, sz.h)
					v.setup(hs)
					view := ansi.Strip(hs.app.View().Content)
					assertFits(t, view, sz.w, sz.h)
					golden.RequireEqual(t, []byte(view))
				})
			}
		}
	}
}

// assertFits fails for a view taller or wider than its window.
func assertFits(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > h {
		t.Errorf("%d lines in a %d-row window", len(lines), h)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("line %d is %d columns in a %d-column window: %q", i, lw, w, l)
		}
	}
}

// present switches the harness to the presentation layout (ui --present).
func (hs *harness) present() {
	hs.app.cfg.Display.Present, hs.app.code.present = true, true
	hs.send(tea.WindowSizeMsg{Width: hs.app.width, Height: hs.app.height})
}

// TestGoldenChromeColors pins the History page with its escapes on a dark
// and a light background: the chrome's colours follow the theme (the two
// files differ), where the stripped goldens above are the same text.
func TestGoldenChromeColors(t *testing.T) {
	utcLocal(t)
	var views [2]string
	for i, th := range goldenThemes {
		t.Run("history_80x24_"+th.name, func(t *testing.T) {
			hs := goldenHarness(t, th.bg, 80, 24)
			hs.net.payments = demoPayments(hs.clock.t)
			hs.key("2")
			hs.deliverPayments()
			views[i] = hs.app.View().Content
			golden.RequireEqual(t, []byte(views[i]))
		})
	}
	if views[0] == views[1] {
		t.Error("the History page has the same colours on dark and light backgrounds")
	}
}
