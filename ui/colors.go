package ui

import (
	"github.com/charmbracelet/colorprofile"

	"github.com/mppwallet/mppwallet/ui/render"
)

// codeProfile picks how the code's colours are written for the terminal's
// colour profile, and the warning to show when the code may not scan.
// With colours the code is black on white whatever the theme; without any
// (NO_COLOR, a dumb terminal) only glyphs are left, chosen for the
// background's polarity: dark tells which, known whether the terminal said
// so or it is assumed.
func codeProfile(p colorprofile.Profile, dark, known bool) (render.Profile, string) {
	switch p {
	case colorprofile.Unknown, colorprofile.TrueColor:
		return render.TrueColor, ""
	case colorprofile.ANSI256:
		return render.ANSI256, ""
	case colorprofile.ANSI:
		return render.ANSI256, "16 colours: black and white are the theme's; may not scan"
	}
	bg, rp := "dark", render.NoColorOnDark
	if !dark {
		bg, rp = "light", render.NoColorOnLight
	}
	if !known {
		return rp, "No colours: drawn for a " + bg + " background (assumed); may not scan"
	}
	return rp, "No colours: drawn for this " + bg + " background; may not scan"
}
