package pos

import (
	"fmt"
	"image/color"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// Golden views: run `go test ./ui/pos -run Golden -update` to regenerate
// the files under testdata/TestGoldenViews/ and read them before
// committing.

func TestGoldenViews(t *testing.T) {
	views := []struct {
		name  string
		cfg   Config
		setup func(*harness)
	}{
		{"start_no_amount", Config{}, func(*harness) {}},
		{"ready", Config{Amount: usd(1250)}, func(*harness) {}},
		{"typing", Config{Amount: usd(1250)}, func(h *harness) { h.typeText(goodCode[:10]) }},
		{"sales", Config{Amount: usd(1250)}, func(h *harness) {
			h.till.sales["1111222233334444"] = Sale{Status: StatusFail, ResultCode: "INVALID_CODE", ResultMessage: "the code was used"}
			h.scan(goodCode, "enter")
			h.scan("https://qr.mppwallet.test/2819990400010448812941470832", "enter")
			h.scan("1111222233334444", "tab")
			h.scan("259999020000000000000002", "enter")
			h.press("ctrl+r")
			h.typeText("2.50")
			h.press("enter")
			h.settle()
		}},
		{"charging_queue", Config{Amount: usd(1250)}, func(h *harness) {
			h.typeText(goodCode)
			h.press("enter")
			h.typeText("1111222233334444")
			h.press("tab")
		}},
		{"refund_entry", Config{Amount: usd(1250)}, func(h *harness) {
			h.scan(goodCode, "enter")
			h.press("ctrl+r")
		}},
		{"voided", Config{Amount: usd(1250)}, func(h *harness) {
			h.scan(goodCode, "enter")
			h.press("ctrl+x")
			h.settle()
		}},
	}
	for _, v := range views {
		for _, sz := range []struct{ w, h int }{{80, 24}, {120, 40}} {
			for _, th := range []struct {
				name string
				bg   color.Color
			}{{"dark", color.Black}, {"light", color.White}} {
				t.Run(fmt.Sprintf("%s_%dx%d_%s", v.name, sz.w, sz.h, th.name), func(t *testing.T) {
					h := newHarness(t, v.cfg)
					h.send(tea.BackgroundColorMsg{Color: th.bg})
					h.send(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
					v.setup(h)
					golden.RequireEqual(t, []byte(ansi.Strip(h.m.View().Content)))
				})
			}
		}
	}
}

// TestGoldenTooNarrow pins a 40×12 window: every line cut to the width,
// the log given what room is left.
func TestGoldenTooNarrow(t *testing.T) {
	h := newHarness(t, Config{Amount: usd(1250)})
	h.send(tea.WindowSizeMsg{Width: 40, Height: 12})
	h.scan(goodCode, "enter")
	golden.RequireEqual(t, []byte(ansi.Strip(h.m.View().Content)))
}
