package render

import "testing"

// TestScaledQRDecodes: the QR code drawn at every scale, compact and
// seamless, rasterised like a terminal draws it, decodes to the code, and
// has the size the doc comments promise.
func TestScaledQRDecodes(t *testing.T) {
	const code = "259999021234567890123456"
	g, err := QR(code)
	if err != nil {
		t.Fatal(err)
	}
	w, h := g.Size()
	geo := DefaultGeometries()[0]
	for _, c := range []struct {
		name         string
		cells        Cells
		wantW, wantH int
	}{
		{"compact x1", QRCellsScaled(g, 1), w, (h + 1) / 2},
		{"compact x2", QRCellsScaled(g, 2), 2 * w, h},
		{"compact x3", QRCellsScaled(g, 3), 3 * w, (3*h + 1) / 2},
		{"seamless x1", QRFullCellsScaled(g, 1), 2 * w, h},
		{"seamless x2", QRFullCellsScaled(g, 2), 4 * w, 2 * h},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.cells.Width() != c.wantW || c.cells.Height() != c.wantH {
				t.Fatalf("size %d×%d, want %d×%d", c.cells.Width(), c.cells.Height(), c.wantW, c.wantH)
			}
			got, err := Decode(Rasterize(c.cells, geo), KindQR)
			if err != nil || got != code {
				t.Errorf("decoded %q (%v), want %q", got, err, code)
			}
		})
	}
}

// TestCompactScaledUsesGlyphsOnlyAtEdges: at scale 2 every cell is one
// module, so no cell needs a half block; at scale 1 the layout is the
// classic half blocks.
func TestCompactScaledUsesGlyphsOnlyAtEdges(t *testing.T) {
	g, _ := QR("259999021234567890123456")
	for y, row := range QRCellsScaled(g, 2) {
		for x, cell := range row {
			if cell.Rune != GlyphSpace {
				t.Fatalf("cell %d,%d is %q at scale 2: want background only", x, y, cell.Rune)
			}
		}
	}
	a, b := QRCellsScaled(g, 1), QRCells(g)
	for y := range a {
		for x := range a[y] {
			if a[y][x] != b[y][x] {
				t.Fatalf("scale 1 differs from QRCells at %d,%d", x, y)
			}
		}
	}
}

func TestLargestScale(t *testing.T) {
	size := func(s int) (int, int) { return 29 * s, (29*s + 1) / 2 }
	for _, c := range []struct{ w, h, limit, want int }{
		{80, 24, 8, 1},  // 58×29 does not fit 24 rows
		{120, 32, 8, 2}, // 58×29 fits, 87×44 does not
		{200, 60, 8, 4}, // 116×58 fits, 145×73 does not
		{200, 60, 3, 3}, // capped
		{10, 5, 8, 1},   // nothing fits: 1
	} {
		if got := LargestScale(size, c.w, c.h, c.limit); got != c.want {
			t.Errorf("LargestScale(%d×%d, limit %d) = %d, want %d", c.w, c.h, c.limit, got, c.want)
		}
	}
}
