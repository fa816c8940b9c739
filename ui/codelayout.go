package ui

import (
	"github.com/mppwallet/mppwallet/ui/render"
)

// codeLayout is how a payment code is drawn in cells.
type codeLayout int

// The layouts, as scanning.md §2.6 recommends them.
const (
	// layoutQR is the QR code in half blocks (29×15 cells for a 24-digit
	// code): the default.
	layoutQR codeLayout = iota
	// layoutQRFull is the seamless QR code: background-coloured spaces,
	// two columns and one row per module (58×29), for terminals whose
	// block glyphs or line spacing leave seams between half blocks.
	layoutQRFull
	// layoutBarcode is Code 128 at two modules per column (94 columns for
	// 24 digits).
	layoutBarcode
	// layoutBarcodeWide is Code 128 at one module per column (187
	// columns), on windows wide enough: wider bars read from further away.
	layoutBarcodeWide
)

// barcodeRows is how tall the barcode is drawn: above the minimum of 4, and
// at about 2 mm a column, 6 rows make it taller than Alipay+'s 14 mm.
const barcodeRows = 6

// allLayouts are the layouts in the order the calibration screen lists
// them.
var allLayouts = []codeLayout{layoutQR, layoutQRFull, layoutBarcode, layoutBarcodeWide}

// String names the layout for people.
func (l codeLayout) String() string {
	switch l {
	case layoutQRFull:
		return "QR, seamless"
	case layoutBarcode:
		return "Code 128, 2 modules/column"
	case layoutBarcodeWide:
		return "Code 128, 1 module/column"
	}
	return "QR, half blocks"
}

// barcode reports whether the layout is a Code 128 one.
func (l codeLayout) barcode() bool { return l == layoutBarcode || l == layoutBarcodeWide }

// maxScale is the largest module size the Pay screen draws a QR code at:
// 8 columns a module is already 232 columns for a version 1 code.
const maxScale = 8

// drawFitted lays value out in l, a QR code at the largest integer module
// size that fits width×height (the smallest when none does, so the caller
// can say what it needs); barcodes at their own density.
func drawFitted(l codeLayout, value string, width, height int) (render.Cells, error) {
	if l.barcode() {
		return drawCode(l, value)
	}
	g, err := render.QR(value)
	if err != nil {
		return nil, err
	}
	gw, gh := g.Size()
	if l == layoutQRFull {
		scale := render.LargestScale(func(s int) (int, int) { return 2 * gw * s, gh * s }, width, height, maxScale)
		return render.QRFullCellsScaled(g, scale), nil
	}
	scale := render.LargestScale(func(s int) (int, int) { return gw * s, (gh*s + 1) / 2 }, width, height, maxScale)
	return render.QRCellsScaled(g, scale), nil
}

// drawCode lays value out in cells at the smallest size.
func drawCode(l codeLayout, value string) (render.Cells, error) {
	if l.barcode() {
		g, err := render.Barcode(value)
		if err != nil {
			return nil, err
		}
		per := 2
		if l == layoutBarcodeWide {
			per = 1
		}
		return render.BarcodeCells(g, per, barcodeRows)
	}
	g, err := render.QR(value)
	if err != nil {
		return nil, err
	}
	if l == layoutQRFull {
		return render.QRFullCells(g), nil
	}
	return render.QRCells(g), nil
}
