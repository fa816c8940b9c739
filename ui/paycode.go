package ui

import (
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"

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
	// seamsNote is Display.SeamsNote: why the seamless QR is the default
	// here; with it, a window too small for the seamless QR gets the
	// compact one and a warning.
	seamsNote string
	// present is the presentation layout: the code, its digits and the
	// countdown, no status line (the app drops its header and footer).
	present     bool
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
	// note warns that the compact QR stands in for a seamless one that
	// does not fit ("" otherwise).
	note string
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
	d.layout, d.cells, d.note, d.err = s.layout(value)
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

// SetSize sets the space the screen may use: h is the rows between the
// app's header and footer, chrome the window's other rows.
func (s *payCodeScreen) SetSize(w, h, chrome int) {
	s.width, s.height, s.chrome = w, h, chrome
	s.bar.SetWidth(max(min(30, w-5), 5)) // the seconds follow the bar
}

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
		return s.place(why)
	}
	return s.codeView(st, c)
}
