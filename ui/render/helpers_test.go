package render_test

import (
	"testing"

	"github.com/mppwallet/mppwallet/ui/render"
)

// Codes the tests draw: the mainstream 24-digit Alipay+ form, the sample
// from the Alipay+ code format page, and an 18-digit WeChat-style code.
const (
	code24     = "259999021234567890123456"
	codeSample = "251001020123456789012345"
	code18     = "134567890123456789"
)

// layoutCase is one layout of one code, built the way SelfTest builds it.
type layoutCase struct {
	layout string
	kind   render.Kind
	text   string
	cells  render.Cells
}

// layoutCases draws every code in every layout SelfTest checks.
func layoutCases(t testing.TB) []layoutCase {
	t.Helper()
	var cs []layoutCase
	for _, text := range []string{code24, codeSample, code18} {
		q, err := render.QR(text)
		if err != nil {
			t.Fatal(err)
		}
		b, err := render.Barcode(text)
		if err != nil {
			t.Fatal(err)
		}
		b2, err := render.BarcodeCells(b, 2, render.MinBarcodeRows)
		if err != nil {
			t.Fatal(err)
		}
		b1, err := render.BarcodeCells(b, 1, render.MinBarcodeRows)
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs,
			layoutCase{render.LayoutQRHalf, render.KindQR, text, render.QRCells(q)},
			layoutCase{render.LayoutQRFull, render.KindQR, text, render.QRFullCells(q)},
			layoutCase{render.LayoutBarcode2, render.KindBarcode, text, b2},
			layoutCase{render.LayoutBarcode1, render.KindBarcode, text, b1},
		)
	}
	return cs
}
