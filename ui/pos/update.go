package pos

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// onKey dispatches a key press by mode.
func (m Model) onKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, m.keys.Quit) {
		return m.quit()
	}
	m.quitArmed = false
	if m.mode != modeScan {
		return m.onEntryKey(msg)
	}
	switch {
	case key.Matches(msg, m.keys.Charge):
		return m.submitScan()
	case key.Matches(msg, m.keys.Amount):
		m.openEntry(modeAmount)
		return m, nil
	case key.Matches(msg, m.keys.Refund):
		return m.startRefundEntry()
	case key.Matches(msg, m.keys.Void):
		return m.void()
	case key.Matches(msg, m.keys.Clear):
		if len(m.scan) > 0 {
			m.scan = nil
			return m, nil
		}
		return m.quit()
	case msg.Code == tea.KeyBackspace:
		if len(m.scan) > 0 {
			m.scan = m.scan[:len(m.scan)-1]
		}
		return m, nil
	case msg.Text != "" && msg.Mod&(tea.ModCtrl|tea.ModAlt) == 0:
		m.typeScan(msg.Text)
	}
	return m, nil
}

// onPaste types pasted text as if the scanner had: each line or
// tab-separated field is a scan of its own (in the amount entry, the
// entry takes it).
func (m Model) onPaste(text string) (tea.Model, tea.Cmd) {
	if m.mode != modeScan {
		var cmd tea.Cmd
		m.entry, cmd = m.entry.Update(tea.PasteMsg{Content: text})
		return m, cmd
	}
	var cmds []tea.Cmd
	for {
		i := strings.IndexAny(text, "\r\n\t")
		if i < 0 {
			break
		}
		m.typeScan(text[:i])
		if strings.TrimSpace(string(m.scan)) != "" {
			var cmd tea.Cmd
			var next tea.Model
			next, cmd = m.submitScan()
			m = next.(Model)
			cmds = append(cmds, cmd)
		}
		m.scan = nil
		text = text[i+1:]
	}
	m.typeScan(text)
	return m, tea.Batch(cmds...)
}

// typeScan adds what the scanner typed to the scan, within bounds.
func (m *Model) typeScan(s string) {
	for _, r := range s {
		if len(m.scan) < maxScanChars {
			m.scan = append(m.scan, r)
		}
	}
}

// quit ends the program, asking for a second ctrl+c while a call is in
// flight (the gateway would be left with it).
func (m Model) quit() (tea.Model, tea.Cmd) {
	if m.Busy() && !m.quitArmed {
		m.quitArmed = true
		m.setStatus(roleWarn, "a call is in flight: ctrl+c again quits and leaves it to the gateway")
		return m, nil
	}
	if m.busy.cancel != nil {
		m.busy.cancel()
	}
	return m, tea.Quit
}

// openEntry opens the amount entry for the next sale or a refund.
func (m *Model) openEntry(md mode) {
	m.mode, m.errMsg = md, ""
	m.entry.Reset()
	m.entry.Placeholder = "e.g. 12.50 or 1500 JPY"
	if md == modeRefund {
		m.entry.Placeholder = "empty: all " + m.last.Refundable().String() + " left"
	}
	m.entry.Focus()
}

// onEntryKey handles a key while an amount is typed.
func (m Model) onEntryKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Cancel):
		m.mode, m.errMsg = modeScan, ""
		m.entry.Blur()
		return m, nil
	case key.Matches(msg, m.keys.Submit):
		if m.mode == modeRefund {
			return m.submitRefund()
		}
		return m.submitAmount(), nil
	}
	var cmd tea.Cmd
	m.entry, cmd = m.entry.Update(msg)
	return m, cmd
}

// looksScanned reports whether an amount entry holds what a scanner
// typed rather than an amount: a code scanned at the wrong moment must
// never become a sale of billions.
func looksScanned(s string) bool {
	v := strings.Join(strings.Fields(s), "")
	return len(v) >= MinCodeDigits && allDigits(v) || strings.Contains(v, "://")
}

// submitAmount sets the next sale's amount from the entry.
func (m Model) submitAmount() Model {
	v := m.entry.Value()
	if looksScanned(v) {
		m.errMsg = "that looks like a scanned code, not an amount: type the amount (esc to cancel)"
		m.entry.Reset()
		return m
	}
	a, err := ParseAmount(v, m.cfg.Currency)
	if err != nil {
		m.errMsg = err.Error()
		return m
	}
	m.amount, m.mode, m.errMsg = a, modeScan, ""
	m.entry.Blur()
	m.setStatus(rolePlain, "next sale "+a.String()+": scan the customer's code")
	return m
}

// submitScan checks the scan and charges it, queues it behind the sale
// in progress, or logs why not.
func (m Model) submitScan() (tea.Model, tea.Cmd) {
	raw := string(m.scan)
	m.scan = nil
	code, err := m.cfg.Scanner.Clean(raw)
	var se *ScanError
	switch {
	case errors.As(err, &se) && se.Code == CodeEmptyScan:
		m.setStatus(roleWarn, "empty scan: nothing charged")
		return m, nil
	case err != nil:
		m.till.failed++
		m.addLog(entry{word: "BAD SCAN", detail: err.Error() + "; nothing charged", role: roleBad})
		m.setStatus(roleBad, "bad scan: "+err.Error()+"; nothing charged")
		return m, nil
	case m.amount.Minor <= 0:
		m.setStatus(roleWarn, "set the amount first (ctrl+a); nothing charged")
		return m, nil
	case m.Busy():
		if len(m.queue) >= m.cfg.QueueSize {
			m.addLog(entry{word: "REFUSED", code: Mask(code), detail: "the queue is full; scan again later", role: roleBad})
			m.setStatus(roleBad, fmt.Sprintf("%d scans already wait: scan %s again later", len(m.queue), Mask(code)))
			return m, nil
		}
		m.queue = append(m.queue, queued{code: code, amount: m.amount})
		m.addLog(entry{word: "QUEUED", amount: m.amount, code: Mask(code),
			detail: fmt.Sprintf("charged when the sale in progress lands (%d waiting)", len(m.queue)), role: roleMuted})
		return m, nil
	}
	return m.startCharge(code, m.amount)
}

// setStatus sets the line under the scan.
func (m *Model) setStatus(r role, s string) { m.status, m.statusRole = s, r }

// addLog puts a line at the top of the log, keeping it bounded.
func (m *Model) addLog(e entry) {
	if e.at.IsZero() {
		e.at = m.cfg.Now()
	}
	m.log = append([]entry{e}, m.log...)
	if len(m.log) > m.cfg.LogSize {
		m.log = m.log[:m.cfg.LogSize]
	}
}
