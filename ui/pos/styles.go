package pos

import (
	"charm.land/lipgloss/v2"

	"github.com/mppwallet/mppwallet/ui"
)

// styles are the wallet app's styles, so the till looks like the app.
type styles = ui.Styles

func newStyles(isDark bool) styles { return ui.NewStyles(isDark) }

// role is what a line means, for its colour.
type role int

const (
	rolePlain role = iota
	roleOK
	roleBad
	roleWarn
	roleMuted
)

// styleOf is the style of a role.
func styleOf(s styles, r role) lipgloss.Style {
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
