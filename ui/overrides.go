package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/mppwallet/mppwallet/wallet"
)

// overrideChoice is one thing the overrides screen can force on the next
// payments: a user override (fault == "") or a simulator fault rule.
type overrideChoice struct {
	label    string
	override wallet.Override
	fault    string
}

// overrideChoices are the choices in the order shown: pay normally, ask,
// every decline code, then the network faults.
func overrideChoices() []overrideChoice {
	cs := []overrideChoice{
		{label: "pay normally"},
		{label: "ask me (hold for y/n)", override: wallet.OverrideAsk},
	}
	for _, c := range wallet.DeclineCodes {
		cs = append(cs, overrideChoice{label: "decline " + string(c), override: wallet.Override(c)})
	}
	return append(cs,
		overrideChoice{label: "delay the answer 3 s", fault: "pay:delay=3s,count=1"},
		overrideChoice{label: "no answer (drop)", fault: "pay:drop,count=1"},
	)
}

// overridesKeys move through the choices and the active faults.
type overridesKeys struct {
	listKeys
	Remove key.Binding
}

func defaultOverridesKeys() overridesKeys {
	return overridesKeys{listKeys: defaultListKeys("apply"),
		Remove: key.NewBinding(key.WithKeys("x", "delete"), key.WithHelp("x", "remove"))}
}

// overridesScreen forces what the current user's next payments do (like
// Antom's iMock): a user override, or a one-shot fault on the pay API.
type overridesScreen struct {
	choices []overrideChoice
	faults  []FaultInfo
	// cursor runs over the choices, then the faults.
	cursor  int
	loading bool
	busy    bool
	status  string
	err     error
	keys    overridesKeys
	width   int
	height  int
}

func newOverridesScreen() overridesScreen {
	return overridesScreen{choices: overrideChoices(), keys: defaultOverridesKeys()}
}

// SetSize sets the space the screen may use.
func (s *overridesScreen) SetSize(w, h int) { s.width, s.height = w, h }

// rows is how many lines the cursor runs over.
func (s overridesScreen) rows() int { return len(s.choices) + len(s.faults) }

// faultsLoaded takes the active pay faults.
func (s *overridesScreen) faultsLoaded(msg faultsLoadedMsg) {
	s.loading = false
	if msg.err != nil {
		s.err = msg.err
		return
	}
	s.err = nil
	s.faults = s.faults[:0:0]
	for _, f := range msg.faults {
		if isPayFault(f.Spec) {
			s.faults = append(s.faults, f)
		}
	}
	s.cursor = max(0, min(s.cursor, s.rows()-1))
}

// isPayFault reports whether a rule applies to the pay API.
func isPayFault(spec string) bool {
	api, _, _ := strings.Cut(spec, ":")
	return api == "pay" || api == "*"
}

// Update moves the cursor; enter applies a choice, x removes a fault.
func (s overridesScreen) Update(msg tea.Msg, b Backend, customerID string) (overridesScreen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	switch {
	case key.Matches(k, s.keys.Up):
		s.cursor = max(0, s.cursor-1)
	case key.Matches(k, s.keys.Down):
		s.cursor = max(0, min(s.rows()-1, s.cursor+1))
	case key.Matches(k, s.keys.Open):
		if s.busy || s.cursor >= len(s.choices) {
			return s, nil
		}
		c := s.choices[s.cursor]
		s.busy, s.err = true, nil
		if c.fault != "" {
			s.status = "Adding " + c.label + "…"
			return s, addFault(b, c.fault, c.label)
		}
		s.status = "Setting " + c.label + "…"
		return s, setOverride(b, customerID, c.override, c.label)
	case key.Matches(k, s.keys.Remove):
		i := s.cursor - len(s.choices)
		if s.busy || i < 0 || i >= len(s.faults) {
			return s, nil
		}
		s.busy, s.err = true, nil
		s.status = fmt.Sprintf("Removing fault #%d…", s.faults[i].ID)
		return s, removeFault(b, s.faults[i].ID)
	case key.Matches(k, s.keys.Back):
		return s, send(showScreenMsg{page: pageCode})
	}
	return s, nil
}

