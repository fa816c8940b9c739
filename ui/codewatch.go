package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
)

// The code watch: every second the app asks Alipay+ (through a
// CodeWatcher backend) what became of the codes it holds, so that a code
// answered without the wallet, or one Alipay+ forgot, leaves the screen;
// and while a fetch is failing it asks a PeerWatcher backend whether the
// peer came back, to retry at once.

// codeWatch is the Pay screen's watch of its codes and of its peers.
type codeWatch struct {
	// asking is a CodeStates call in flight; probing a PeersMoved one.
	asking, probing bool
	// off: the backend cannot report on codes (the real Alipay+).
	off bool
	// err is the last failure of the watch (its peer is down); nil once
	// it answers again.
	err error
}

// codeStatesMsg carries Alipay+'s report on the codes asked about.
type codeStatesMsg struct {
	customerID string
	asked      []string
	states     []CodeState
	err        error
}

// peersMovedMsg says whether a peer that was down was published again.
type peersMovedMsg struct{ moved bool }

func askCodeStates(w CodeWatcher, customerID string, codes []string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		states, err := w.CodeStates(ctx, customerID, codes)
		return codeStatesMsg{customerID: customerID, asked: codes, states: states, err: err}
	}
}

func probePeers(w PeerWatcher) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		return peersMovedMsg{moved: w.PeersMoved(ctx)}
	}
}

// held is the values of the codes in hand, unused and unexpired.
func (s payCodeScreen) held() []string {
	now := s.now()
	var out []string
	for _, c := range s.codes {
		if !c.Used && now.Before(c.ExpiresAt) {
			out = append(out, c.Value)
		}
	}
	return out
}

// watchCodes asks about the codes in hand unless a call is in flight, and,
// while fetches fail, whether the peer came back. It must be called on the
// model the caller keeps.
func (m *App) watchCodes() tea.Cmd {
	var cmds []tea.Cmd
	if w, ok := m.cfg.Backend.(CodeWatcher); ok && !m.code.watch.off && !m.code.watch.asking {
		if codes := m.code.held(); len(codes) > 0 {
			m.code.watch.asking = true
			cmds = append(cmds, askCodeStates(w, m.cfg.CustomerID, codes))
		}
	}
	if w, ok := m.cfg.Backend.(PeerWatcher); ok && m.code.fetchErr != nil && !m.code.fetching && !m.code.watch.probing {
		m.code.watch.probing = true
		cmds = append(cmds, probePeers(w))
	}
	return tea.Batch(cmds...)
}

// onCodeStates retires the codes Alipay+ reports used or does not know,
// shows the result of a payment Alipay+ answered without the wallet, and
// fetches codes when too few are left.
func (m App) onCodeStates(msg codeStatesMsg) (tea.Model, tea.Cmd) {
	m.code.watch.asking = false
	if msg.customerID != m.cfg.CustomerID {
		return m, nil
	}
	switch {
	case errors.Is(msg.err, ErrNoCodeStates):
		m.code.watch.off = true
		return m, nil
	case msg.err != nil:
		m.code.watch.err = msg.err
		if m.code.fetchErr == nil { // the status line says the peer is down
			m.code.fetchErr = msg.err
		}
		return m, nil
	}
	if m.code.watch.err != nil && m.code.fetchErr == m.code.watch.err {
		m.code.fetchErr = nil
	}
	m.code.watch.err = nil
	known := map[string]bool{}
	var answered *CodeState
	for i, st := range msg.states {
		known[st.Value] = true
		if !st.Used {
			continue
		}
		m.code.markUsed(st.Value)
		if st.Payment != nil && st.Payment.Final() {
			answered = &msg.states[i]
		}
	}
	for _, v := range msg.asked {
		if !known[v] { // Alipay+ forgot it (a simulator restarted): it cannot be paid
			m.code.markUsed(v)
		}
	}
	m.code.prune()
	var cmds []tea.Cmd
	if answered != nil && m.page != pageConfirm {
		m.leaveScreen()
		m.page, m.result, m.note = pageResult, *answered.Payment, answered.Note
		cmds = append(cmds, loadUser(m.cfg.Backend, m.cfg.CustomerID), m.refreshHistory())
	}
	if m.code.needFetch() {
		cmds = append(cmds, m.fetch())
	}
	return m, tea.Batch(cmds...)
}

// onPeersMoved retries at once when a peer that was down is back. It is
// another instance (a simulator started again), which never issued the
// codes in hand: they go.
func (m App) onPeersMoved(msg peersMovedMsg) (tea.Model, tea.Cmd) {
	m.code.watch.probing = false
	if !msg.moved {
		return m, nil
	}
	m.code.codes = nil
	if m.code.fetching {
		return m, nil
	}
	m.code.retryAt, m.code.failures = time.Time{}, 0
	return m, m.fetch()
}

// troubleView is the Pay screen without a code because fetches fail: what
// is down, where it was, what the app does, and a live countdown to the
// next try (never a stuck "0s": at zero the app is asking).
func (s payCodeScreen) troubleView(st Styles) string {
	var doing string
	var pe *PeerError
	if errors.As(s.fetchErr, &pe) && pe.Doing != "" {
		doing = pe.Doing + "; "
	}
	left := s.retryAt.Sub(s.now())
	var next string
	switch {
	case s.fetching:
		next = "asking again now…"
	case left <= 0:
		next = "retrying now…"
	default:
		secs := int((left + time.Second - 1) / time.Second)
		next = fmt.Sprintf("retrying in %ds (attempt %d)…", secs, s.failures+1)
	}
	out := st.Error.Render("No valid code: " + s.fetchErr.Error() + ".")
	if s.width > 0 {
		out = st.Error.Width(max(min(s.width, 72), 20)).Render("No valid code: " + s.fetchErr.Error() + ".")
	}
	return out + "\n" + st.Muted.Render(upperFirst(doing+next))
}

// upperFirst starts s with a capital letter.
func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// copyCode puts the digits of the code shown on the clipboard with OSC 52
// (tmux and most terminals take it) and, for a terminal that ignores it,
// shows every digit on screen.
func (m App) copyCode() (tea.Model, tea.Cmd) {
	c, ok := m.code.current()
	if !ok {
		return m, nil
	}
	m.code.reveal = true
	return m, tea.SetClipboard(c.Value)
}
