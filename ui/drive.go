package ui

import tea "charm.land/bubbletea/v2"

// Tick returns the message the app's one-second timer delivers. With
// IsTick, a simulation can drive the countdown and the code rotation with
// a fake clock through Update, faster than real time (mppwallet bench).
func (m App) Tick() tea.Msg { return tickMsg{gen: m.gen} }

// IsTick reports whether msg is the app's one-second timer message (a
// simulation with a fake clock drops the real timer's).
func IsTick(msg tea.Msg) bool {
	_, ok := msg.(tickMsg)
	return ok
}
