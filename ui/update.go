package ui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/mppwallet/mppwallet/wallet"
)

// Update implements tea.Model: it hands each kind of message to the method
// that owns it, then reports what the screen shows of the code if that
// changed (Config.OnShown).
func (m App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := m.dispatch(msg)
	if a, ok := next.(App); ok {
		return a.reportShown(), cmd
	}
	return next, cmd
}

// dispatch hands msg to the method that owns its kind.
func (m App) dispatch(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg, tea.BackgroundColorMsg, tea.ColorProfileMsg:
		return m.onTerminal(msg), nil
	case tea.KeyPressMsg:
		return m.onKey(msg)
	case scanMsg, tea.PasteMsg:
		return m.updateScan(msg)
	case paymentEventMsg:
		return m.onEvent(msg.event)
	case confirmedMsg:
		return m.onConfirmed(msg)
	case showScreenMsg, switchUserMsg:
		return m.onNavigate(msg)
	case tickMsg, inspectorTickMsg:
		return m.onTick(msg)
	case overrideSetMsg, faultChangedMsg, faultsLoadedMsg:
		return m.onOverrides(msg)
	case refundedMsg, refundStatusExpiredMsg:
		return m.onRefund(msg)
	case transcriptExportedMsg:
		return m, m.insp.exported(msg)
	case codeStatesMsg:
		return m.onCodeStates(msg)
	case peersMovedMsg:
		return m.onPeersMoved(msg)
	}
	return m.onLoaded(msg), nil
}

// onTerminal follows the terminal: its size, background and colours.
func (m App) onTerminal(msg tea.Msg) App {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
	case tea.BackgroundColorMsg:
		m.dark, m.bgKnown = msg.IsDark(), true
		m.styles = newStyles(m.dark)
		m.help.Styles = help.DefaultStyles(m.dark)
		m.applyProfile()
	case tea.ColorProfileMsg:
		m.profile = msg.Profile
		m.applyProfile()
	}
	return m
}

// onLoaded takes in what a backend call brought back for a screen.
func (m App) onLoaded(msg tea.Msg) App {
	switch msg := msg.(type) {
	case codesFetchedMsg:
		if msg.customerID == m.cfg.CustomerID { // not for the user shown before a switch
			m.code.fetched(msg)
		}
	case userLoadedMsg:
		if msg.err == nil && msg.user.ID == m.cfg.CustomerID {
			m.user = msg.user
			m.resize()
		}
	case paymentsLoadedMsg:
		if msg.customerID == m.cfg.CustomerID {
			m.history.loaded(msg)
		}
	case usersLoadedMsg:
		m.users.loaded(msg, m.cfg.CustomerID)
	case exchangesLoadedMsg:
		m.insp.loaded(msg)
	case inspectorStatusExpiredMsg:
		m.insp.expire(msg)
	}
	return m
}

// onOverrides takes in the answers of the overrides screen's calls.
func (m App) onOverrides(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case overrideSetMsg:
		m.over.busy = false
		if msg.err != nil {
			m.over.err = msg.err
			return m, nil
		}
		m.over.err, m.over.status = nil, "Next payments: "+msg.label
		if msg.user.ID == m.cfg.CustomerID {
			m.user = msg.user
			m.resize()
		}
	case faultChangedMsg:
		m.over.busy = false
		if msg.err != nil {
			m.over.err = msg.err
		} else {
			m.over.err, m.over.status = nil, msg.status
		}
	case faultsLoadedMsg:
		m.over.faultsLoaded(msg)
		return m, nil
	}
	return m, m.refreshFaults()
}

// onNavigate moves to a screen or to another user.
func (m App) onNavigate(msg tea.Msg) (tea.Model, tea.Cmd) {
	if msg, ok := msg.(switchUserMsg); ok {
		return m.switchUser(msg.id)
	}
	return m.show(msg.(showScreenMsg).page)
}

// onTick runs the timers: the code's second tick (prune, fetch when no
// code is left) and the inspector's poll, each only for its current
// generation.
func (m App) onTick(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tickMsg:
		if msg.gen == m.gen {
			return m.resumeCodes()
		}
	case inspectorTickMsg:
		if msg.gen == m.inspGen && m.page == pageInspector {
			return m, tea.Batch(m.pollExchanges(), inspectorTick(m.inspGen))
		}
	}
	return m, nil
}

// resumeCodes drops expired codes, fetches when none is valid, and ticks
// on; the caller has set the generation the tick belongs to.
func (m App) resumeCodes() (tea.Model, tea.Cmd) {
	m.code.prune()
	var cmds []tea.Cmd
	if m.code.needFetch() {
		cmds = append(cmds, m.fetch())
	}
	cmds = append(cmds, m.watchCodes())
	return m, tea.Batch(append(cmds, tick(m.gen))...)
}

// onConfirmed shows how a payment the user answered ended.
func (m App) onConfirmed(msg confirmedMsg) (tea.Model, tea.Cmd) {
	m.page = pageResult
	m.result, m.note = msg.payment, ""
	if msg.err != nil {
		if msg.payment.RequestID == "" {
			m.result = m.held
		}
		m.note = msg.err.Error()
	}
	return m, loadUser(m.cfg.Backend, m.cfg.CustomerID)
}

