package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/mppwallet/mppwallet/wallet"
)

// Display is how the app draws the code and its pages.
type Display struct {
	// Seamless starts on the seamless QR code (background-coloured
	// spaces, two columns and one row per module) instead of the compact
	// half-block one: for terminals whose block glyphs or line spacing
	// leave seams. The g key switches between the two.
	Seamless bool
	// Present is the presentation layout for demos and projectors: no
	// header or footer, only the code as large as the window allows, its
	// digits and countdown, and the result page's outcome and amount.
	Present bool
	// SeamsNote, when set, says why Seamless was chosen for this
	// terminal without the user asking (its half blocks are known to leave
	// seams). In a window too small for the seamless code the compact one
	// is drawn instead, with this note and the size the seamless one needs.
	SeamsNote string
	// OnSeamless, if set, is told when the user switches the QR style with
	// g, to remember it for the data dir. It runs off the event loop.
	OnSeamless func(seamless bool)
}

// presenting reports whether the page shown is drawn without the app's
// header and footer.
func (m App) presenting() bool {
	return m.cfg.Display.Present && (m.page == pageCode || m.page == pageResult) && !m.help.ShowAll
}

// rememberSeamless tells Display.OnSeamless the QR style now shown.
func (m App) rememberSeamless() tea.Cmd {
	cb, seamless := m.cfg.Display.OnSeamless, m.code.full
	if cb == nil {
		return nil
	}
	return func() tea.Msg {
		cb(seamless)
		return nil
	}
}

// presentResult is the result page of the presentation layout: the
// outcome, the amount in a box and the merchant, centred.
func (m App) presentResult() string {
	st, p := m.styles, m.result
	var head string
	switch p.Status {
	case wallet.StatusSucceeded:
		head = st.Success.Render("✔ PAID")
	case wallet.StatusProcessing:
		head = st.Warn.Render("… IN PROCESS")
	default:
		head = st.Error.Render("✘ DECLINED") + "\n" + st.Error.Render(string(p.ResultCode))
	}
	amount := st.Box.Padding(1, 4).Render(st.Amount.Render(p.PaymentAmount.String()))
	parts := []string{head, "", amount}
	if p.Merchant.Name != "" {
		parts = append(parts, "", p.Merchant.Name)
	}
	parts = append(parts, "", st.Muted.Render("enter: next code"))
	block := lipgloss.JoinVertical(lipgloss.Center, parts...)
	return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, strings.TrimRight(block, "\n"))
}
