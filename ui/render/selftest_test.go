package render_test

import (
	"fmt"
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/ui/render"
)

func TestDefaultGeometries(t *testing.T) {
	gs := render.DefaultGeometries()
	seen := map[render.Geometry]bool{}
	for _, g := range gs {
		seen[g] = true
	}
	// 3 cell sizes × (no gap + 3 gap styles) × 2 page backgrounds.
	if len(gs) != 24 || len(seen) != 24 {
		t.Fatalf("%d geometries (%d distinct), want 24", len(gs), len(seen))
	}
	for _, size := range [][2]int{{6, 12}, {8, 16}, {10, 20}} {
		for _, dark := range []bool{false, true} {
			for _, g := range []render.Geometry{
				{CellW: size[0], CellH: size[1], Dark: dark},
				{CellW: size[0], CellH: size[1], LineGap: 2, Gap: render.GapBelow, Dark: dark},
				{CellW: size[0], CellH: size[1], LineGap: 2, Gap: render.GapCentered, Dark: dark},
				{CellW: size[0], CellH: size[1], LineGap: 2, Gap: render.GapPage, Dark: dark},
			} {
				if !seen[g] {
					t.Errorf("missing %v", g)
				}
			}
		}
	}
}

// TestLayoutsScan draws every layout of every test code at every default
// geometry, independently of SelfTest: where a layout is expected to scan
// it must decode to the exact text, where it is not it must not decode (or
// Expected is wrong), and the inverted image never decodes: gozxing v0.1.1
// reads dark-on-light only, so a decode there means the polarity leaked.
// Subtests run in parallel, which also exercises Decode's shared readers.
func TestLayoutsScan(t *testing.T) {
	for _, lc := range layoutCases(t) {
		for _, g := range render.DefaultGeometries() {
			t.Run(fmt.Sprintf("%s/%s/%v", lc.text, lc.layout, g), func(t *testing.T) {
				t.Parallel()
				img := render.Rasterize(lc.cells, g)
				got, err := render.Decode(img, lc.kind)
				decoded := err == nil && got == lc.text
				if want := render.Expected(lc.layout, g); decoded != want {
					t.Errorf("decoded %v (%q, %v), expected to scan %v", decoded, got, err, want)
				}
				if inv, err := render.Decode(render.Invert(img), lc.kind); err == nil {
					t.Errorf("the inverted image decoded as %q", inv)
				}
			})
		}
	}
}

func TestSelfTest(t *testing.T) {
	checks := render.SelfTest(code24)
	if want := 4 * len(render.DefaultGeometries()); len(checks) != want {
		t.Fatalf("%d checks, want %d", len(checks), want)
	}
	expectedFailures := 0
	for _, c := range checks {
		if !c.Pass() {
			t.Errorf("%s %v: %+v", c.Layout, c.Geometry, c)
		}
		if c.Expected != render.Expected(c.Layout, c.Geometry) {
			t.Errorf("%s %v: Expected %v disagrees with render.Expected", c.Layout, c.Geometry, c.Expected)
		}
		if c.Decoded && c.Text != code24 {
			t.Errorf("%s %v: decoded %q", c.Layout, c.Geometry, c.Text)
		}
		if !c.Expected {
			expectedFailures++
		}
	}
	// Half blocks with centred gaps (6) or a light page's gaps (3), full
	// size with page gaps (6): recorded, not hidden.
	if expectedFailures != 15 {
		t.Errorf("%d checks expected not to scan, want 15", expectedFailures)
	}
	table, pass := render.Report(checks)
	if !pass {
		t.Errorf("Report: not passing\n%s", table)
	}
	if lines := strings.Count(table, "\n"); lines != len(checks)+2 {
		t.Errorf("table has %d lines, want a header, %d rows and a summary", lines, len(checks))
	}
	if !strings.Contains(table, "96 checks, 0 failed") {
		t.Errorf("no summary in\n%s", table)
	}
}

func TestReportVerdicts(t *testing.T) {
	tests := []struct {
		name string
		c    render.Check
		pass bool
	}{
		{"scans as expected", render.Check{Expected: true, Decoded: true}, true},
		{"fails as expected", render.Check{Expected: false, Decoded: false}, true},
		{"regression", render.Check{Expected: true, Decoded: false}, false},
		{"unexpected scan", render.Check{Expected: false, Decoded: true}, false},
		{"polarity leak", render.Check{Expected: true, Decoded: true, InvertedDecoded: true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Pass(); got != tt.pass {
				t.Errorf("Pass() = %v, want %v", got, tt.pass)
			}
			table, pass := render.Report([]render.Check{tt.c})
			if pass != tt.pass {
				t.Errorf("Report pass = %v, want %v", pass, tt.pass)
			}
			if got := strings.Contains(table, "FAIL"); got == tt.pass {
				t.Errorf("table says FAIL %v:\n%s", got, table)
			}
		})
	}
}

func TestSelfTestNonDigits(t *testing.T) {
	checks := render.SelfTest("https://qr.mppwallet.test/abc")
	for _, c := range checks {
		switch c.Kind {
		case render.KindBarcode:
			if c.Err == "" || c.Decoded || c.Pass() {
				t.Fatalf("%s: %+v, want an encoding error and a failure", c.Layout, c)
			}
		case render.KindQR:
			if c.Expected && !c.Decoded {
				t.Errorf("%s %v: did not decode: %s", c.Layout, c.Geometry, c.Err)
			}
		}
	}
}

