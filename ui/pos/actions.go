package pos

import (
	"context"
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/mppwallet/mppwallet/internal/money"
)

// chargedMsg is a charge's answer.
type chargedMsg struct {
	seq  int
	sale Sale
	err  error
}

// refundedMsg is a refund's answer.
type refundedMsg struct {
	seq    int
	refund Refund
	err    error
}

// voidedMsg is a void's answer.
type voidedMsg struct {
	seq int
	err error
}

// startCharge sends the charge; the Till answers when the sale is final.
func (m Model) startCharge(code string, amount money.Money) (tea.Model, tea.Cmd) {
	ctx, cancel := context.WithCancel(m.cfg.Context)
	seq := m.begin(jobCharge, code, amount, cancel,
		fmt.Sprintf("charging %s to %s … (the customer may have to confirm on the phone)", amount, Mask(code)))
	t := m.cfg.Till
	return m, func() tea.Msg {
		s, err := t.Charge(ctx, code, amount)
		return chargedMsg{seq: seq, sale: s, err: err}
	}
}

// onCharged logs the sale that landed and starts the next queued scan.
func (m Model) onCharged(msg chargedMsg) (tea.Model, tea.Cmd) {
	if msg.seq != m.busy.seq || m.busy.kind != jobCharge {
		return m, nil
	}
	b := m.finish()
	s := msg.sale
	if s.Code == "" {
		s.Code = b.code
	}
	if s.Amount.Currency == "" {
		s.Amount = b.amount
	}
	switch {
	case msg.err != nil:
		m.till.failed++
		m.addLog(entry{word: "ERROR", amount: b.amount, code: Mask(b.code), detail: msg.err.Error(), role: roleBad})
		m.setStatus(roleBad, fmt.Sprintf("charge of %s to %s: %v", b.amount, Mask(b.code), msg.err))
	default:
		m.last, m.hasLast = s, true
		m.addLog(saleEntry(m.cfg.Now(), s))
		if s.Paid() {
			m.till.paid++
			m.till.add(s.Amount)
			m.setStatus(roleOK, "paid "+s.Amount.String())
		} else {
			m.till.failed++
			m.setStatus(statusRole(s.Status), fmt.Sprintf("%s %s: %s %s", s.Status, s.Amount, s.ResultCode, s.ResultMessage))
		}
	}
	return m.next()
}

// begin records the call in flight, says so, and returns its seq.
func (m *Model) begin(kind jobKind, code string, amount money.Money, cancel context.CancelFunc, status string) int {
	m.seq++
	m.busy = job{kind: kind, seq: m.seq, code: code, amount: amount, cancel: cancel}
	m.setStatus(rolePlain, status)
	return m.seq
}

// finish ends the job in flight and returns it.
func (m *Model) finish() job {
	b := m.busy
	if b.cancel != nil {
		b.cancel()
	}
	m.busy, m.quitArmed = job{}, false
	return b
}

// next charges the first queued scan, if any.
func (m Model) next() (tea.Model, tea.Cmd) {
	if len(m.queue) == 0 {
		return m, nil
	}
	q := m.queue[0]
	m.queue = append([]queued(nil), m.queue[1:]...)
	return m.startCharge(q.code, q.amount)
}

// refusedNow says why an action cannot start, or "" when it can.
func (m Model) refusedNow(what string) string {
	switch {
	case m.Busy():
		return "wait: a call is in flight; " + what + " when it lands"
	case !m.hasLast:
		return "no sale yet: nothing to " + what
	}
	return ""
}

// startRefundEntry opens the refund entry for the last sale.
func (m Model) startRefundEntry() (tea.Model, tea.Cmd) {
	why := m.refusedNow("refund")
	switch {
	case why != "":
	case m.last.Status == StatusRefunded:
		why = "the last sale is refunded in full already"
	case !m.last.Paid():
		why = fmt.Sprintf("the last sale is %s: nothing was paid to refund", m.last.Status)
	}
	if why != "" {
		m.setStatus(roleWarn, why)
		return m, nil
	}
	m.openEntry(modeRefund)
	return m, nil
}

