package render

import (
	"fmt"
	"strings"
	"text/tabwriter"
)

// The layouts [SelfTest] checks, as named in [Check.Layout].
const (
	LayoutQRHalf   = "qr half-block" // [QRCells]
	LayoutQRFull   = "qr full-size"  // [QRFullCells]
	LayoutBarcode2 = "barcode 2/col" // [BarcodeCells] at 2 modules per column
	LayoutBarcode1 = "barcode 1/col" // [BarcodeCells] at 1 module per column
)

// selfTestBarRows is the barcode height in the self-test: the minimum, the
// hardest case.
const selfTestBarRows = MinBarcodeRows

// Check is the outcome of drawing one layout at one geometry and reading
// it back.
type Check struct {
	Kind     Kind     // the symbology, which picks the reader
	Layout   string   // one of the Layout constants
	Geometry Geometry // the simulated terminal
	// Expected says whether the layout should scan at this geometry, so a
	// failure that is expected (a half-block QR whose line gaps show the
	// page) is not a regression, and an unexpected success is reported.
	Expected bool
	// Decoded says whether gozxing read Text back exactly.
	Decoded bool
	// Text is what gozxing read, if anything.
	Text string
	// InvertedDecoded says whether the same image with its colours
	// inverted decoded; it must not.
	InvertedDecoded bool
	// Err is the encoding, layout or decoding error, if any.
	Err string
}

// Pass reports whether the check went as expected: decoded exactly when
// expected to, and the inverted control did not decode.
func (c Check) Pass() bool { return c.Decoded == c.Expected && !c.InvertedDecoded }

// Expected says whether layout is expected to scan at geometry g; it is
// calibrated on [DefaultGeometries] (cells of 6×12 to 10×20 pixels, 2-pixel
// gaps), measured with gozxing on random 16- to 32-digit codes:
//
//   - Without line spacing every layout scans.
//   - Barcodes always scan: their bars are vertical, so a horizontal gap of
//     any colour leaves every bar intact on most pixel rows.
//   - Full-size QR cells are background only, so a gap painted in the cell's
//     background just makes modules a little taller (12×14 pixels instead of
//     12×12 on 6×12 cells), above or below: it scans. A gap that shows the
//     page slices every module row, the finder patterns' included: it never
//     scans, on either page.
//   - Half blocks need the "▀" to meet the cell's top edge. A gap below the
//     glyph in the cell's background only makes the lower module of each
//     pair taller, and it usually scans; but not for every code (the legacy
//     281234567890123456 fails at every size: gozxing takes a finder-like
//     data pattern for the stretched bottom-left finder), so half blocks are
//     not promised under line spacing: offer the full-size fallback.
//     A glyph centred in a taller line leaves a sliver of the lower module's
//     colour above the upper module, a wrong-coloured stripe every two
//     module rows: it never scans. A gap showing a light page splits the
//     finder patterns' 3-module dark centres: it never scans; a dark page's
//     gap falls between two module rows where, at a 4-module quiet zone, the
//     finder patterns only gain dark pixels, and it scans.
func Expected(layout string, g Geometry) bool {
	if g.LineGap <= 0 {
		return true
	}
	switch layout {
	case LayoutQRFull:
		return g.Gap != GapPage
	case LayoutQRHalf:
		switch g.Gap {
		case GapCentered:
			return g.LineGap < 2 // a 1-pixel gap cannot be split: it all goes below
		case GapPage:
			return g.Dark
		}
	}
	return true
}

// layout is one way of drawing a code.
type layout struct {
	name  string
	kind  Kind
	cells func(text string) (Cells, error)
}

// layouts are the layouts [SelfTest] checks.
var layouts = []layout{
	{LayoutQRHalf, KindQR, func(text string) (Cells, error) {
		g, err := QR(text)
		return QRCells(g), err
	}},
	{LayoutQRFull, KindQR, func(text string) (Cells, error) {
		g, err := QR(text)
		return QRFullCells(g), err
	}},
	{LayoutBarcode2, KindBarcode, func(text string) (Cells, error) {
		g, err := Barcode(text)
		if err != nil {
			return nil, err
		}
		return BarcodeCells(g, 2, selfTestBarRows)
	}},
	{LayoutBarcode1, KindBarcode, func(text string) (Cells, error) {
		g, err := Barcode(text)
		if err != nil {
			return nil, err
		}
		return BarcodeCells(g, 1, selfTestBarRows)
	}},
}

// SelfTest draws text in every layout (QR half-block and full-size, Code
// 128 at 2 and 1 modules per column, 4 rows tall) at every
// [DefaultGeometries] entry, reads each raster back with [Decode] and
// checks that its inverted copy does not decode. Barcode checks need text
// to be digits; otherwise they record the encoding error.
func SelfTest(text string) []Check {
	geoms := DefaultGeometries()
	checks := make([]Check, 0, len(layouts)*len(geoms))
	for _, l := range layouts {
		cells, err := l.cells(text)
		for _, g := range geoms {
			c := Check{Kind: l.kind, Layout: l.name, Geometry: g, Expected: Expected(l.name, g)}
			if err != nil {
				c.Err = err.Error()
			} else {
				c.run(cells, text)
			}
			checks = append(checks, c)
		}
	}
	return checks
}

// run rasterises cells at c.Geometry, decodes the image and its inverted
// copy, and records the outcome in c.
func (c *Check) run(cells Cells, text string) {
	var errs []string
	img := Rasterize(cells, c.Geometry)
	got, err := Decode(img, c.Kind)
	c.Text = got
	c.Decoded = err == nil && got == text
	switch {
	case err != nil:
		errs = append(errs, err.Error())
	case got != text:
		errs = append(errs, fmt.Sprintf("decoded %q", got))
	}
	if inv, err := Decode(Invert(img), c.Kind); err == nil {
		c.InvertedDecoded = true
		errs = append(errs, fmt.Sprintf("inverted image decoded as %q", inv))
	}
	c.Err = strings.Join(errs, "; ")
}

// Report formats checks as a table, one row per check, and says whether all
// of them passed ([Check.Pass]).
func Report(checks []Check) (table string, pass bool) {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LAYOUT\tGEOMETRY\tEXPECTED\tDECODED\tINVERTED\tRESULT\tNOTE")
	pass = true
	failed := 0
	for _, c := range checks {
		result := "pass"
		if !c.Pass() {
			result, pass = "FAIL", false
			failed++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			c.Layout, c.Geometry, yesNo(c.Expected, "scan", "no scan"), yesNo(c.Decoded, "yes", "no"),
			yesNo(c.InvertedDecoded, "DECODED", "rejected"), result, note(c))
	}
	tw.Flush()
	fmt.Fprintf(&b, "%d checks, %d failed\n", len(checks), failed)
	return b.String(), pass
}

// yesNo picks a word.
func yesNo(v bool, yes, no string) string {
	if v {
		return yes
	}
	return no
}

// note is the check's error shortened to one line, or empty.
func note(c Check) string {
	s := strings.ReplaceAll(c.Err, "\n", " ")
	const maxNote = 60
	if r := []rune(s); len(r) > maxNote {
		s = string(r[:maxNote-1]) + "…"
	}
	return s
}
