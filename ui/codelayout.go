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
	// layoutQRFull is the QR code at two columns and one row per module
	// (58×29), for terminals whose line spacing splits half blocks.
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
		return "QR, full size"
	case layoutBarcode:
		return "Code 128, 2 modules/column"
	case layoutBarcodeWide:
		return "Code 128, 1 module/column"
	}
	return "QR, half blocks"
}

// barcode reports whether the layout is a Code 128 one.
func (l codeLayout) barcode() bool { return l == layoutBarcode || l == layoutBarcodeWide }

// drawCode lays value out in cells.
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
