package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// scanState is where a scan stands.
type scanState int

const (
	// scanIdle: the input is not focused; the app's keys work. / or enter
	// enters it, and a paste lands in it.
	scanIdle scanState = iota
	// scanTyping: the input has the keys (paste or type a code or a path).
	scanTyping
	// scanReading: ReadCode is in flight.
	scanReading
	// scanOpening: the decision is shown; userInitiatedPay is in flight.
	scanOpening
	// scanDecided: the decision is shown and nothing more happens (not an
	// Alipay+ code, OPEN_URL, or Alipay+ refused the order).
	scanDecided
	// scanConfirm: the order is shown; y pays, n declines.
	scanConfirm
	// scanPaying: PayOrder is in flight.
	scanPaying
	// scanDone: the result page.
	scanDone
)

// scanKeys are the scan screen's bindings.
type scanKeys struct {
	Focus, Leave                    key.Binding
	Read, Back, Pay, Decline, Again key.Binding
	// Quit only shows that ctrl+c still quits while q types.
	Quit key.Binding
}

func defaultScanKeys() scanKeys {
	return scanKeys{
		Focus:   key.NewBinding(key.WithKeys("/", "enter", "i"), key.WithHelp("/ or enter", "type or paste a code")),
		Leave:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave the input (clears it)")),
		Read:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "read")),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Pay:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "pay")),
		Decline: key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n", "decline")),
		Again:   key.NewBinding(key.WithKeys("enter", "esc"), key.WithHelp("enter", "scan another")),
		Quit:    key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	}
}

// ShortHelp implements help.KeyMap: the keys while typing, when every
// other key (the number keys too) goes into the input.
func (k scanKeys) ShortHelp() []key.Binding { return []key.Binding{k.Read, k.Leave, k.Quit} }

// FullHelp implements help.KeyMap.
func (k scanKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// scanScreen pays a merchant's code: the user pastes its text or types the
// path of an image of it; the screen shows what was read and the code
// rules' decision (and which rules: network, cached or embedded), asks
// Alipay+ for the order, shows it for confirmation (merchant, store,
// amount, FX), and then the result.
type scanScreen struct {
	input  textinput.Model
	state  scanState
	read   ScanRead
	order  ScanOrder
	result ScanResult
	// approve is the answer being sent.
	approve bool
	err     error
	// gen drops the answers of a scan the user left with esc.
	gen           int
	keys          scanKeys
	width, height int
}

func newScanScreen() scanScreen {
	in := textinput.New()
	in.Prompt = "› "
	in.Placeholder = "paste a code, or type the path of a PNG or JPEG"
	in.CharLimit = 4096
	st := in.Styles()
	st.Cursor.Blink = false // a steady cursor: no timers for a blink
	in.SetStyles(st)
	return scanScreen{input: in, keys: defaultScanKeys()}
}

// SetSize sets the space the screen may use.
func (s *scanScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.input.SetWidth(max(10, w-lipgloss.Width(s.input.Prompt)-1))
}

// typing reports whether the input has the keys.
func (s scanScreen) typing() bool { return s.state == scanTyping }

// help is the screen's part of the footer when not typing.
func (s scanScreen) help() []key.Binding {
	switch s.state {
	case scanIdle:
		return []key.Binding{s.keys.Focus, s.keys.Back}
	case scanConfirm:
		return []key.Binding{s.keys.Pay, s.keys.Decline}
	case scanDecided, scanDone:
		return []key.Binding{s.keys.Again}
	}
	return nil
}

// scanMsg is an answer to one of the scan screen's commands; gen drops the
// answers of an abandoned scan.
type scanMsg interface{ scanGen() int }

type scanReadMsg struct {
	gen  int
	read ScanRead
	err  error
}

type scanOpenedMsg struct {
	gen   int
	order ScanOrder
	err   error
}

type scanPaidMsg struct {
	gen    int
	result ScanResult
	err    error
}

func (m scanReadMsg) scanGen() int   { return m.gen }
func (m scanOpenedMsg) scanGen() int { return m.gen }
func (m scanPaidMsg) scanGen() int   { return m.gen }

// updateScan passes the scan screen its keys, pastes (on the scan page)
// and the answers of its commands; a finished payment reloads the
// header's balance.
func (m App) updateScan(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.PasteMsg); ok && m.page != pageScan {
		return m, nil
	}
	var cmd tea.Cmd
	m.scan, cmd = m.scan.Update(msg, m.cfg.Backend, m.cfg.CustomerID)
	if p, ok := msg.(scanPaidMsg); ok && p.err == nil && p.gen == m.scan.gen {
		cmd = tea.Batch(cmd, loadUser(m.cfg.Backend, m.cfg.CustomerID))
	}
	return m, cmd
}

// Update handles keys, pastes and the commands' answers.
func (s scanScreen) Update(msg tea.Msg, b Backend, customerID string) (scanScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		if s.state == scanIdle {
			s = s.focus()
		}
		if s.state != scanTyping {
			return s, nil
		}
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(msg)
		return s, cmd
	case tea.KeyPressMsg:
		return s.onKey(msg, b)
	case scanMsg:
		if msg.scanGen() != s.gen {
			return s, nil
		}
	}
	switch msg := msg.(type) {
	case scanReadMsg:
		if msg.err != nil {
			s = s.focus()
			s.err = msg.err
			return s, nil
		}
		s.read, s.err = msg.read, nil
		if msg.read.Supported && msg.read.Action == "DECODE" {
			s.state = scanOpening
			return s, openOrder(b, s.gen, customerID, msg.read.Code)
		}
		s.state = scanDecided
	case scanOpenedMsg:
		if msg.err != nil {
			s.state, s.err = scanDecided, msg.err
			return s, nil
		}
		s.order = msg.order
		if msg.order.Previous != nil {
			// Scanned before: nothing to confirm, the same payment again.
			return s.pay(b, true)
		}
		s.state = scanConfirm
	case scanPaidMsg:
		if msg.err != nil {
			s.state, s.err = scanDecided, msg.err
			return s, nil
		}
		s.state, s.result = scanDone, msg.result
	}
	return s, nil
}

