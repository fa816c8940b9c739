package ui

import (
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mppwallet/mppwallet/ui/render"
	"github.com/mppwallet/mppwallet/wallet"
)

// TestCodeGrowsWithTheWindow: the QR code is drawn at the largest whole
// module size the window allows, compact and seamless, and always fits.
func TestCodeGrowsWithTheWindow(t *testing.T) {
	for _, c := range []struct {
		name      string
		seamless  bool
		w, h      int
		wantWidth int // columns of the code
	}{
		{"compact 60×20", false, 60, 20, 29},
		{"compact 80×24", false, 80, 24, 29},
		{"compact 120×40", false, 120, 40, 58},
		{"compact 200×60", false, 200, 60, 87},
		{"seamless 120×40", true, 120, 40, 58},
		{"seamless 240×70", true, 240, 70, 116},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, func(cfg *Config) { cfg.Display.Seamless = c.seamless })
			h.send(tea.WindowSizeMsg{Width: c.w, Height: c.h})
			code, _ := h.app.code.current()
			_, d := h.app.code.draw(code.Value)
			if d.cells.Width() != c.wantWidth {
				t.Errorf("code %d×%d, want %d columns", d.cells.Width(), d.cells.Height(), c.wantWidth)
			}
			if err := render.Fit(d.cells, c.w, c.h); err != nil {
				t.Error(err)
			}
			if got, err := render.Decode(render.Rasterize(d.cells, render.DefaultGeometries()[2]), render.KindQR); err != nil || got != code.Value {
				t.Errorf("decoded %q (%v), want %q", got, err, code.Value)
			}
			if lines := strings.Split(h.app.View().Content, "\n"); len(lines) > c.h {
				t.Errorf("%d lines in a %d-row window", len(lines), c.h)
			}
		})
	}
}

// TestCodeIsCentred: the code's rows start at the same column, about half
// the spare width in, and the code sits in the middle rows.
func TestCodeIsCentred(t *testing.T) {
	h := newHarness(t)
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	lines := strings.Split(ansi.Strip(h.app.View().Content), "\n")
	first, last, indent := -1, -1, -1
	for i, l := range lines {
		if strings.Contains(l, "▀") {
			if first < 0 {
				first, indent = i, strings.Index(l, "▀")
			}
			last = i
		}
	}
	if first < 0 {
		t.Fatal("no code drawn")
	}
	// 29 columns in 100: 35 spaces on the left (rune index == column here).
	if got := len([]rune(lines[first][:indent])); got != 35 {
		t.Errorf("code starts at column %d, want 35", got)
	}
	above, below := first, len(lines)-1-last
	if d := above - below; d < -5 || d > 5 {
		t.Errorf("code rows %d–%d of %d: not in the middle", first, last, len(lines))
	}
}