func TestRasterize(t *testing.T) {
	cells := render.Cells{{
		{Rune: render.GlyphUpperHalf, FG: render.Black, BG: render.White},
		{Rune: render.GlyphLeftHalf, FG: render.White, BG: render.Black},
		{Rune: render.GlyphSpace, FG: render.White, BG: render.Black},
	}}
	tests := []struct {
		name string
		g    render.Geometry
		// pixel columns from the top of the line to the bottom of its gap,
		// B for black and W for white: the ▀ cell, the left and the right
		// half of the ▌ cell, the space cell
		want [4]string
	}{
		{"no gap", render.Geometry{CellW: 4, CellH: 8},
			[4]string{"BBBBWWWW", "WWWWWWWW", "BBBBBBBB", "BBBBBBBB"}},
		{"gap below", render.Geometry{CellW: 4, CellH: 8, LineGap: 2},
			[4]string{"BBBBWWWWWW", "WWWWWWWWBB", "BBBBBBBBBB", "BBBBBBBBBB"}},
		{"gap centred", render.Geometry{CellW: 4, CellH: 8, LineGap: 2, Gap: render.GapCentered},
			[4]string{"WBBBBWWWWW", "BWWWWWWWWB", "BBBBBBBBBB", "BBBBBBBBBB"}},
		{"gap showing a light page", render.Geometry{CellW: 4, CellH: 8, LineGap: 2, Gap: render.GapPage},
			[4]string{"BBBBWWWWWW", "WWWWWWWWWW", "BBBBBBBBWW", "BBBBBBBBWW"}},
		{"gap showing a dark page", render.Geometry{CellW: 4, CellH: 8, LineGap: 2, Gap: render.GapPage, Dark: true},
			[4]string{"BBBBWWWWBB", "WWWWWWWWBB", "BBBBBBBBBB", "BBBBBBBBBB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := render.Rasterize(cells, tt.g)
			m, pitch := tt.g.Margin(), tt.g.CellH+tt.g.LineGap
			b := img.Bounds()
			if w, h := b.Dx(), b.Dy(); w != 2*m+3*tt.g.CellW || h != 2*m+pitch {
				t.Fatalf("image %d×%d, want %d×%d", w, h, 2*m+3*tt.g.CellW, 2*m+pitch)
			}
			page := "W"
			if tt.g.Dark {
				page = "B"
			}
			column := func(x int) string {
				var s strings.Builder
				for y := m; y < m+pitch; y++ {
					if color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y < 128 {
						s.WriteString("B")
					} else {
						s.WriteString("W")
					}
				}
				return s.String()
			}
			if got := column(0)[:1]; got != page {
				t.Errorf("margin %s, want the page %s", got, page)
			}
			w := tt.g.CellW
			got := [4]string{column(m), column(m + w), column(m + 2*w - 1), column(m + 2*w)}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestInvert(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 2, 1))
	img.Pix[0], img.Pix[1] = 0, 200
	inv := render.Invert(img).(*image.Gray)
	if inv.Pix[0] != 255 || inv.Pix[1] != 55 {
		t.Errorf("got %v", inv.Pix)
	}
}

// boxDown averages f×f pixel blocks, like a camera seeing the screen at a
// lower resolution.
func boxDown(img image.Image, f int) image.Image {
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx()/f, b.Dy()/f))
	for y := range out.Rect.Dy() {
		for x := range out.Rect.Dx() {
			sum := 0
			for dy := range f {
				for dx := range f {
					sum += int(color.GrayModel.Convert(img.At(b.Min.X+x*f+dx, b.Min.Y+y*f+dy)).(color.Gray).Y)
				}
			}
			out.Pix[out.PixOffset(x, y)] = uint8(sum / (f * f))
		}
	}
	return out
}

// TestDownscaled checks the layouts still read when a camera sees fewer
// pixels than the screen has (scanning.md §2.8: 2× and 3× box filters),
// keeping at least about 2 pixels per module.
func TestDownscaled(t *testing.T) {
	tests := []struct {
		layout string
		g      render.Geometry
		factor int
	}{
		// Half blocks: 8-pixel modules → 4 and about 2.7.
		{render.LayoutQRHalf, render.Geometry{CellW: 8, CellH: 16}, 2},
		{render.LayoutQRHalf, render.Geometry{CellW: 8, CellH: 16}, 3},
		// Full size: 12-pixel modules → 6 and 4.
		{render.LayoutQRFull, render.Geometry{CellW: 6, CellH: 12, Dark: true}, 2},
		{render.LayoutQRFull, render.Geometry{CellW: 6, CellH: 12, Dark: true}, 3},
		// Barcode at 2 per column: 5-pixel modules → 2.5.
		{render.LayoutBarcode2, render.Geometry{CellW: 10, CellH: 20}, 2},
		// At 1 per column: 6-pixel modules → 3 and 2.
		{render.LayoutBarcode1, render.Geometry{CellW: 6, CellH: 12}, 2},
		{render.LayoutBarcode1, render.Geometry{CellW: 6, CellH: 12, LineGap: 2, Gap: render.GapPage}, 3},
	}
	cases := layoutCases(t)
	for _, tt := range tests {
		for _, lc := range cases {
			if lc.layout != tt.layout {
				continue
			}
			t.Run(fmt.Sprintf("%s/%s/%v/%d", lc.text, lc.layout, tt.g, tt.factor), func(t *testing.T) {
				got, err := render.Decode(boxDown(render.Rasterize(lc.cells, tt.g), tt.factor), lc.kind)
				if err != nil || got != lc.text {
					t.Errorf("got %q, %v", got, err)
				}
			})
		}
	}
}
