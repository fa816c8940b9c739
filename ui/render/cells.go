package render

import "fmt"

// Color is an explicit cell colour: black or white, never the theme's. The
// zero value is White, the colour of a quiet zone.
type Color uint8

// The two colours a code is drawn in.
const (
	White Color = iota // #FFFFFF, light modules and quiet zones
	Black              // #000000, dark modules
)

// colorOf is the colour of a module.
func colorOf(dark bool) Color {
	if dark {
		return Black
	}
	return White
}

// The glyphs a layout uses. The foreground colour covers the named part of
// the cell; the background covers the rest.
const (
	GlyphSpace     = ' ' // background only
	GlyphUpperHalf = '▀' // top half foreground
	GlyphLowerHalf = '▄' // bottom half foreground
	GlyphLeftHalf  = '▌' // left half foreground
	GlyphRightHalf = '▐' // right half foreground
	GlyphFull      = '█' // foreground only
)

// Cell is one terminal cell of a drawn code: a glyph (one of the Glyph
// constants) with an explicit foreground and background.
type Cell struct {
	Rune   rune
	FG, BG Color
}

// Cells is a drawn code, row by row; every row has the same width.
type Cells [][]Cell

// Width is the number of columns.
func (c Cells) Width() int {
	if len(c) == 0 {
		return 0
	}
	return len(c[0])
}

// Height is the number of rows.
func (c Cells) Height() int { return len(c) }

// newCells allocates w×h cells.
func newCells(w, h int) Cells {
	c := make(Cells, h)
	for y := range c {
		c[y] = make([]Cell, w)
	}
	return c
}

// solid is a background-only cell of colour col.
func solid(col Color) Cell { return Cell{Rune: GlyphSpace, FG: col, BG: col} }

// QRCells lays a QR grid out in half blocks: each cell is "▀" with the upper
// module as foreground and the lower one as background, so one cell holds
// two module rows and modules come out roughly square in 1:2 cells. A grid
// of w×h modules takes w columns and ceil(h/2) rows; a missing last module
// row is light (quiet zone). Text rows must touch: line spacing shows
// between the halves (see [QRFullCells]).
func QRCells(g Grid) Cells {
	w, h := g.Size()
	c := newCells(w, (h+1)/2)
	for y := range c {
		for x := range c[y] {
			c[y][x] = Cell{
				Rune: GlyphUpperHalf,
				FG:   colorOf(g.dark(x, 2*y)),
				BG:   colorOf(g.dark(x, 2*y+1)),
			}
		}
	}
	return c
}

// QRFullCells lays a QR grid out at full size: each module is two
// background-only cells side by side, one text row per module, so no glyph
// is involved and line spacing painted in the cell's background only
// stretches modules evenly (spacing that shows the terminal's own
// background breaks it too; see [Expected]). A grid of w×h
// modules takes 2w columns and h rows (58×29 for a version 1 code), four
// times the area of [QRCells].
func QRFullCells(g Grid) Cells {
	w, h := g.Size()
	c := newCells(2*w, h)
	for y := range c {
		for x := range c[y] {
			c[y][x] = solid(colorOf(g.dark(x/2, y)))
		}
	}
	return c
}

// MinBarcodeRows is the lowest height [BarcodeCells] accepts.
const MinBarcodeRows = 4

// BarcodeCells lays a one-row barcode grid out rows text rows tall, at
// modulesPerColumn modules per column:
//
//   - 2 (the default): a cell whose two modules agree is background only; a
//     cell whose modules differ is "▌" with the left module as foreground and
//     the right one as background. A cell holds at most one colour change, so
//     this is the densest exact rendering. An odd module count is padded
//     with one light module on the right (quiet zone).
//   - 1: one background-only cell per module, twice as wide, no glyph.
//
// It rejects other densities and fewer than [MinBarcodeRows] rows.
func BarcodeCells(g Grid, modulesPerColumn int, rows int) (Cells, error) {
	if modulesPerColumn != 1 && modulesPerColumn != 2 {
		return nil, fmt.Errorf("cannot draw a barcode at %d modules per column: want 1 or 2", modulesPerColumn)
	}
	if rows < MinBarcodeRows {
		return nil, fmt.Errorf("cannot draw a barcode %d rows tall: want at least %d", rows, MinBarcodeRows)
	}
	w, h := g.Size()
	if h != 1 {
		return nil, fmt.Errorf("cannot draw a barcode from a grid %d modules tall: want 1", h)
	}
	cols := (w + modulesPerColumn - 1) / modulesPerColumn
	row := make([]Cell, cols)
	for x := range row {
		if modulesPerColumn == 1 {
			row[x] = solid(colorOf(g.dark(x, 0)))
			continue
		}
		left, right := colorOf(g.dark(2*x, 0)), colorOf(g.dark(2*x+1, 0))
		if left == right {
			row[x] = solid(left)
		} else {
			row[x] = Cell{Rune: GlyphLeftHalf, FG: left, BG: right}
		}
	}
	c := make(Cells, rows)
	for y := range c {
		c[y] = append([]Cell(nil), row...)
	}
	return c, nil
}