func (s overridesScreen) help() []key.Binding {
	return []key.Binding{s.keys.Up, s.keys.Open, s.keys.Remove, s.keys.Back}
}

// helpAll is every key of the screen, for the ? help.
func (s overridesScreen) helpAll() []key.Binding {
	remove := key.NewBinding(key.WithKeys(s.keys.Remove.Keys()...), key.WithHelp("x/del", "remove"))
	return s.keys.full(remove)
}

// overrideLabel says what an override does.
func overrideLabel(o wallet.Override) string {
	switch o {
	case "":
		return "pay normally"
	case wallet.OverrideAsk:
		return "ask me (hold for y/n)"
	}
	return "decline " + string(o)
}

// View draws the current override, the choices and the active pay faults;
// now is the app's clock.
func (s overridesScreen) View(st Styles, u wallet.User, now time.Time) string {
	var b strings.Builder
	who := u.Name
	if who == "" {
		who = u.ID
	}
	cur := st.Muted.Render("…")
	if u.ID != "" {
		cur = st.Amount.Render(overrideLabel(u.Override))
	}
	b.WriteString("Next payments of " + who + ": " + cur + "\n")
	switch {
	case s.err != nil:
		b.WriteString(st.Error.Render(trunc(s.err.Error(), max(10, s.width))) + "\n")
	case s.status != "":
		b.WriteString(st.Muted.Render(trunc(s.status, max(10, s.width))) + "\n")
	default:
		b.WriteString("\n")
	}
	b.WriteString("\n")

	var lines []string
	cursorLine := 0
	mark := func(i int, l string) string {
		if i == s.cursor {
			cursorLine = len(lines)
			return lipgloss.NewStyle().Reverse(true).Render("› " + l)
		}
		return "  " + l
	}
	for i, c := range s.choices {
		lines = append(lines, mark(i, c.label))
	}
	lines = append(lines, "", st.Muted.Render("Active pay faults"))
	switch {
	case s.loading && len(s.faults) == 0:
		lines = append(lines, st.Muted.Render("  Loading…"))
	case len(s.faults) == 0:
		lines = append(lines, st.Muted.Render("  none"))
	}
	loc := now.Location()
	for i, f := range s.faults {
		l := fmt.Sprintf("#%-3d %-28s until %s  used %d", f.ID, trunc(f.Spec, 28), f.Until.In(loc).Format(time.TimeOnly), f.Used)
		if now.After(f.Until) {
			l += "  (expired)"
		}
		lines = append(lines, mark(len(s.choices)+i, l))
	}
	// Keep the cursor in view: the rows that fit, around it.
	rows := max(1, s.height-3)
	first := 0
	if len(lines) > rows {
		first = max(0, min(cursorLine-rows+1, len(lines)-rows))
		if cursorLine < first {
			first = cursorLine
		}
	}
	end := min(len(lines), first+rows)
	for _, l := range lines[first:end] {
		b.WriteString(l + "\n")
	}
	return b.String()
}

// overrideSetMsg is the answer to SetOverride.
type overrideSetMsg struct {
	user  wallet.User
	label string
	err   error
}

// faultsLoadedMsg carries the active fault rules.
type faultsLoadedMsg struct {
	faults []FaultInfo
	err    error
}

// faultChangedMsg is the answer to AddFault or RemoveFault.
type faultChangedMsg struct {
	status string
	err    error
}

func setOverride(b Backend, customerID string, o wallet.Override, label string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		u, err := b.SetOverride(ctx, customerID, o)
		return overrideSetMsg{user: u, label: label, err: err}
	}
}

func loadFaults(b Backend) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		fs, err := b.Faults(ctx)
		return faultsLoadedMsg{faults: fs, err: err}
	}
}

func addFault(b Backend, spec, label string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		f, err := b.AddFault(ctx, spec)
		if err != nil {
			return faultChangedMsg{err: err}
		}
		return faultChangedMsg{status: fmt.Sprintf("Added fault #%d: %s on the next payment", f.ID, label)}
	}
}

func removeFault(b Backend, id int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := b.RemoveFault(ctx, id); err != nil {
			return faultChangedMsg{err: err}
		}
		return faultChangedMsg{status: fmt.Sprintf("Removed fault #%d", id)}
	}
}
