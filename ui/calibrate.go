package ui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/mppwallet/mppwallet/ui/render"
)

// Terminal geometry for the size estimate: a cell is about 0.6 em wide and
// 1.2 em tall (so 1:2), and a point is 0.3528 mm on a display whose
// scaling is set right. It is an estimate: the user measures and adjusts.
const (
	cellWidthEm  = 0.6
	cellHeightEm = 1.2
	mmPerPoint   = 0.3528
	// The font size goes in half points: defaultFont is a typical
	// terminal's 11 pt.
	defaultFont = 22
	minFont     = 8
	maxFont     = 64
)

// Alipay+'s size guidance for codes on phone screens (UX guide), in mm.
const (
	qrMinMM, qrMaxMM           = 25.4, 30.5
	barcodeMinMM, barcodeMaxMM = 45.0, 65.0
	barcodeMinHeightMM         = 14.0
)

// sampleCode stands in for the code when none is in hand.
const sampleCode = "259999020000000000000000"

// calibrateScreen estimates how big the code comes out on this screen, for
// a font size the user adjusts until the estimate matches a ruler.
type calibrateScreen struct {
	// font is the font size in half points.
	font int
	// tried is set once n switched to the seamless QR code.
	tried  bool
	keys   calibrateKeys
	width  int
	height int
}

// calibrateKeys change the assumed font size and go back.
type calibrateKeys struct {
	Bigger, Smaller, Back key.Binding
	// NoScan switches the QR code between compact and seamless when the
	// scanner did not read it.
	NoScan key.Binding
}

func defaultCalibrateKeys() calibrateKeys {
	return calibrateKeys{
		Bigger:  key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+/-", "font size")),
		Smaller: key.NewBinding(key.WithKeys("-", "_")),
		Back:    key.NewBinding(key.WithKeys("esc", "c"), key.WithHelp("esc", "back")),
		NoScan:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "did not scan: other QR style")),
	}
}

func newCalibrateScreen() calibrateScreen {
	return calibrateScreen{font: defaultFont, keys: defaultCalibrateKeys()}
}

// SetSize sets the space the screen may use.
func (s *calibrateScreen) SetSize(w, h int) { s.width, s.height = w, h }

// Update changes the font size; esc goes back to the code.
func (s calibrateScreen) Update(msg tea.Msg) (calibrateScreen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	switch {
	case key.Matches(k, s.keys.Bigger):
		s.font = min(maxFont, s.font+1)
	case key.Matches(k, s.keys.Smaller):
		s.font = max(minFont, s.font-1)
	case key.Matches(k, s.keys.Back):
		return s, send(showScreenMsg{page: pageCode})
	}
	return s, nil
}

// help is the screen's keys for the footer.
func (s calibrateScreen) help() []key.Binding {
	return []key.Binding{s.keys.Bigger, s.keys.NoScan, s.keys.Back}
}

// helpAll is every key of the screen, for the ? help.
func (s calibrateScreen) helpAll() []key.Binding {
	bigger := key.NewBinding(key.WithKeys(s.keys.Bigger.Keys()...), key.WithHelp("+", "larger font"))
	smaller := key.NewBinding(key.WithKeys(s.keys.Smaller.Keys()...), key.WithHelp("-", "smaller font"))
	return []key.Binding{bigger, smaller, s.keys.NoScan, s.keys.Back}
}

// columnMM and rowMM are a cell's estimated size at the font size.
func (s calibrateScreen) columnMM() float64 { return s.points() * cellWidthEm * mmPerPoint }
func (s calibrateScreen) rowMM() float64    { return s.points() * cellHeightEm * mmPerPoint }

// points is the font size in points.
func (s calibrateScreen) points() float64 { return float64(s.font) / 2 }

// fontFor is the font size that makes a column col mm wide.
func fontFor(col float64) float64 { return col / (cellWidthEm * mmPerPoint) }

