package render_test

import (
	"image"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/ui/render"
)

var sgrRE = regexp.MustCompile("\x1b\\[([0-9;]*)m")

// paletteCodes returns the 16-colour palette codes (30–37, 40–47, 90–97,
// 100–107) and default-colour codes (39, 49) among an SGR's parameters,
// skipping the arguments of 38/48.
func paletteCodes(params string) []int {
	var found []int
	ps := strings.Split(params, ";")
	for i := 0; i < len(ps); i++ {
		n, _ := strconv.Atoi(ps[i])
		switch {
		case n == 38 || n == 48:
			if i+1 < len(ps) && ps[i+1] == "5" {
				i += 2
			} else {
				i += 4
			}
		case n >= 30 && n <= 37, n >= 40 && n <= 47, n >= 90 && n <= 97, n >= 100 && n <= 107, n == 39, n == 49:
			found = append(found, n)
		}
	}
	return found
}

func TestANSIColourProfiles(t *testing.T) {
	tests := []struct {
		profile      render.Profile
		black, white string // colour arguments after 38; or 48;
	}{
		{render.TrueColor, "2;0;0;0", "2;255;255;255"},
		{render.ANSI256, "5;16", "5;231"},
	}
	for _, tt := range tests {
		for _, lc := range layoutCases(t)[:4] {
			t.Run(lc.layout, func(t *testing.T) {
				arg := func(c render.Color) string {
					if c == render.Black {
						return tt.black
					}
					return tt.white
				}
				out := lc.cells.ANSI(tt.profile)
				if !strings.HasSuffix(out, "\n") {
					t.Fatal("output does not end with a newline")
				}
				lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
				if len(lines) != lc.cells.Height() {
					t.Fatalf("%d lines, want %d", len(lines), lc.cells.Height())
				}
				for y, l := range lines {
					if !strings.HasPrefix(l, "\x1b[0m") || !strings.HasSuffix(l, "\x1b[0m") {
						t.Fatalf("line %d does not start and end with a reset: %q", y, l)
					}
					for _, m := range sgrRE.FindAllStringSubmatch(l, -1) {
						if p := paletteCodes(m[1]); len(p) > 0 {
							t.Fatalf("line %d uses palette or default colours %v: %q", y, p, m[0])
						}
					}
					// Every cell: its foreground, its background, its glyph.
					body := strings.TrimSuffix(strings.TrimPrefix(l, "\x1b[0m"), "\x1b[0m")
					for x, cell := range lc.cells[y] {
						want := "\x1b[38;" + arg(cell.FG) + "m\x1b[48;" + arg(cell.BG) + "m" + string(cell.Rune)
						if !strings.HasPrefix(body, want) {
							t.Fatalf("cell (%d,%d): got %q, want %q", x, y, body[:min(len(body), len(want))], want)
						}
						body = body[len(want):]
					}
					if body != "" {
						t.Fatalf("line %d: trailing %q", y, body)
					}
				}
			})
		}
	}
}

func TestHalfBlocksIsQRCells(t *testing.T) {
	q, _ := render.QR(code24)
	if q.HalfBlocks() != render.QRCells(q).ANSI(render.TrueColor) {
		t.Error("HalfBlocks differs from QRCells(g).ANSI(TrueColor)")
	}
	if render.Profile(0) != render.TrueColor {
		t.Error("the zero Profile is not TrueColor")
	}
}

func TestANSINoColor(t *testing.T) {
	glyphs := string([]rune{render.GlyphSpace, render.GlyphUpperHalf, render.GlyphLowerHalf,
		render.GlyphLeftHalf, render.GlyphRightHalf, render.GlyphFull})
	for _, p := range []render.Profile{render.NoColorOnDark, render.NoColorOnLight} {
		for _, lc := range layoutCases(t)[:4] {
			out := lc.cells.ANSI(p)
			if strings.ContainsRune(out, '\x1b') {
				t.Fatalf("profile %d, %s: an escape sequence in %q", p, lc.layout, out)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			for _, l := range lines {
				if n := len([]rune(l)); n != lc.cells.Width() {
					t.Fatalf("profile %d, %s: line of %d runes, want %d", p, lc.layout, n, lc.cells.Width())
				}
				if strings.Trim(l, glyphs) != "" {
					t.Fatalf("profile %d, %s: unexpected runes in %q", p, lc.layout, l)
				}
			}
			// The top-left cell is quiet zone: the theme's foreground covers it
			// on a dark theme (light modules are glyphs), nothing on a light one.
			want := render.GlyphFull
			if p == render.NoColorOnLight {
				want = render.GlyphSpace
			}
			if got := []rune(lines[0])[0]; got != want {
				t.Errorf("profile %d, %s: quiet zone drawn as %q, want %q", p, lc.layout, got, want)
			}
		}
	}
}

// TestMonochromeMatchesColours checks that the glyphs chosen without colours
// draw the same code as the explicit colours when the theme has the assumed
// polarity, and an inverted code (which must not decode) when it has the
// other one: why the NoColor profiles must be told the polarity.
func TestMonochromeMatchesColours(t *testing.T) {
	g := render.Geometry{CellW: 8, CellH: 16}
	for _, lc := range layoutCases(t)[:4] {
		for _, dark := range []bool{false, true} {
			g.Dark = dark
			want := render.Rasterize(lc.cells, g).(*image.Gray)
			mono := lc.cells.Monochrome(dark)
			got := render.Rasterize(mono, g).(*image.Gray)
			if string(got.Pix) != string(want.Pix) {
				t.Errorf("%s, dark %v: the monochrome cells draw a different image", lc.layout, dark)
			}
			// The other theme: same glyphs, its foreground and background.
			for _, row := range mono {
				for x := range row {
					row[x].FG, row[x].BG = row[x].BG, row[x].FG
				}
			}
			g.Dark = !dark
			if text, err := render.Decode(render.Rasterize(mono, g), lc.kind); err == nil {
				t.Errorf("%s, glyphs for dark %v on the other theme: decoded %q", lc.layout, dark, text)
			}
		}
	}
}
