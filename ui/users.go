package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/mppwallet/mppwallet/wallet"
)

// usersScreen lists the wallet's users; enter switches the app to one.
type usersScreen struct {
	users   []wallet.User
	cursor  int
	loading bool
	err     error
	keys    listKeys
	width   int
	height  int
}

func newUsersScreen() usersScreen { return usersScreen{keys: defaultListKeys("switch")} }

// SetSize sets the space the screen may use.
func (s *usersScreen) SetSize(w, h int) { s.width, s.height = w, h }

// loaded takes the list, putting the cursor on current.
func (s *usersScreen) loaded(msg usersLoadedMsg, current string) {
	s.loading = false
	if msg.err != nil {
		s.err = msg.err
		return
	}
	s.err, s.users, s.cursor = nil, msg.users, 0
	for i, u := range s.users {
		if u.ID == current {
			s.cursor = i
		}
	}
}

// Update moves the cursor; enter asks the root to switch user.
func (s usersScreen) Update(msg tea.Msg) (usersScreen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	switch {
	case key.Matches(k, s.keys.Up):
		s.cursor = max(0, s.cursor-1)
	case key.Matches(k, s.keys.Down):
		s.cursor = max(0, min(len(s.users)-1, s.cursor+1))
	case key.Matches(k, s.keys.Open):
		if s.cursor < len(s.users) {
			return s, send(switchUserMsg{id: s.users[s.cursor].ID})
		}
	case key.Matches(k, s.keys.Back):
		return s, send(showScreenMsg{page: pageCode})
	}
	return s, nil
}

func (s usersScreen) help() []key.Binding {
	return []key.Binding{s.keys.Up, s.keys.Open, s.keys.Back}
}

// helpAll is every key of the screen, for the ? help.
func (s usersScreen) helpAll() []key.Binding { return s.keys.full() }

// View draws the list; current is the user the app shows.
func (s usersScreen) View(st Styles, current string) string {
	switch {
	case s.err != nil:
		return st.Error.Render("Could not load the users: "+s.err.Error()) + "\n"
	case s.loading && len(s.users) == 0:
		return st.Muted.Render("Loading…") + "\n"
	case len(s.users) == 0:
		return st.Muted.Render("No users.") + "\n"
	}
	tb := fitTable(max(s.width, 20)-3, col{title: "ID", w: 12, min: 8}, col{title: "Name", w: 20, min: 6, drop: 3},
		col{title: "Balance", w: 15, right: true}, col{title: "Status", w: 9, drop: 1}, col{title: "Override", min: 8, drop: 2})
	line := func(mark, id, name, bal, status, over string) string {
		return mark + tb.row(id, name, bal, " "+status, over)
	}
	var b strings.Builder
	b.WriteString(st.Muted.Render(line("   ", "ID", "Name", "Balance", "Status", "Override")) + "\n")
	// Keep the cursor in view: the rows that fit, around it.
	rows := max(1, s.height-2)
	first := max(0, min(s.cursor-rows+1, len(s.users)-rows))
	first = max(0, min(first, s.cursor))
	for i := first; i < len(s.users) && i < first+rows; i++ {
		u := s.users[i]
		mark := "  "
		if i == s.cursor {
			mark = "› "
		}
		if u.ID == current {
			mark += "•"
		} else {
			mark += " "
		}
		over := string(u.Override)
		if over == "" {
			over = "-"
		}
		l := line(mark, u.ID, u.Name, u.Balance.String(), string(u.Status), over)
		if i == s.cursor {
			l = lipgloss.NewStyle().Reverse(true).Render(l)
		}
		b.WriteString(l + "\n")
	}
	return b.String()
}

// trunc cuts s to n runes with an ellipsis.
func trunc(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
