package render_test

import (
	"testing"

	"github.com/mppwallet/mppwallet/ui/render"
)

func TestLayoutSizes(t *testing.T) {
	q, err := render.QR(code24)
	if err != nil {
		t.Fatal(err)
	}
	b24, _ := render.Barcode(code24)
	b18, _ := render.Barcode(code18)
	must := func(c render.Cells, err error) render.Cells {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		name string
		c    render.Cells
		w, h int
	}{
		// Version 1 (21 modules) plus two 4-module quiet zones: 29 modules.
		{"qr half-block", render.QRCells(q), 29, 15},
		{"qr full-size", render.QRFullCells(q), 58, 29},
		// 187 modules (see TestBarcodeModules) at 2 per column: 93 full
		// columns and a last one holding the final quiet-zone module plus
		// one light padding module, so ceil(187/2) = 94 columns.
		{"barcode 24 digits 2/col", must(render.BarcodeCells(b24, 2, 4)), 94, 4},
		{"barcode 24 digits 1/col", must(render.BarcodeCells(b24, 1, 6)), 187, 6},
		// 154 modules at 2 per column.
		{"barcode 18 digits 2/col", must(render.BarcodeCells(b18, 2, 4)), 77, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Width(); got != tt.w {
				t.Errorf("width %d, want %d", got, tt.w)
			}
			if got := tt.c.Height(); got != tt.h {
				t.Errorf("height %d, want %d", got, tt.h)
			}
			for y, row := range tt.c {
				if len(row) != tt.w {
					t.Fatalf("row %d is %d wide, want %d", y, len(row), tt.w)
				}
			}
		})
	}
}

// light reports whether every part of the cell shows white.
func light(c render.Cell) bool {
	switch c.Rune {
	case render.GlyphSpace:
		return c.BG == render.White
	case render.GlyphFull:
		return c.FG == render.White
	default:
		return c.FG == render.White && c.BG == render.White
	}
}

func TestQuietZonesAreLight(t *testing.T) {
	q, _ := render.QR(code24)
	b, _ := render.Barcode(code24)
	b2, _ := render.BarcodeCells(b, 2, 4)
	b1, _ := render.BarcodeCells(b, 1, 4)
	tests := []struct {
		name string
		c    render.Cells
		// quiet-zone size in cells: columns on the left and the right, rows
		// at the top and the bottom
		cols, rows int
	}{
		// 4 modules: 4 columns; 2 rows of 2 module rows.
		{"qr half-block", render.QRCells(q), render.QuietZone, render.QuietZone / 2},
		// 4 modules: 8 columns, 4 rows.
		{"qr full-size", render.QRFullCells(q), 2 * render.QuietZone, render.QuietZone},
		// 10 modules: 5 columns at 2 per column, 10 at 1; no rows.
		{"barcode 2/col", b2, render.BarcodeQuietZone / 2, 0},
		{"barcode 1/col", b1, render.BarcodeQuietZone, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, h := tt.c.Width(), tt.c.Height()
			for y, row := range tt.c {
				for x, cell := range row {
					inZone := x < tt.cols || x >= w-tt.cols || y < tt.rows || y >= h-tt.rows
					if inZone && !light(cell) {
						t.Fatalf("cell (%d,%d) in the quiet zone is not light: %+v", x, y, cell)
					}
				}
			}
			// Just inside the zone, the code starts: a dark part somewhere.
			dark := false
			for y := tt.rows; y < h-tt.rows; y++ {
				dark = dark || !light(tt.c[y][tt.cols])
			}
			if !dark {
				t.Errorf("column %d has no dark part: the quiet zone is wider than %d", tt.cols, tt.cols)
			}
		})
	}
}

func TestQRCellsHalfBlocks(t *testing.T) {
	q, _ := render.QR(code24)
	c := render.QRCells(q)
	for y, row := range c {
		for x, cell := range row {
			want := render.Cell{Rune: render.GlyphUpperHalf, FG: colour(q, x, 2*y), BG: colour(q, x, 2*y+1)}
			if cell != want {
				t.Fatalf("cell (%d,%d) = %+v, want %+v", x, y, cell, want)
			}
		}
	}
}

func TestQRFullCellsBackgroundOnly(t *testing.T) {
	q, _ := render.QR(code24)
	for y, row := range render.QRFullCells(q) {
		for x, cell := range row {
			col := colour(q, x/2, y)
			if cell != (render.Cell{Rune: render.GlyphSpace, FG: col, BG: col}) {
				t.Fatalf("cell (%d,%d) = %+v, want a background-only %v cell", x, y, cell, col)
			}
		}
	}
}

func TestBarcodeCellsGlyphs(t *testing.T) {
	b, _ := render.Barcode(code24)
	row := b.Modules[0]
	for _, mpc := range []int{1, 2} {
		c, err := render.BarcodeCells(b, mpc, 5)
		if err != nil {
			t.Fatal(err)
		}
		for x, cell := range c[0] {
			var left, right render.Color
			if mpc == 1 {
				left, right = colour(b, x, 0), colour(b, x, 0)
			} else {
				left, right = colour(b, 2*x, 0), colour(b, 2*x+1, 0)
			}
			want := render.Cell{Rune: render.GlyphSpace, FG: left, BG: left}
			if left != right {
				want = render.Cell{Rune: render.GlyphLeftHalf, FG: left, BG: right}
			}
			if cell != want {
				t.Fatalf("%d/col: cell %d = %+v, want %+v (modules %v)", mpc, x, cell, want, row[mpc*x:min(mpc*x+mpc, len(row))])
			}
		}
		for y := range c {
			for x := range c[y] {
				if c[y][x] != c[0][x] {
					t.Fatalf("%d/col: row %d differs from row 0 at %d", mpc, y, x)
				}
			}
		}
	}
}

func TestBarcodeCellsRejects(t *testing.T) {
	b, _ := render.Barcode(code24)
	q, _ := render.QR(code24)
	tests := []struct {
		name       string
		g          render.Grid
		mpc, rows  int
		wantReject bool
	}{
		{"3 rows", b, 2, 3, true},
		{"0 rows", b, 1, 0, true},
		{"4 rows", b, 2, 4, false},
		{"0 per column", b, 0, 4, true},
		{"3 per column", b, 3, 4, true},
		{"-1 per column", b, -1, 4, true},
		{"a QR grid", q, 2, 4, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := render.BarcodeCells(tt.g, tt.mpc, tt.rows)
			if (err != nil) != tt.wantReject {
				t.Errorf("err = %v, want rejected %v", err, tt.wantReject)
			}
		})
	}
}

// colour is the colour of module (x, y), light outside the grid.
func colour(g render.Grid, x, y int) render.Color {
	if y < len(g.Modules) && x < len(g.Modules[y]) && g.Modules[y][x] {
		return render.Black
	}
	return render.White
}