// submitRefund sends the refund typed (empty: all that is left).
func (m Model) submitRefund() (tea.Model, tea.Cmd) {
	left := m.last.Refundable()
	amount := left
	if v := m.entry.Value(); v != "" {
		if looksScanned(v) {
			m.errMsg = "that looks like a scanned code, not an amount: type the amount (esc to cancel)"
			m.entry.Reset()
			return m, nil
		}
		a, err := ParseAmount(v, left.Currency)
		if err != nil {
			m.errMsg = err.Error()
			return m, nil
		}
		if a.Currency != left.Currency {
			m.errMsg = fmt.Sprintf("the sale was in %s", left.Currency)
			return m, nil
		}
		amount = a
	}
	m.mode, m.errMsg = modeScan, ""
	m.entry.Blur()
	ctx, cancel := context.WithTimeout(m.cfg.Context, m.cfg.ActionTimeout)
	seq := m.begin(jobRefund, m.last.Code, amount, cancel, fmt.Sprintf("refunding %s of %s …", amount, m.last.PaymentID))
	t, sale := m.cfg.Till, m.last
	return m, func() tea.Msg {
		r, err := t.Refund(ctx, sale, amount)
		return refundedMsg{seq: seq, refund: r, err: err}
	}
}

// onRefunded logs the refund and takes it out of the till.
func (m Model) onRefunded(msg refundedMsg) (tea.Model, tea.Cmd) {
	if msg.seq != m.busy.seq || m.busy.kind != jobRefund {
		return m, nil
	}
	b := m.finish()
	if msg.err != nil {
		m.refused("refund "+b.amount.String(), b, msg.err)
		return m.next()
	}
	amt := msg.refund.Amount
	if amt.Currency == "" {
		amt = b.amount
	}
	m.last.Refunded.Currency = amt.Currency
	m.last.Refunded.Minor += amt.Minor
	if m.last.Refundable().Minor <= 0 {
		m.last.Status = StatusRefunded
	}
	m.till.add(money.Money{Currency: amt.Currency, Minor: -amt.Minor})
	m.addLog(entry{word: "REFUND", amount: amt, code: Mask(m.last.Code),
		detail: fmt.Sprintf("%s  refundId %s", m.last.PaymentID, msg.refund.RefundID), role: roleMuted})
	m.setStatus(roleOK, fmt.Sprintf("refunded %s of %s", amt, m.last.Amount))
	return m.next()
}

// refused logs an action the gateway refused or could not be asked.
func (m *Model) refused(what string, b job, err error) {
	word := "ERROR"
	var r *Refusal
	if errors.As(err, &r) {
		word = "REFUSED"
	}
	m.addLog(entry{word: word, code: Mask(b.code), detail: what + ": " + err.Error(), role: roleBad})
	m.setStatus(roleBad, what+": "+err.Error())
}

// void cancels the last sale, or the one in progress.
func (m Model) void() (tea.Model, tea.Cmd) {
	if m.busy.kind == jobCharge {
		if !m.busy.voiding {
			m.busy.voiding = true
			m.busy.cancel()
		}
		m.setStatus(roleWarn, "voiding the sale in progress …")
		return m, nil
	}
	why := m.refusedNow("void")
	switch {
	case why != "":
	case m.last.Status == StatusCancelled:
		why = "the last sale is voided already"
	case m.last.Status == StatusFail:
		why = "the last sale failed: nothing was charged to void"
	}
	if why != "" {
		m.setStatus(roleWarn, why)
		return m, nil
	}
	ctx, cancel := context.WithTimeout(m.cfg.Context, m.cfg.ActionTimeout)
	seq := m.begin(jobVoid, m.last.Code, m.last.Amount, cancel, fmt.Sprintf("voiding %s (%s) …", m.last.Amount, m.last.RequestID))
	t, sale := m.cfg.Till, m.last
	return m, func() tea.Msg { return voidedMsg{seq: seq, err: t.Void(ctx, sale)} }
}

// onVoided logs the void and takes what was left of the sale out of the
// till.
func (m Model) onVoided(msg voidedMsg) (tea.Model, tea.Cmd) {
	if msg.seq != m.busy.seq || m.busy.kind != jobVoid {
		return m, nil
	}
	b := m.finish()
	if msg.err != nil {
		m.refused("void", b, msg.err)
		return m.next()
	}
	if left := m.last.Refundable(); left.Minor > 0 {
		m.till.add(money.Money{Currency: left.Currency, Minor: -left.Minor})
	}
	m.last.Status = StatusCancelled
	m.addLog(entry{word: "VOIDED", amount: m.last.Amount, code: Mask(m.last.Code), detail: "paymentRequestId " + m.last.RequestID, role: roleMuted})
	m.setStatus(roleOK, "voided "+m.last.Amount.String())
	return m.next()
}
