package pos

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// View implements tea.Model: the header and total, the scan (or the
// amount entry), what just happened, the last sale, the till log (newest
// first, as much as fits) and the keys.
func (m Model) View() tea.View {
	top := append(m.header(), "")
	top = append(top, m.input()...)
	top = append(top, "", m.st.Title.Render("Last sale"))
	top = append(top, m.lastSale()...)
	top = append(top, "", m.st.Title.Render("Till log")+m.st.Muted.Render("  "+plural(len(m.log), "line")+", newest first"))
	footer := m.footer()
	room := m.height - len(top) - 1 - lipgloss.Height(footer)
	lines := append(top, m.logRows(room)...)
	for len(lines) < m.height-lipgloss.Height(footer) {
		lines = append(lines, "")
	}
	if limit := m.height - lipgloss.Height(footer); limit > 0 && len(lines) > limit {
		lines = lines[:limit]
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, m.width, "…")
	}
	v := tea.NewView(strings.Join(append(lines, footer), "\n"))
	v.AltScreen = true
	v.WindowTitle = "mppwallet pos"
	return v
}

// header is the title, the shop, the next amount and the till's total.
func (m Model) header() []string {
	title := m.st.Title.Render("mppwallet · POS")
	if m.cfg.Shop != "" {
		title += "  " + m.cfg.Shop
	}
	next := m.st.Warn.Render("not set (ctrl+a)")
	if m.amount.Minor > 0 {
		next = m.st.Amount.Render(m.amount.String())
	}
	return []string{title, "", "Next sale  " + next, "Till       " + m.till.String()}
}

// input is the scan line (or the amount entry) and the status line.
func (m Model) input() []string {
	var lines []string
	switch m.mode {
	case modeAmount:
		lines = append(lines, "Amount of the next sale", m.entry.View())
	case modeRefund:
		lines = append(lines, fmt.Sprintf("Refund of %s (%s)", m.last.Amount, m.last.PaymentID), m.entry.View())
	default:
		scan := m.st.Muted.Render("scan the customer's payment code (the scanner ends it with enter or tab)")
		if len(m.scan) > 0 {
			scan = Mask(string(m.scan)) + m.st.Muted.Render(fmt.Sprintf("  %d characters", len(m.scan)))
		}
		lines = append(lines, "Scan", "› "+scan)
	}
	switch {
	case m.errMsg != "":
		lines = append(lines, m.st.Error.Render(m.errMsg))
	case m.status != "":
		lines = append(lines, styleOf(m.st, m.statusRole).Render(m.status))
	default:
		lines = append(lines, "")
	}
	if n := len(m.queue); n > 0 {
		lines = append(lines, m.st.Muted.Render(plural(n, "scan")+" queued behind the sale in progress"))
	}
	return lines
}

// lastSale is the last sale's card: status, amount and code; the
// gateway's answer; the ids.
func (m Model) lastSale() []string {
	if !m.hasLast {
		return []string{m.st.Muted.Render("  none yet")}
	}
	s := m.last
	mark := "✘"
	switch s.Status {
	case StatusSuccess:
		mark = "✔"
	case StatusProcessing:
		mark = "…"
	case StatusRefunded, StatusCancelled:
		mark = "↩"
	}
	first := "  " + styleOf(m.st, statusRole(s.Status)).Render(mark+" "+string(s.Status)) + "  " +
		m.st.Amount.Render(s.Amount.String()) + "  " + Mask(s.Code)
	if s.Refunded.Minor > 0 {
		first += "  refunded " + s.Refunded.String()
	}
	answer := []string{strings.TrimSpace(s.ResultCode + " " + s.ResultMessage)}
	if s.Customer != "" {
		answer = append(answer, "customer "+s.Customer)
	}
	if !s.PaidAt.IsZero() {
		answer = append(answer, "paid "+s.PaidAt.Format(time.DateTime))
	}
	ids := "  paymentRequestId " + s.RequestID
	if s.PaymentID != "" {
		ids = "  paymentId " + s.PaymentID + ids
	}
	return []string{first, "  " + strings.Join(answer, " · "), m.st.Muted.Render(ids)}
}

// logRows is the newest n lines of the log.
func (m Model) logRows(n int) []string {
	if len(m.log) == 0 && n > 0 {
		return []string{m.st.Muted.Render("  no sales yet")}
	}
	var rows []string
	for i := 0; i < len(m.log) && i < n; i++ {
		e := m.log[i]
		rows = append(rows, "  "+styleOf(m.st, e.role).Render(e.row()))
	}
	return rows
}

// footer is the help line of the mode.
func (m Model) footer() string {
	if m.mode != modeScan {
		return m.help.View(entryHelp{m.keys})
	}
	return m.help.View(scanHelp{m.keys})
}
