package render

import "strings"

// Profile is how [Cells.ANSI] expresses colours. The zero value is
// TrueColor.
type Profile int

// The profiles. Only the colour profiles set colours; they never use the
// 16-colour palette (SGR 30–37, 40–47), which themes remap.
const (
	// TrueColor sets 24-bit colours: SGR 38;2;R;G;B and 48;2;R;G;B.
	TrueColor Profile = iota
	// ANSI256 sets 256-colour indices 16 (#000000) and 231 (#FFFFFF):
	// SGR 38;5;N and 48;5;N.
	ANSI256
	// NoColorOnDark emits no escape sequence at all (NO_COLOR, or a
	// terminal without colours) for a theme with a dark background and a
	// light foreground: glyphs cover the light parts of the code.
	NoColorOnDark
	// NoColorOnLight is NoColorOnDark for a light theme: glyphs cover the
	// dark parts. Polarity depends on the theme and is unverified; say so.
	NoColorOnLight
)

const (
	sgrReset      = "\x1b[0m"
	trueBlack     = "0;0;0"
	trueWhite     = "255;255;255"
	index256Black = "16"
	index256White = "231"
)

// sgr is the escape sequences setting a cell's foreground and background:
// two sequences, as [Grid.HalfBlocks] has always written them (callers
// parse that form).
func (p Profile) sgr(fg, bg Color) string {
	kind, black, white := "2;", trueBlack, trueWhite
	if p == ANSI256 {
		kind, black, white = "5;", index256Black, index256White
	}
	pick := func(c Color) string {
		if c == Black {
			return black
		}
		return white
	}
	return "\x1b[38;" + kind + pick(fg) + "m\x1b[48;" + kind + pick(bg) + "m"
}

// colorless reports whether p emits no escape sequences.
func (p Profile) colorless() bool { return p == NoColorOnDark || p == NoColorOnLight }

// Lines renders c one string per row, without newlines. Under TrueColor
// and ANSI256 a row starts with a reset (so no outer style such as reverse
// video or faint leaks in), sets the foreground and background of every
// cell explicitly and ends with a reset. Under the NoColor profiles it
// emits only glyphs, chosen by [Cells.Monochrome] for the theme's polarity.
func (c Cells) Lines(p Profile) []string {
	if p.colorless() {
		c = c.Monochrome(p == NoColorOnDark)
	}
	lines := make([]string, len(c))
	var b strings.Builder
	for y, row := range c {
		b.Reset()
		if !p.colorless() {
			b.WriteString(sgrReset)
		}
		for _, cell := range row {
			if !p.colorless() {
				b.WriteString(p.sgr(cell.FG, cell.BG))
			}
			b.WriteRune(cell.Rune)
		}
		if !p.colorless() {
			b.WriteString(sgrReset)
		}
		lines[y] = b.String()
	}
	return lines
}

// ANSI renders c for profile p: the rows of [Cells.Lines], each followed by
// a newline.
func (c Cells) ANSI(p Profile) string {
	var b strings.Builder
	for _, l := range c.Lines(p) {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// Monochrome is how a terminal without colours shows c: each cell's glyph is
// chosen so that the theme's foreground covers the light parts of the code
// on a dark theme (darkTheme) or its dark parts on a light theme. The
// result's colours are the idealised theme: light foreground on black, or
// black foreground on white, so [Rasterize] can show what a tester sees.
func (c Cells) Monochrome(darkTheme bool) Cells {
	fg, bg := Black, White
	if darkTheme {
		fg, bg = White, Black
	}
	out := newCells(c.Width(), c.Height())
	for y, row := range c {
		for x, cell := range row {
			out[y][x] = Cell{Rune: glyphCovering(cell.quadrants(), fg), FG: fg, BG: bg}
		}
	}
	return out
}

// Quadrant indices in a cell.
const (
	topLeft = iota
	topRight
	bottomLeft
	bottomRight
)

// quadrants is the colour of each quarter of the cell; an unknown glyph
// counts as background only.
func (c Cell) quadrants() [4]Color {
	f, b := c.FG, c.BG
	switch c.Rune {
	case GlyphFull:
		return [4]Color{f, f, f, f}
	case GlyphUpperHalf:
		return [4]Color{f, f, b, b}
	case GlyphLowerHalf:
		return [4]Color{b, b, f, f}
	case GlyphLeftHalf:
		return [4]Color{f, b, f, b}
	case GlyphRightHalf:
		return [4]Color{b, f, b, f}
	default:
		return [4]Color{b, b, b, b}
	}
}

// glyphCovering is the glyph whose foreground covers exactly the quadrants
// of colour col. Every shape the layouts produce has one; any other falls
// back to the top-left quadrant's colour.
func glyphCovering(q [4]Color, col Color) rune {
	mask := 0
	for i, c := range q {
		if c == col {
			mask |= 1 << i
		}
	}
	const tl, tr, bl, br = 1 << topLeft, 1 << topRight, 1 << bottomLeft, 1 << bottomRight
	switch mask {
	case 0:
		return GlyphSpace
	case tl | tr | bl | br:
		return GlyphFull
	case tl | tr:
		return GlyphUpperHalf
	case bl | br:
		return GlyphLowerHalf
	case tl | bl:
		return GlyphLeftHalf
	case tr | br:
		return GlyphRightHalf
	}
	if mask&tl != 0 {
		return GlyphFull
	}
	return GlyphSpace
}
