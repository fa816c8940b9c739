package render_test

import (
	"testing"

	"github.com/mppwallet/mppwallet/ui/render"
)

func TestBarcodeModules(t *testing.T) {
	tests := []struct {
		digits string
		want   int // modules, quiet zones included
	}{
		// Set C: start (11) + 12 digit pairs × 11 + check (11) + stop (13)
		// = 167, plus two 10-module quiet zones.
		{code24, 187},
		{codeSample, 187},
		// 9 digit pairs: 11 + 99 + 11 + 13 = 134, plus 20.
		{code18, 154},
	}
	for _, tt := range tests {
		t.Run(tt.digits, func(t *testing.T) {
			g, err := render.Barcode(tt.digits)
			if err != nil {
				t.Fatal(err)
			}
			w, h := g.Size()
			if w != tt.want || h != 1 {
				t.Fatalf("grid %d×%d, want %d×1", w, h, tt.want)
			}
			row := g.Modules[0]
			for i := 0; i < render.BarcodeQuietZone; i++ {
				if row[i] || row[w-1-i] {
					t.Fatalf("quiet zone module %d is dark", i)
				}
			}
			// The start symbol begins, and the stop symbol ends, with a bar.
			if !row[render.BarcodeQuietZone] || !row[w-1-render.BarcodeQuietZone] {
				t.Error("the symbol does not start and end with a bar")
			}
		})
	}
}

func TestBarcodeRejects(t *testing.T) {
	long := make([]byte, 81)
	for i := range long {
		long[i] = '1'
	}
	for _, in := range []string{"", "12a4", "１２", "12 34", string(long)} {
		if _, err := render.Barcode(in); err == nil {
			t.Errorf("Barcode(%q): no error", in)
		}
	}
}
