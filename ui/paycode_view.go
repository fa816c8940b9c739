package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mppwallet/mppwallet/ui/render"
	"github.com/mppwallet/mppwallet/wallet"
)

// The rows the Pay screen keeps for text around the code: the digits and
// the countdown always; the status line and a blank line above the code
// when there is room for them (a window too short for them still shows
// the code: 60×20 fits the compact QR that way).
const (
	belowAlways = 2
	extraRows   = 2
)

// room is the rows the code may take: all the screen's rows but the digits
// and the countdown.
func (s payCodeScreen) room() int { return s.height - belowAlways }

// roomy reports whether a code h rows tall leaves room for the status
// line, the colour warning and a blank line above it.
func (s payCodeScreen) roomy(h int) bool {
	need := h + belowAlways + extraRows
	if s.colorNote != "" {
		need++
	}
	return need <= s.height
}

// layout picks how to draw value: the QR code compact (half blocks) or
// seamless, at the largest whole module size that fits, or the barcode at
// one module per column when the window is wide enough and two otherwise.
// A seamless QR chosen for the terminal (seamsNote) that does not fit
// gives way to the compact one, with a note saying so.
func (s payCodeScreen) layout(value string) (codeLayout, render.Cells, string, error) {
	if !s.barcode {
		l := layoutQR
		if s.full {
			l = layoutQRFull
		}
		c, err := drawFitted(l, value, s.width, s.fitRows())
		if err == nil && l == layoutQRFull && s.seamsNote != "" && render.Fit(c, s.width, s.room()) != nil {
			if cc, err := drawFitted(layoutQR, value, s.width, s.fitRows()-1); err == nil && render.Fit(cc, s.width, s.room()-1) == nil {
				note := fmt.Sprintf("May not scan: %s. Seamless QR: %d×%d window (g).",
					s.seamsNote, c.Width(), c.Height()+belowAlways+s.chrome)
				return layoutQR, cc, note, nil
			}
		}
		return l, c, "", err
	}
	if wide, err := drawCode(layoutBarcodeWide, value); err == nil && render.Fit(wide, s.width, s.room()) == nil {
		return layoutBarcodeWide, wide, "", nil
	}
	c, err := drawCode(layoutBarcode, value)
	return layoutBarcode, c, "", err
}

// fitRows is the rows a scaled-up code may take: a larger code keeps the
// text around it; only the smallest squeezes it out.
func (s payCodeScreen) fitRows() int {
	rows := s.room() - extraRows
	if s.colorNote != "" {
		rows--
	}
	return max(rows, 0)
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

// codeView draws code c centred: the code as large as fits, its digits
// and countdown; or, in a window too small for it, what it needs and the
// digits to key in.
func (s payCodeScreen) codeView(st Styles, c wallet.PaymentCode) string {
	l, drawn := s.draw(c.Value)
	if drawn.err != nil {
		return s.place(st.Error.Render(drawn.err.Error()))
	}
	digits := masked(c.Value)
	if s.reveal {
		digits = grouped(c.Value)
	}
	left := c.ExpiresAt.Sub(s.now())
	frac := float64(left) / float64(c.ExpiresAt.Sub(c.ValidFrom))
	countdown := s.bar.ViewAs(frac) + st.Muted.Render(fmt.Sprintf(" %2ds", int(left.Round(time.Second).Seconds())))
	cells := drawn.cells
	if err := render.Fit(cells, s.width, s.room()); err != nil {
		return s.place(s.tooSmall(st, l, cells, digits, countdown))
	}
	lines := strings.Split(strings.TrimSuffix(drawn.ansi, "\n"), "\n")
	lines = append(lines, digits, countdown)
	if drawn.note != "" {
		lines = append(lines, st.Warn.Render(ansi.Truncate(drawn.note, max(s.width, 1), "…")))
	}
	h := cells.Height()
	if drawn.note != "" {
		h++
	}
	if s.roomy(h) {
		if !s.present {
			lines = append(lines, s.status(st))
		}
		if s.colorNote != "" {
			lines = append(lines, st.Warn.Render(ansi.Truncate(s.colorNote, max(s.width, 1), "…")))
		}
		lines = append([]string{""}, lines...)
	}
	return s.place(strings.Join(lines, "\n"))
}

// status is the line under the countdown: codes in hand, or the fetch.
func (s payCodeScreen) status(st Styles) string {
	switch {
	case s.fetchErr != nil:
		return st.Warn.Render(ansi.Truncate("Could not fetch more codes ("+s.fetchErr.Error()+"); retrying", max(s.width, 1), "…"))
	case s.fetching:
		return st.Muted.Render("Fetching more codes…")
	}
	return st.Muted.Render(fmt.Sprintf("%d codes in hand", wallet.UsableAfter(s.codes, s.now())))
}

// tooSmall says what the code needs and keeps its digits on screen, so the
// tester can still key it in (r reveals them).
func (s payCodeScreen) tooSmall(st Styles, l codeLayout, cells render.Cells, digits, countdown string) string {
	hint := "Enlarge the window."
	switch {
	case l == layoutBarcode:
		hint = "Enlarge the window, or press b for the QR code."
	case l == layoutQRFull:
		hint = "Enlarge the window, or press g for the compact QR code."
	}
	msg := fmt.Sprintf("The window is too small for this code: it needs %d×%d, this one is %d×%d. %s",
		cells.Width(), cells.Height()+belowAlways+s.chrome, s.width, s.height+s.chrome, hint)
	w := max(s.width, 10)
	keyIn := "Key in: " + digits
	if lipgloss.Width(keyIn) > w {
		keyIn = "Key in:\n" + ansi.Hardwrap(digits, w, true)
	}
	if !s.reveal {
		keyIn += "\n" + st.Muted.Render(ansi.Wrap("r shows every digit", w, ""))
	}
	return st.Warn.Width(max(min(s.width, 72), 10)).Render(msg) + "\n\n" + keyIn + "\n" + countdown
}

// place centres text in the screen's width and height, line by line, so
// the code sits in the middle of the window whatever its size; lines
// wider than the window are left as they are.
func (s payCodeScreen) place(text string) string {
	lines := strings.Split(text, "\n")
	if s.width > 0 {
		for i, l := range lines {
			if w := lipgloss.Width(l); w < s.width {
				lines[i] = strings.Repeat(" ", (s.width-w)/2) + l
			}
		}
	}
	if pad := s.height - len(lines); pad > 0 {
		top := pad / 2
		lines = append(make([]string, top), lines...)
		lines = append(lines, make([]string, pad-top)...)
	}
	return strings.Join(lines, "\n")
}