// verdict compares a layout's estimated size with the guidance.
func verdict(l codeLayout, w, h float64) string {
	if l.barcode() {
		switch {
		case w < barcodeMinMM || h < barcodeMinHeightMM:
			return "smaller"
		case w > barcodeMaxMM:
			return "larger"
		}
		return "as on a phone"
	}
	switch {
	case w < qrMinMM:
		return "smaller"
	case w > qrMaxMM:
		return "larger"
	}
	return "as on a phone"
}

// guidance is the Alipay+ size range for the layout's kind.
func guidance(l codeLayout) string {
	if l.barcode() {
		return fmt.Sprintf("%.0f–%.0f mm wide", barcodeMinMM, barcodeMaxMM)
	}
	return fmt.Sprintf("%.1f–%.1f mm", qrMinMM, qrMaxMM)
}

// View lists every layout's size in cells and millimetres for the code
// value, marks the one shown, and draws it (in profile) when it fits.
func (s calibrateScreen) View(st Styles, value string, shown codeLayout, profile render.Profile) string {
	if value == "" {
		value = sampleCode
	}
	col, row := s.columnMM(), s.rowMM()
	para := lipgloss.NewStyle().Width(max(s.width, 20))
	var b strings.Builder
	b.WriteString(para.Render(fmt.Sprintf("Font %s pt (estimate: a column %.1f mm wide, a row %.1f mm tall). "+
		"Hold a ruler to the code and press +/- until the estimate matches what you measure.",
		strconv.FormatFloat(s.points(), 'f', -1, 64), col, row)) + "\n\n")
	b.WriteString(st.Muted.Render(fmt.Sprintf("%-28s %-8s %-9s %-16s %s", "Layout", "Cells", "mm", "Alipay+ (phone)", "here")) + "\n")
	var drawn render.Cells
	for _, l := range allLayouts {
		cells, err := drawCode(l, value)
		if err != nil {
			return st.Error.Render(err.Error())
		}
		w, h := float64(cells.Width())*col, float64(cells.Height())*row
		name := l.String()
		if l == shown {
			name += " ◀"
			drawn = cells
		}
		fmt.Fprintf(&b, "%-28s %-8s %-9s %-16s %s\n", name, fmt.Sprintf("%d×%d", cells.Width(), cells.Height()),
			fmt.Sprintf("%.0f×%.0f", w, h), guidance(l), verdict(l, w, h))
	}
	lo, hi := qrMinMM/float64(drawn.Width()), qrMaxMM/float64(drawn.Width())
	if shown.barcode() {
		lo, hi = barcodeMinMM/float64(drawn.Width()), barcodeMaxMM/float64(drawn.Width())
	}
	b.WriteString("\n" + para.Render(fmt.Sprintf("The guidance is for phones. To match it, the code shown needs columns of "+
		"%.2f–%.2f mm (a %.1f–%.1f pt font). Larger codes scan too, from further back: fit the whole code in "+
		"the scanner's view, square-on, screen at full brightness.", lo, hi, fontFor(lo), fontFor(hi))) + "\n")
	switch {
	case s.tried && shown == layoutQRFull:
		b.WriteString("\n" + para.Inherit(st.Success).Render("Now the seamless QR code: background colour only, no glyph "+
			"to leave seams. It is remembered for this data dir (g switches back).") + "\n")
	case shown == layoutQR:
		b.WriteString("\n" + para.Inherit(st.Muted).Render("Code did not scan? Press n for the seamless QR code: some "+
			"fonts and line spacings leave seams between half blocks.") + "\n")
	}
	text := b.String()
	room := s.height - lipgloss.Height(text) - 1
	if err := render.Fit(drawn, s.width, room); err != nil {
		return text + "\n" + para.Inherit(st.Muted).Render(fmt.Sprintf("The window is too small to draw the code here as well "+
			"(%d×%d cells); esc shows it.", drawn.Width(), drawn.Height())) + "\n"
	}
	return text + "\n" + drawn.ANSI(profile)
}
