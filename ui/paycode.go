package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mppwallet/mppwallet/ui/render"
	"github.com/mppwallet/mppwallet/wallet"
)

// refillAt is how few usable codes trigger a background refetch: with codes
// 30 s apart, two left is a minute of cover.
const refillAt = 2

// The backoff after failed fetches: retryFirst after the first, doubling
// up to retryMax; a peer that is published again is asked at once
// (PeerWatcher).
const (
	retryFirst = time.Second
	retryMax   = 8 * time.Second
)

// retryDelay is the wait after the n-th failure in a row (n ≥ 1).
func retryDelay(n int) time.Duration {
	d := retryFirst
	for i := 1; i < n && d < retryMax; i++ {
		d *= 2
	}
	return min(d, retryMax)
}

// payCodeScreen shows the payment code valid now and rotates it.
type payCodeScreen struct {
	now      func() time.Time
	codes    []wallet.PaymentCode
	fetching bool
	fetchErr error
	retryAt  time.Time
	// failures is how many fetches in a row failed (the backoff).
	failures int
	// watch is the code watch (codewatch.go).
	watch   codeWatch
	barcode bool
	full    bool // the full-size QR, for terminals with line spacing
	reveal  bool
	// profile is how the code's colours are written: explicit truecolor
	// unless the terminal has no colours (then glyphs for its polarity).
	profile render.Profile
	// colorNote warns that the code may not scan in this terminal's
	// colours; empty when the colours are explicit.
	colorNote string
	// helpOpen is whether the full key list takes rows from the code.
	helpOpen    bool
	width       int
	height      int
	chrome      int
	bar         progress.Model
	keys        codeKeys
	everFetched bool
	// drawn is the last code drawn, shared by the screen's copies: View
	// runs after every message (each second for the countdown), and
	// encoding the QR code again every time was most of its cost.
	drawn *drawnCode
}

// drawnCode is a code as drawn: its cells and their ANSI text.
type drawnCode struct {
	key    drawKey
	layout codeLayout
	cells  render.Cells
	ansi   string
	err    error
}

// drawKey is everything a drawing depends on.
type drawKey struct {
	value         string
	barcode, full bool
	width, room   int
	profile       render.Profile
}

// draw returns the code drawn in the current mode (see layout), from the
// last drawing when nothing it depends on changed.
func (s payCodeScreen) draw(value string) (codeLayout, *drawnCode) {
	k := drawKey{value: value, barcode: s.barcode, full: s.full, width: s.width, room: s.room(), profile: s.profile}
	if d := s.drawn; d != nil && d.key == k && (d.cells != nil || d.err != nil) {
		return d.layout, d
	}
	d := &drawnCode{key: k}
	d.layout, d.cells, d.err = s.layout(value)
	if d.err == nil {
		d.ansi = d.cells.ANSI(s.profile)
	}
	if s.drawn != nil {
		*s.drawn = *d
	}
	return d.layout, d
}

func newPayCodeScreen(now func() time.Time, barcode bool) payCodeScreen {
	return payCodeScreen{now: now, barcode: barcode, keys: defaultCodeKeys(), drawn: &drawnCode{},
		bar: progress.New(progress.WithWidth(30), progress.WithoutPercentage())}
}

// current is the code to show now, if any.
func (s payCodeScreen) current() (wallet.PaymentCode, bool) {
	return wallet.CodeToShow(s.codes, s.now())
}

// needFetch reports whether to ask for more codes now: when few are left,
// or none is valid now.
func (s payCodeScreen) needFetch() bool {
	if s.fetching {
		return false
	}
	now := s.now()
	if s.fetchErr != nil && now.Before(s.retryAt) {
		return false
	}
	if _, ok := s.current(); !ok {
		// Nothing to show now although later codes may be in hand (the
		// first of a batch was just used, say): new codes start now.
		return true
	}
	return wallet.UsableAfter(s.codes, now) <= refillAt
}

// prune forgets expired codes.
func (s *payCodeScreen) prune() {
	now := s.now()
	kept := s.codes[:0]
	for _, c := range s.codes {
		if now.Before(c.ExpiresAt) && !c.Used {
			kept = append(kept, c)
		}
	}
	s.codes = kept
}

// fetched merges new codes.
func (s *payCodeScreen) fetched(msg codesFetchedMsg) {
	s.fetching = false
	if msg.err != nil {
		s.fetchErr = msg.err
		s.failures++
		s.retryAt = s.now().Add(retryDelay(s.failures))
		return
	}
	s.fetchErr, s.everFetched, s.failures = nil, true, 0
	have := map[string]bool{}
	for _, c := range s.codes {
		have[c.Value] = true
	}
	for _, c := range msg.codes {
		if !have[c.Value] {
			s.codes = append(s.codes, c)
		}
	}
}