// TestHelpDoesNotShrinkTheCode: opening the key list on an 80×24 window
// draws every key of the screen, and closing it brings back the same code
// at the same size; the help never says the window is too small.
func TestHelpDoesNotShrinkTheCode(t *testing.T) {
	h := newHarness(t)
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	before := h.app.View().Content
	h.key("?")
	v := ansi.Strip(h.app.View().Content)
	for _, want := range []string{"b QR/barcode", "g seamless/compact QR", "r digits", "f new codes", "c calibrate size", "q quit", "? or esc hides"} {
		if !strings.Contains(v, want) {
			t.Errorf("the key list lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "too small") {
		t.Errorf("the key list made the window too small:\n%s", v)
	}
	h.key("esc")
	if after := h.app.View().Content; after != before {
		t.Errorf("after esc the page differs:\n%s\nwant\n%s", after, before)
	}
}

// TestSeamlessIsRemembered: g and calibration's n switch the QR style and
// tell Display.OnSeamless, which the CLI saves for the data dir.
func TestSeamlessIsRemembered(t *testing.T) {
	var mu sync.Mutex
	var told []bool
	h := newHarness(t, func(cfg *Config) {
		cfg.Display.OnSeamless = func(b bool) { mu.Lock(); told = append(told, b); mu.Unlock() }
	})
	h.run(h.key("g"))
	if !h.app.code.full {
		t.Fatal("g did not switch to the seamless QR")
	}
	h.run(h.key("g"))
	h.run(h.key("c"))
	if v := ansi.Strip(h.app.View().Content); !strings.Contains(v, "Press n for the seamless QR") {
		t.Errorf("calibration does not offer the seamless QR:\n%s", v)
	}
	h.run(h.key("n"))
	if !h.app.code.full || h.app.page != pageCalibrate {
		t.Errorf("n: seamless %v on page %d, want seamless on calibration", h.app.code.full, h.app.page)
	}
	if v := ansi.Strip(h.app.View().Content); !strings.Contains(v, "Now the seamless QR code") {
		t.Errorf("calibration does not say the style changed:\n%s", v)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(told) != 3 || !told[0] || told[1] || !told[2] {
		t.Errorf("OnSeamless told %v, want [true false true]", told)
	}
}

// TestPresentShowsOnlyTheCode: the presentation layout has no header or
// footer, draws the code large with its countdown, and the result page
// shows the outcome and the amount.
func TestPresentShowsOnlyTheCode(t *testing.T) {
	utcLocal(t)
	h := newHarness(t, func(cfg *Config) { cfg.Display.Present = true })
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	v := ansi.Strip(h.app.View().Content)
	if strings.Contains(v, "mppwallet ·") || strings.Contains(v, "1-6 screens") || strings.Contains(v, "codes in hand") {
		t.Errorf("present shows chrome:\n%s", v)
	}
	code, _ := h.app.code.current()
	if _, d := h.app.code.draw(code.Value); d.cells.Width() != 58 {
		t.Errorf("present code %d columns wide at 120×40, want 58 (scale 2)", d.cells.Width())
	}
	if !strings.Contains(v, "2599 ") || !strings.Contains(v, "s") {
		t.Errorf("present lacks the digits or countdown:\n%s", v)
	}
	p := fxPayment(h)
	h.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventDecided, Payment: p}})
	v = ansi.Strip(h.app.View().Content)
	if !strings.Contains(v, "PAID") || !strings.Contains(v, p.PaymentAmount.String()) || strings.Contains(v, "mppwallet ·") {
		t.Errorf("present result:\n%s", v)
	}
}

// TestSeamlessDefaultGivesWayInASmallWindow: a seamless QR chosen for the
// terminal (Display.SeamsNote) that does not fit becomes the compact one
// with a warning naming the reason and the size the seamless one needs;
// one the user chose does not (the window says it is too small); in a
// window large enough the seamless one is drawn and nothing is said.
func TestSeamlessDefaultGivesWayInASmallWindow(t *testing.T) {
	const why = "xterm's half blocks leave seams"
	for _, c := range []struct {
		name     string
		note     string
		w, h     int
		want     codeLayout
		wantText string
	}{
		{"terminal default, 80×24", why, 80, 24, layoutQR, "May not scan: " + why},
		{"terminal default, 120×40", why, 120, 40, layoutQRFull, ""},
		{"chosen by the user, 80×24", "", 80, 24, layoutQRFull, "too small"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, func(cfg *Config) { cfg.Display.Seamless, cfg.Display.SeamsNote = true, c.note })
			h.send(tea.WindowSizeMsg{Width: c.w, Height: c.h})
			code, _ := h.app.code.current()
			l, d := h.app.code.draw(code.Value)
			if l != c.want {
				t.Fatalf("layout %v, want %v", l, c.want)
			}
			view := ansi.Strip(h.app.View().Content)
			if lines := strings.Split(view, "\n"); len(lines) > c.h {
				t.Errorf("%d lines in a %d-row window", len(lines), c.h)
			}
			if c.wantText != "" && !strings.Contains(view, c.wantText) {
				t.Errorf("the page does not say %q:\n%s", c.wantText, view)
			}
			if c.wantText == "" && strings.Contains(view, "May not scan") {
				t.Errorf("a warning with the seamless code drawn:\n%s", view)
			}
			if l == layoutQR {
				if err := render.Fit(d.cells, c.w, c.h); err != nil {
					t.Error(err)
				}
			}
		})
	}
}
