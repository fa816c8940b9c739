package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

// historyScreen lists the user's payments, newest first, and shows one.
type historyScreen struct {
	payments []wallet.Payment
	loading  bool
	err      error
	table    table.Model
	detail   bool
	// newest makes the next load select the newest payment: set on
	// entering the screen, so a payment made since is the one selected.
	newest bool
	keys   historyKeys
	// refund is the refund asked for or running (history_refund.go).
	refund refundState
	// keep is the row cells the columns show (historyColumns).
	keep   []int
	width  int
	height int
}

// marker flags the selected row in its own column, so the selection shows
// without colour too.
const marker = "▶"

func newHistoryScreen() historyScreen {
	s := historyScreen{keys: defaultHistoryKeys(), table: table.New(table.WithFocused(true))}
	s.columns(80)
	return s
}

// historyColumns share the width out: the merchant takes what is left;
// on a narrow window the result and status shrink, then the merchant's
// amount, the merchant and the time go, in that order. keep is the row
// cells shown, by index into historyRow's.
func historyColumns(w int) (cols []table.Column, keep []int) {
	all := []col{{title: "", w: 1}, {title: "Time", w: 11, drop: 3}, {title: "Status", w: 11, min: 8},
		{title: "Result", w: 15, min: 10}, {title: "Charged", w: 11}, {title: "Merchant amt", w: 12, drop: 1},
		{title: "Merchant", min: 8, drop: 2}}
	t := fitColumns(w-2, 2, all...) // each cell is padded by one column on both sides
	for j, i := range t.keep {
		cols = append(cols, table.Column{Title: all[i].title, Width: t.width[j]})
	}
	return cols, t.keep
}

// columns fits the table to width w.
func (s *historyScreen) columns(w int) {
	cols, keep := historyColumns(w)
	s.table.SetRows(nil) // rows of the old columns do not fit the new ones
	s.table.SetColumns(cols)
	s.keep = keep
}

// SetSize sets the space the screen may use.
func (s *historyScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	cursor := s.table.Cursor()
	s.columns(w)
	s.table.SetWidth(w)
	s.markAt(cursor)
	s.fitHeight()
}

// fitHeight makes the table as tall as its rows, at most the screen.
func (s *historyScreen) fitHeight() {
	s.table.SetHeight(max(3, min(s.height-2, len(s.payments)+1)))
}

// enter readies the screen for a visit: the list, not a detail, with the
// newest payment selected once the list loads.
func (s *historyScreen) enter() {
	s.detail, s.newest = false, true
	s.refund.asking = nil
	s.table.SetCursor(0)
	s.mark()
}

// loaded takes a new list: on entry the newest payment is selected, on a
// reload while the screen is open the same payment stays selected.
func (s *historyScreen) loaded(msg paymentsLoadedMsg) {
	s.loading = false
	if msg.err != nil {
		s.err = msg.err
		return
	}
	s.err = nil
	var selected string
	if i := s.table.Cursor(); !s.newest && i >= 0 && i < len(s.payments) {
		selected = s.payments[i].RequestID
	}
	s.newest = false
	s.payments = msg.payments
	cursor := 0
	for i, p := range s.payments {
		if p.RequestID == selected {
			cursor = i
		}
	}
	s.table.SetRows(make([]table.Row, len(s.payments)))
	s.fitHeight()
	s.table.SetCursor(cursor)
	s.mark()
}

// mark draws the rows with the marker on the selected one.
func (s *historyScreen) mark() { s.markAt(s.table.Cursor()) }

// markAt draws the rows with the marker on row cursor, and selects it.
func (s *historyScreen) markAt(cursor int) {
	rows := make([]table.Row, len(s.payments))
	for i, p := range s.payments {
		full := historyRow(p, i == cursor)
		for _, k := range s.keep {
			rows[i] = append(rows[i], full[k])
		}
	}
	s.table.SetRows(rows)
	s.table.SetCursor(cursor)
}

