package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// TestAppReportsTheCodeOnScreen walks the app through what changes the
// code on screen, and checks each step reports (once) exactly what the
// screen shows: the code drawn, or the screen open instead.
func TestAppReportsTheCodeOnScreen(t *testing.T) {
	var got []Shown
	h := newHarness(t, func(c *Config) { c.OnShown = func(s Shown) { got = append(got, s) } })
	start := h.clock.t
	if len(got) != 2 || got[0].Screen != "pay" || got[0].Code.Value != "" || got[0].Note != "fetching payment codes" {
		t.Fatalf("at start: %+v, want the Pay screen fetching, then the first code", got)
	}
	first, _ := h.app.code.current()
	tests := []struct {
		name string
		do   func()
		// reports is how many new reports the step makes (0: none).
		reports int
		screen  string
		user    string
		format  string
		// code is the code shown: "current" for the one the Pay screen
		// has in hand now, "" for none.
		code string
		note string
	}{
		{"the first code arrives", func() {}, 0, "pay", "alice", FormatQR, "current", ""},
		{"29 s on the same code", func() {
			for range 29 {
				h.second()
			}
		}, 0, "pay", "alice", FormatQR, "current", ""},
		{"the next code starts", h.second, 1, "pay", "alice", FormatQR, "current", ""},
		{"b: the barcode", func() { h.key("b") }, 1, "pay", "alice", FormatBarcode, "current", ""},
		{"r: the digits only", func() { h.key("r") }, 0, "pay", "alice", FormatBarcode, "current", ""},
		{"2: History", func() { h.key("2") }, 1, "history", "alice", FormatBarcode, "", ""},
		{"1: Pay again", func() { h.key("1") }, 1, "pay", "alice", FormatBarcode, "current", ""},
		{"b: the QR code", func() { h.key("b") }, 1, "pay", "alice", FormatQR, "current", ""},
		{"a window too small", func() { h.send(tea.WindowSizeMsg{Width: 20, Height: 10}) }, 1, "pay", "alice", FormatQR, "",
			"the window is too small for the code"},
		{"big enough again", func() { h.send(tea.WindowSizeMsg{Width: 120, Height: 40}) }, 1, "pay", "alice", FormatQR, "current", ""},
		{"another user", func() { h.send(switchUserMsg{id: "bob"}) }, 1, "pay", "bob", FormatQR, "", "fetching payment codes"},
		{"bob's codes arrive", h.deliverFetch, 1, "pay", "bob", FormatQR, "current", ""},
	}
	for _, tt := range tests {
		before := len(got)
		tt.do()
		if n := len(got) - before; n != tt.reports {
			t.Fatalf("%s: %d reports, want %d: %+v", tt.name, n, tt.reports, got[before:])
		}
		s := got[len(got)-1]
		want := ""
		if tt.code == "current" {
			c, _ := h.app.code.current()
			want = c.Value
			if !strings.Contains(h.view(), c.Value[len(c.Value)-4:]) {
				t.Errorf("%s: the screen does not show the code reported", tt.name)
			}
		}
		if s.Screen != tt.screen || s.CustomerID != tt.user || s.Format != tt.format || s.Code.Value != want || s.Note != tt.note {
			t.Errorf("%s: reported %+v; want screen %s, user %s, %s, code %q, note %q", tt.name, s, tt.screen, tt.user, tt.format, want, tt.note)
		}
		if s != h.app.shown {
			t.Errorf("%s: the last report is not what the app keeps as shown", tt.name)
		}
	}
	// The rotation is reported when it happens, with the new code's times.
	if r := got[2]; r.Code.Value == first.Value || !r.Since.Equal(start.Add(30*time.Second)) || !r.Code.ValidFrom.Equal(r.Since) {
		t.Errorf("the rotation was reported as %+v, want a new code from %s", r, start.Add(30*time.Second))
	}
}

// Without OnShown the app reports nothing and keeps no state for it.
func TestNoReportsWithoutOnShown(t *testing.T) {
	h := newHarness(t)
	h.key("b")
	if h.app.shown != (Shown{}) {
		t.Errorf("shown = %+v without OnShown", h.app.shown)
	}
	if s := h.app.Shown(); s.Format != FormatBarcode || s.Code.Value == "" {
		t.Errorf("Shown() = %+v, want the barcode drawn", s)
	}
}
