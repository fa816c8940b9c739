package render_test

import (
	"testing"

	"github.com/mppwallet/mppwallet/ui/render"
)

func BenchmarkQRCells(b *testing.B) {
	g, err := render.QR(code24)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		_ = render.QRCells(g).ANSI(render.TrueColor)
	}
}

func BenchmarkSelfTest(b *testing.B) {
	for b.Loop() {
		render.SelfTest(code24)
	}
}