func (s scanScreen) onKey(k tea.KeyPressMsg, b Backend) (scanScreen, tea.Cmd) {
	switch s.state {
	case scanIdle:
		switch {
		case key.Matches(k, s.keys.Focus):
			return s.focus(), nil
		case key.Matches(k, s.keys.Back):
			return s, send(showScreenMsg{page: pageCode})
		}
	case scanTyping:
		switch {
		case key.Matches(k, s.keys.Read):
			text := strings.TrimSpace(s.input.Value())
			if text == "" {
				return s, nil
			}
			s.gen++
			s.state, s.err, s.read = scanReading, nil, ScanRead{}
			s.input.Blur()
			return s, readCode(b, s.gen, text)
		case key.Matches(k, s.keys.Leave):
			return s.leave(), nil
		}
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(k)
		return s, cmd
	case scanReading, scanOpening:
		if key.Matches(k, s.keys.Back) {
			s.gen++ // the answer, when it comes, is dropped
			return s.focus(), nil
		}
	case scanConfirm:
		switch {
		case key.Matches(k, s.keys.Pay):
			return s.pay(b, true)
		case key.Matches(k, s.keys.Decline):
			return s.pay(b, false)
		}
	case scanDecided, scanDone:
		switch {
		case k.String() == "enter": // scan another: a fresh input, focused
			s = s.leave()
			return s.focus(), nil
		case key.Matches(k, s.keys.Again):
			return s.leave(), nil
		}
	}
	return s, nil
}

// focus gives the input the keys.
func (s scanScreen) focus() scanScreen {
	s.state = scanTyping
	s.input.Focus()
	return s
}

// leave takes the keys from the input and clears it and any error, so the
// app's keys work again.
func (s scanScreen) leave() scanScreen {
	s.state, s.err = scanIdle, nil
	s.input.Reset()
	s.input.Blur()
	return s
}

// pay sends the user's answer.
func (s scanScreen) pay(b Backend, approve bool) (scanScreen, tea.Cmd) {
	s.state, s.approve = scanPaying, approve
	return s, payOrder(b, s.gen, s.order, approve)
}

// View draws the step the scan is at.
func (s scanScreen) View(st Styles) string {
	var b strings.Builder
	w := max(20, s.width)
	line := func(style lipgloss.Style, text string) { b.WriteString(style.Render(trunc(text, w)) + "\n") }
	switch s.state {
	case scanIdle, scanTyping, scanReading:
		hint := "Paste a merchant's code, or type the path of a PNG or JPEG of it."
		if s.state == scanIdle {
			hint = "Press / or enter to type a merchant's code or the path of a PNG or JPEG of it (or just paste)."
		}
		b.WriteString(ansi.Wrap(hint, w, "") + "\n\n")
		b.WriteString(s.input.View() + "\n\n")
		switch {
		case s.state == scanReading:
			line(st.Muted, "Reading…")
		case s.err != nil:
			line(st.Error, s.err.Error())
		}
		return b.String()
	case scanDone:
		return resultView(st, s.result.Payment, s.result.Note, w)
	}
	// row writes a label and its value, cut to the width.
	row := func(k, v string) {
		b.WriteString(ansi.Truncate(st.Muted.Render(fmt.Sprintf("%-9s", k))+" "+v, w, "…") + "\n")
	}
	row("Read", s.read.Code)
	if s.read.Image != "" {
		row("From", s.read.Image)
	}
	row("Rules", s.read.Rules)
	if s.read.Supported {
		row("Decision", st.Success.Render("✔ Alipay+ "+s.read.Action)+" "+st.Muted.Render(s.read.Rule))
	} else {
		row("Decision", st.Error.Render("✘ not an Alipay+ code"))
		row("", s.read.Reason)
	}
	b.WriteString("\n")
	switch s.state {
	case scanOpening:
		line(st.Muted, "Asking Alipay+ for the order (userInitiatedPay)…")
	case scanDecided:
		switch {
		case s.err != nil:
			line(st.Error, s.err.Error())
		case s.read.URL != "":
			b.WriteString("Open this page in a browser:\n" + st.Amount.Render(s.read.URL) + "\n")
		}
	case scanConfirm, scanPaying:
		b.WriteString(confirmView(st, s.order.PayOrder, s.width))
		if s.state == scanPaying {
			what := "Paying and telling Alipay+…"
			if !s.approve {
				what = "Declining and telling Alipay+…"
			}
			line(st.Muted, "\n"+what)
		}
	}
	return b.String()
}

func readCode(b Backend, gen int, input string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		r, err := b.ReadCode(ctx, input)
		return scanReadMsg{gen: gen, read: r, err: err}
	}
}

func openOrder(b Backend, gen int, customerID, code string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		o, err := b.OpenOrder(ctx, customerID, code)
		return scanOpenedMsg{gen: gen, order: o, err: err}
	}
}

func payOrder(b Backend, gen int, o ScanOrder, approve bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		r, err := b.PayOrder(ctx, o, approve)
		return scanPaidMsg{gen: gen, result: r, err: err}
	}
}
