package render

import (
	"fmt"

	"github.com/boombuler/barcode/code128"
)

// BarcodeQuietZone is the number of light modules on each side of a Code 128
// barcode (10 X, ISO/IEC 15417).
const BarcodeQuietZone = 10

// maxBarcodeDigits is boombuler's Code 128 limit (80 runes).
const maxBarcodeDigits = 80

// Barcode encodes digits as Code 128 (code set C, two digits per symbol, as
// boombuler chooses for runs of digits) with a 10-module quiet zone on the
// left and the right. The grid has one row; a 24-digit payment code is
// 167 modules, 187 with the quiet zones.
func Barcode(digits string) (Grid, error) {
	if digits == "" || len(digits) > maxBarcodeDigits {
		return Grid{}, fmt.Errorf("cannot encode a barcode: want 1 to %d digits, got %d", maxBarcodeDigits, len(digits))
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return Grid{}, fmt.Errorf("cannot encode a barcode: %q is not a digit", r)
		}
	}
	bc, err := code128.Encode(digits)
	if err != nil {
		return Grid{}, fmt.Errorf("cannot encode a barcode: %w", err)
	}
	b := bc.Bounds()
	row := make([]bool, b.Dx()+2*BarcodeQuietZone)
	for x := b.Min.X; x < b.Max.X; x++ {
		r, _, _, _ := bc.At(x, b.Min.Y).RGBA()
		row[BarcodeQuietZone+x-b.Min.X] = r < 0x8000
	}
	return Grid{Modules: [][]bool{row}}, nil
}