// onEvent shows the result page when a payment for one of our codes is
// decided, and asks the user when one is held for confirmation.
func (m App) onEvent(e wallet.Event) (tea.Model, tea.Cmd) {
	next := waitForEvent(m.cfg.Events)
	p := e.Payment
	if p.CustomerID != m.cfg.CustomerID {
		return m, next
	}
	next = tea.Batch(next, m.refreshHistory())
	ours := m.code.markUsed(p.CodeValue) || p.Mode == wallet.ModeUPM
	if !ours {
		return m, next
	}
	switch e.Kind {
	case wallet.EventReceived:
		m.leaveScreen()
		m.page, m.held = pageConfirm, p
	case wallet.EventDecided:
		if m.page == pageConfirm && m.held.RequestID == p.RequestID {
			return m, next // our own answer; confirmedMsg shows it
		}
		m.leaveScreen()
		m.page, m.result, m.note = pageResult, p, ""
	case wallet.EventCancelled: // Alipay+ closed it: a held one timed out, a merchant cancelled
		m.leaveScreen()
		m.page, m.result, m.note = pageResult, p, ""
		if m.held.RequestID == p.RequestID {
			m.held, m.note = wallet.Payment{}, "Alipay+ closed the payment before you answered."
		}
	}
	return m, tea.Batch(next, loadUser(m.cfg.Backend, m.cfg.CustomerID))
}

// onKey takes a key: ctrl+c and ? everywhere, then the keys of a screen
// that owns them all (confirm, result, a Scan input being typed in), then
// the screen keys, then the current screen's own keys.
func (m App) onKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if key.Matches(k, m.quitKey) {
		return m, tea.Quit
	}
	typing := m.page == pageScan && m.scan.typing()
	if key.Matches(k, m.nav.Help) && m.page != pageConfirm && !typing {
		m.help.ShowAll = !m.help.ShowAll
		m.resize()
		return m, nil
	}
	if m.help.ShowAll && k.String() == "esc" { // the key list drawn over the page
		m.help.ShowAll = false
		m.resize()
		return m, nil
	}
	switch {
	case m.page == pageConfirm:
		return m.onConfirmKey(k)
	case m.page == pageResult:
		return m.onResultKey(k)
	case typing: // every key types, the number keys too
		return m.updateScan(k)
	}
	if p, ok := m.nav.target(k); ok {
		return m.show(p)
	}
	if key.Matches(k, m.code.keys.Quit) {
		return m, tea.Quit
	}
	return m.onScreenKey(k)
}

// target is the screen a navigation key leads to.
func (n navKeys) target(k tea.KeyPressMsg) (page, bool) {
	for _, t := range []struct {
		b key.Binding
		p page
	}{{n.Home, pageHome}, {n.Pay, pageCode}, {n.History, pageHistory}, {n.Users, pageUsers},
		{n.Inspector, pageInspector}, {n.Overrides, pageOverrides}, {n.Scan, pageScan}} {
		if key.Matches(k, t.b) {
			return t.p, true
		}
	}
	return 0, false
}

// onConfirmKey answers a held payment: y approves, n declines.
func (m App) onConfirmKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.ckeys.Yes):
		return m, confirm(m.cfg.Backend, m.held.RequestID, true)
	case key.Matches(k, m.ckeys.No):
		return m, confirm(m.cfg.Backend, m.held.RequestID, false)
	}
	return m, nil
}

// onResultKey leaves the result page: back to a fresh code, or quit.
func (m App) onResultKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.rkeys.Quit):
		return m, tea.Quit
	case key.Matches(k, m.rkeys.Back):
		m.page = pageCode
		m.gen++
		return m.resumeCodes()
	}
	return m, nil
}

// onScreenKey gives the key to the current screen; the code screen also
// opens calibration and fetches codes on demand.
func (m App) onScreenKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch m.page {
	case pageHistory:
		m.history, cmd = m.history.Update(k, m.cfg.Backend, m.cfg.CustomerID)
	case pageUsers:
		m.users, cmd = m.users.Update(k)
	case pageInspector:
		m.insp, cmd = m.insp.Update(k, m.cfg.Backend, m.styles)
	case pageOverrides:
		m.over, cmd = m.over.Update(k, m.cfg.Backend, m.cfg.CustomerID)
	case pageHome:
		m.home, cmd = m.home.Update(k)
	case pageCalibrate:
		if key.Matches(k, m.calib.keys.NoScan) { // try the other QR style, and remember it
			m.code.barcode, m.code.full = false, !m.code.full
			m.calib.tried = m.code.full
			return m, m.rememberSeamless()
		}
		m.calib, cmd = m.calib.Update(k)
	case pageScan:
		return m.updateScan(k)
	default:
		return m.onCodeKey(k)
	}
	return m, cmd
}

// onCodeKey is the code screen's keys.
func (m App) onCodeKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if key.Matches(k, m.code.keys.Calibrate) {
		return m.show(pageCalibrate)
	}
	if key.Matches(k, m.code.keys.Copy) {
		return m.copyCode()
	}
	var cmd tea.Cmd
	m.code, cmd = m.code.Update(k)
	if key.Matches(k, m.code.keys.Refresh) {
		return m, tea.Batch(cmd, m.fetch())
	}
	if key.Matches(k, m.code.keys.FullSize) {
		return m, tea.Batch(cmd, m.rememberSeamless())
	}
	return m, cmd
}
