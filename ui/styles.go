package ui

import (
	"charm.land/lipgloss/v2"
)

// Styles holds every style by role; built for the terminal's background.
type Styles struct {
	Title   lipgloss.Style
	Muted   lipgloss.Style
	Amount  lipgloss.Style
	Success lipgloss.Style
	Error   lipgloss.Style
	Warn    lipgloss.Style
	Key     lipgloss.Style
	Box     lipgloss.Style
}

// NewStyles returns the app's styles for a dark or light background: the
// one palette of the wallet app and the pos till.
func NewStyles(isDark bool) Styles { return newStyles(isDark) }

func newStyles(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	return Styles{
		Title:   lipgloss.NewStyle().Bold(true).Foreground(ld(lipgloss.Color("#1A56DB"), lipgloss.Color("#7AA2F7"))),
		Muted:   lipgloss.NewStyle().Foreground(ld(lipgloss.Color("#6B7280"), lipgloss.Color("#9CA3AF"))),
		Amount:  lipgloss.NewStyle().Bold(true),
		Success: lipgloss.NewStyle().Bold(true).Foreground(ld(lipgloss.Color("#047857"), lipgloss.Color("#34D399"))),
		Error:   lipgloss.NewStyle().Bold(true).Foreground(ld(lipgloss.Color("#B91C1C"), lipgloss.Color("#F87171"))),
		Warn:    lipgloss.NewStyle().Foreground(ld(lipgloss.Color("#B45309"), lipgloss.Color("#FBBF24"))),
		Key:     lipgloss.NewStyle().Bold(true),
		Box:     lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 2),
	}
}
