package render

import (
	"fmt"
	"image"
	"image/color"
)

// Geometry is how a terminal draws cells, for [Rasterize].
type Geometry struct {
	CellW, CellH int // cell size in pixels, glyph box included
	// LineGap is the line spacing in pixels added to every text row; Gap
	// says where it goes and in which colour. Glyphs never reach into it.
	LineGap int
	// Gap is how the terminal paints the line spacing.
	Gap GapStyle
	// Dark is the page background, the terminal's own background around the
	// code: black when true, white otherwise.
	Dark bool
}

// GapStyle is where a terminal puts line spacing and how it paints it.
type GapStyle int

// The gap styles.
const (
	// GapBelow puts the glyph at the top of the line and the spacing below
	// it, painted in the cell's background colour.
	GapBelow GapStyle = iota
	// GapCentered centres the glyph in the line, half the spacing above and
	// half below, painted in the cell's background colour.
	GapCentered
	// GapPage puts the spacing below the glyph but shows the page (the
	// terminal's own background) in it, not the cell's background.
	GapPage
)

// String is "below", "centred" or "page".
func (s GapStyle) String() string {
	switch s {
	case GapBelow:
		return "below"
	case GapCentered:
		return "centred"
	case GapPage:
		return "page"
	}
	return fmt.Sprintf("GapStyle(%d)", int(s))
}

// String is a short label such as "8×16 light" or "8×16 gap 2 centred dark".
func (g Geometry) String() string {
	s := fmt.Sprintf("%d×%d", g.CellW, g.CellH)
	if g.LineGap > 0 {
		s += fmt.Sprintf(" gap %d %v", g.LineGap, g.Gap)
	}
	if g.Dark {
		return s + " dark"
	}
	return s + " light"
}

// DefaultGeometries are the terminals [SelfTest] simulates: cells of 6×12,
// 8×16 and 10×20 pixels, each without line spacing and with a 2-pixel line
// gap in every [GapStyle] (below the glyph, glyph centred, showing the
// page), each on a light and on a dark page: 24 geometries.
func DefaultGeometries() []Geometry {
	var gs []Geometry
	for _, size := range [][2]int{{6, 12}, {8, 16}, {10, 20}} {
		for _, gap := range []struct {
			px    int
			style GapStyle
		}{{0, GapBelow}, {2, GapBelow}, {2, GapCentered}, {2, GapPage}} {
			for _, dark := range []bool{false, true} {
				gs = append(gs, Geometry{CellW: size[0], CellH: size[1], LineGap: gap.px, Gap: gap.style, Dark: dark})
			}
		}
	}
	return gs
}

// Margin is the page background around the code in a raster, in pixels: two
// cell heights.
func (g Geometry) Margin() int { return 2 * g.CellH }

// gray is the pixel value of a colour.
func gray(c Color) color.Gray {
	if c == Black {
		return color.Gray{Y: 0}
	}
	return color.Gray{Y: 255}
}

// Rasterize draws c the way a terminal with geometry g would: each cell is
// CellW×CellH pixels, "▀"/"▄" paint the top/bottom half in the foreground,
// "▌"/"▐" the left/right half, "█" all of it, a space none; the rest is the
// background. Every text row gets LineGap pixels of line spacing, placed and
// painted as g.Gap says, and the code sits on a page of g's background with
// a [Geometry.Margin] all round.
func Rasterize(c Cells, g Geometry) image.Image {
	cw, ch := max(g.CellW, 1), max(g.CellH, 1)
	gap := max(g.LineGap, 0)
	m := g.Margin()
	pitch := ch + gap
	img := image.NewGray(image.Rect(0, 0, 2*m+c.Width()*cw, 2*m+c.Height()*pitch))
	page := gray(White)
	if g.Dark {
		page = gray(Black)
	}
	fill(img, img.Rect, page)
	for y, row := range c {
		for x, cell := range row {
			x0, line := m+x*cw, m+y*pitch
			gapColor := gray(cell.BG)
			if g.Gap == GapPage {
				gapColor = page
			}
			fill(img, image.Rect(x0, line, x0+cw, line+pitch), gapColor)
			y0 := line
			if g.Gap == GapCentered {
				y0 += gap / 2
			}
			q := cell.quadrants()
			hw, hh := cw/2, ch/2
			fill(img, image.Rect(x0, y0, x0+hw, y0+hh), gray(q[topLeft]))
			fill(img, image.Rect(x0+hw, y0, x0+cw, y0+hh), gray(q[topRight]))
			fill(img, image.Rect(x0, y0+hh, x0+hw, y0+ch), gray(q[bottomLeft]))
			fill(img, image.Rect(x0+hw, y0+hh, x0+cw, y0+ch), gray(q[bottomRight]))
		}
	}
	return img
}

// fill paints r in c.
func fill(img *image.Gray, r image.Rectangle, c color.Gray) {
	r = r.Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):img.PixOffset(r.Max.X, y)]
		for i := range row {
			row[i] = c.Y
		}
	}
}

// Invert is img with every grey level inverted: what a terminal shows when a
// code relies on theme colours and the theme has the other polarity.
func Invert(img image.Image) image.Image {
	b := img.Bounds()
	out := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			out.SetGray(x, y, color.Gray{Y: 255 - color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y})
		}
	}
	return out
}
