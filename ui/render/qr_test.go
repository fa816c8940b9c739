package render_test

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/mppwallet/mppwallet/ui/render"
)

func decodeQR(t *testing.T, pngBytes []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(pngBytes))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return res.GetText()
}

func TestQRDecodesBack(t *testing.T) {
	for _, text := range []string{
		"259999021234567890123456",
		"https://qr.mppwallet.test/2819990400011234567890123456",
	} {
		g, err := render.QR(text)
		if err != nil {
			t.Fatal(err)
		}
		w, h := g.Size()
		if w != h || w < 21+2*render.QuietZone {
			t.Errorf("%q: grid %dx%d", text, w, h)
		}
		for i := 0; i < render.QuietZone; i++ {
			for x := 0; x < w; x++ {
				if g.Modules[i][x] || g.Modules[h-1-i][x] || g.Modules[x][i] || g.Modules[x][w-1-i] {
					t.Fatalf("%q: the quiet zone has a dark module", text)
				}
			}
		}
		b, err := g.PNG(4)
		if err != nil {
			t.Fatal(err)
		}
		if got := decodeQR(t, b); got != text {
			t.Errorf("decoded %q, want %q", got, text)
		}
	}
}

func TestHalfBlocksUseExplicitColours(t *testing.T) {
	g, _ := render.QR("259999021234567890123456")
	out := g.HalfBlocks()
	w, h := g.Size()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != (h+1)/2 {
		t.Errorf("%d lines, want %d", len(lines), (h+1)/2)
	}
	for _, l := range lines {
		if strings.Count(l, "▀") != w || !strings.HasSuffix(l, "\x1b[0m") {
			t.Fatalf("line %q: want %d cells ending in a reset", l, w)
		}
		if strings.Contains(l, "\x1b[30m") || strings.Contains(l, "\x1b[47m") {
			t.Fatalf("line uses the theme palette: %q", l)
		}
	}
}
