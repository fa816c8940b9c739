package render_test

import (
	"errors"
	"testing"

	"github.com/mppwallet/mppwallet/ui/render"
)

func TestFit(t *testing.T) {
	q, _ := render.QR(code24)
	half := render.QRCells(q) // 29×15
	tests := []struct {
		name          string
		width, height int
		wantErr       bool
	}{
		{"exact", 29, 15, false},
		{"roomy", 80, 24, false},
		{"one column short", 28, 15, true},
		{"one row short", 29, 14, true},
		{"tiny", 10, 5, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := render.Fit(half, tt.width, tt.height)
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("Fit: %v", err)
				}
				return
			}
			var fe *render.FitError
			if !errors.As(err, &fe) {
				t.Fatalf("Fit: got %v, want a *FitError", err)
			}
			want := render.FitError{NeedWidth: 29, NeedHeight: 15, Width: tt.width, Height: tt.height}
			if *fe != want {
				t.Errorf("got %+v, want %+v", *fe, want)
			}
			if fe.Error() == "" {
				t.Error("empty message")
			}
		})
	}
}