// markUsed retires a code a payment named; it reports whether it was ours.
func (s *payCodeScreen) markUsed(value string) bool {
	for i := range s.codes {
		if s.codes[i].Value == value {
			s.codes[i].Used = true
			return true
		}
	}
	return false
}

// SetSize sets the space the screen may use; chrome is the rows the app's
// header and footer take around it.
func (s *payCodeScreen) SetSize(w, h, chrome int) { s.width, s.height, s.chrome = w, h, chrome }

// Update handles keys for the code screen.
func (s payCodeScreen) Update(msg tea.Msg) (payCodeScreen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, s.keys.Toggle):
			s.barcode = !s.barcode
		case key.Matches(k, s.keys.FullSize):
			s.barcode, s.full = false, !s.full
		case key.Matches(k, s.keys.Reveal):
			s.reveal = !s.reveal
		case key.Matches(k, s.keys.Refresh):
			s.retryAt = time.Time{}
			s.fetchErr = nil
			s.codes = nil
		}
	}
	return s, nil
}

// below is the rows under the code: digits, countdown, status, and the
// blank line before the footer.
const below = 4

// room is the rows the code may take.
func (s payCodeScreen) room() int {
	if s.colorNote != "" {
		return s.height - below - 1
	}
	return s.height - below
}

// layout picks how to draw value: the QR code in half blocks or full size,
// or the barcode at one module per column when the window is wide enough
// and two otherwise.
func (s payCodeScreen) layout(value string) (codeLayout, render.Cells, error) {
	if !s.barcode {
		l := layoutQR
		if s.full {
			l = layoutQRFull
		}
		c, err := drawCode(l, value)
		return l, c, err
	}
	if wide, err := drawCode(layoutBarcodeWide, value); err == nil && render.Fit(wide, s.width, s.room()) == nil {
		return layoutBarcodeWide, wide, nil
	}
	c, err := drawCode(layoutBarcode, value)
	return layoutBarcode, c, err
}

// masked shows the first and last four digits, as the Alipay+ UX guide asks.
func masked(v string) string {
	if len(v) <= 8 {
		return v
	}
	return v[:4] + " " + strings.Repeat("•", len(v)-8) + " " + v[len(v)-4:]
}

// grouped shows the digits in groups of four.
func grouped(v string) string {
	var b strings.Builder
	for i, r := range v {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// View draws the screen.
func (s payCodeScreen) View(st Styles) string {
	c, ok := s.current()
	if !ok {
		var why string
		switch {
		case s.fetchErr != nil:
			why = s.troubleView(st)
		case s.fetching || !s.everFetched:
			why = st.Muted.Render("Fetching payment codes…")
		default:
			why = st.Warn.Render("No valid code right now; fetching new ones…")
		}
		return why
	}
	l, drawn := s.draw(c.Value)
	if drawn.err != nil {
		return st.Error.Render(drawn.err.Error())
	}
	cells := drawn.cells
	if err := render.Fit(cells, s.width, s.room()); err != nil {
		hint := "Enlarge the window."
		switch {
		case s.helpOpen:
			hint = "Press ? to hide the keys, or enlarge the window."
		case l == layoutBarcode:
			hint = "Enlarge the window, or press b for the QR code."
		case l == layoutQRFull:
			hint = "Enlarge the window, or press g for the compact QR code."
		}
		msg := fmt.Sprintf("The window is too small for this code: it needs %d×%d, this one is %d×%d. %s",
			cells.Width(), cells.Height()+s.height-s.room()+s.chrome, s.width, s.height+s.chrome, hint)
		return st.Warn.Width(max(s.width, 20)).Render(msg)
	}
	digits := masked(c.Value)
	if s.reveal {
		digits = grouped(c.Value)
	}
	left := c.ExpiresAt.Sub(s.now())
	frac := float64(left) / float64(c.ExpiresAt.Sub(c.ValidFrom))
	var b strings.Builder
	b.WriteString(drawn.ansi)
	b.WriteString(digits + "\n")
	b.WriteString(s.bar.ViewAs(frac) + st.Muted.Render(fmt.Sprintf(" %2ds", int(left.Round(time.Second).Seconds()))) + "\n")
	switch {
	case s.fetchErr != nil:
		b.WriteString(st.Warn.Render("Could not fetch more codes ("+s.fetchErr.Error()+"); retrying") + "\n")
	case s.fetching:
		b.WriteString(st.Muted.Render("Fetching more codes…") + "\n")
	default:
		b.WriteString(st.Muted.Render(fmt.Sprintf("%d codes in hand", wallet.UsableAfter(s.codes, s.now()))) + "\n")
	}
	if s.colorNote != "" {
		b.WriteString(st.Warn.Render(ansi.Truncate(s.colorNote, max(s.width, 1), "…")) + "\n")
	}
	return b.String()
}