func paymentTime(p wallet.Payment) time.Time {
	for _, t := range []time.Time{p.PaidAt, p.CreatedAt, p.UpdatedAt} {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// historyRow is one payment's row; selected puts the marker on it.
func historyRow(p wallet.Payment, selected bool) table.Row {
	when := ""
	if t := paymentTime(p); !t.IsZero() {
		when = t.Local().Format("01-02 15:04")
	}
	status := string(p.Status)
	if p.Refunded > 0 {
		status = "refunded"
		if p.Refunded < p.Amount.Minor {
			status = "part-refund"
		}
	}
	mark := ""
	if selected {
		mark = marker
	}
	return table.Row{mark, when, status, string(p.ResultCode), p.Amount.String(), p.PaymentAmount.String(), p.Merchant.Name}
}

// Update handles keys: the table moves, enter opens, esc goes back, R
// refunds the selected payment (asking first).
func (s historyScreen) Update(msg tea.Msg, b Backend, customerID string) (historyScreen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	if s.refund.asking != nil {
		return s.answerRefund(k, b, customerID)
	}
	if key.Matches(k, s.keys.Refund) {
		return s.askRefund()
	}
	if s.detail {
		if key.Matches(k, s.keys.Back) {
			s.detail = false
		}
		return s, nil
	}
	switch {
	case key.Matches(k, s.keys.Open):
		if len(s.payments) > 0 {
			s.detail = true
		}
		return s, nil
	case key.Matches(k, s.keys.Back):
		return s, send(showScreenMsg{page: pageCode})
	}
	var cmd tea.Cmd
	s.table, cmd = s.table.Update(msg)
	s.mark()
	return s, cmd
}

// selected is the payment under the cursor.
func (s historyScreen) selected() (wallet.Payment, bool) {
	i := s.table.Cursor()
	if i < 0 || i >= len(s.payments) {
		return wallet.Payment{}, false
	}
	return s.payments[i], true
}

// help is the screen's keys for the footer.
func (s historyScreen) help() []key.Binding {
	switch {
	case s.refund.asking != nil:
		return []key.Binding{s.keys.Yes, s.keys.No}
	case s.detail:
		return []key.Binding{s.keys.Refund, s.keys.Back}
	}
	return []key.Binding{s.keys.Up, s.keys.Open, s.keys.Refund, s.keys.Back}
}

// helpAll is every key of the screen, for the ? help: the table's own
// (pages, half pages, start and end) too.
func (s historyScreen) helpAll() []key.Binding {
	if s.detail || s.refund.asking != nil {
		return s.help()
	}
	t := s.table.KeyMap
	return append(s.keys.full(t.PageUp, t.PageDown, t.HalfPageUp, t.HalfPageDown, t.GotoTop, t.GotoBottom), s.keys.Refund)
}

// View draws the table or the detail of the selected payment.
func (s historyScreen) View(st Styles) string {
	if s.detail {
		if p, ok := s.selected(); ok {
			return paymentDetail(st, p) + s.refund.line(st)
		}
	}
	var status string
	switch {
	case s.err != nil:
		status = st.Error.Render("Could not load the history: " + s.err.Error())
	case s.loading && len(s.payments) == 0:
		status = st.Muted.Render("Loading…")
	case len(s.payments) == 0:
		status = st.Muted.Render("No payments yet.")
	default:
		n := fmt.Sprintf("%d payments", len(s.payments))
		if len(s.payments) == 1 {
			n = "1 payment"
		}
		status = st.Muted.Render(n + ", newest first")
	}
	if len(s.payments) == 0 {
		return status + "\n"
	}
	return s.table.View() + "\n" + status + "\n" + s.refund.line(st)
}

// paymentDetail draws every field of one payment, the code masked.
func paymentDetail(st Styles, p wallet.Payment) string {
	var b strings.Builder
	row := func(k, v string) { field(&b, st, k, v) }
	row("Status", string(p.Status))
	row("Result code", string(p.ResultCode))
	row("Charged", st.Amount.Render(p.Amount.String()))
	row("Merchant amount", p.PaymentAmount.String())
	if p.Quote.Price != "" {
		row("Quote", p.Quote.Price+" "+p.Quote.CurrencyPair)
	}
	row("Merchant", p.Merchant.Name)
	row("Store", p.Merchant.StoreName)
	if t := paymentTime(p); !t.IsZero() {
		row("Time", t.Local().Format(timeLayout))
	}
	row("Payment ID", p.PaymentID)
	row("Request ID", p.RequestID)
	if p.Refunded > 0 {
		row("Refunded", money.Money{Currency: p.Amount.Currency, Minor: p.Refunded}.String())
	}
	row("Mode", string(p.Mode))
	row("Code", masked(p.CodeValue))
	return b.String()
}
