package pos

import "charm.land/lipgloss/v2"

// styles holds the till's styles by role, in the wallet app's colours,
// built for the terminal's background.
type styles struct {
	Title, Muted, Amount, Success, Error, Warn, Key lipgloss.Style
}

func newStyles(isDark bool) styles {
	ld := lipgloss.LightDark(isDark)
	return styles{
		Title:   lipgloss.NewStyle().Bold(true).Foreground(ld(lipgloss.Color("#1A56DB"), lipgloss.Color("#7AA2F7"))),
		Muted:   lipgloss.NewStyle().Foreground(ld(lipgloss.Color("#6B7280"), lipgloss.Color("#9CA3AF"))),
		Amount:  lipgloss.NewStyle().Bold(true),
		Success: lipgloss.NewStyle().Bold(true).Foreground(ld(lipgloss.Color("#047857"), lipgloss.Color("#34D399"))),
		Error:   lipgloss.NewStyle().Bold(true).Foreground(ld(lipgloss.Color("#B91C1C"), lipgloss.Color("#F87171"))),
		Warn:    lipgloss.NewStyle().Foreground(ld(lipgloss.Color("#B45309"), lipgloss.Color("#FBBF24"))),
		Key:     lipgloss.NewStyle().Bold(true),
	}
}

// role is what a line means, for its colour.
type role int

const (
	rolePlain role = iota
	roleOK
	roleBad
	roleWarn
	roleMuted
)

func (s styles) of(r role) lipgloss.Style {
	switch r {
	case roleOK:
		return s.Success
	case roleBad:
		return s.Error
	case roleWarn:
		return s.Warn
	case roleMuted:
		return s.Muted
	}
	return lipgloss.NewStyle()
}
