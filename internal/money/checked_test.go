package money_test

import (
	"errors"
	"math"
	"testing"

	"github.com/mppwallet/mppwallet/internal/money"
)

func TestCheckedMinor(t *testing.T) {
	tests := []struct {
		name string
		op   func(a, b int64) (int64, error)
		a, b int64
		want int64
		// overflow: the result does not fit and ErrOverflow comes back.
		overflow bool
	}{
		{"add", money.AddMinor, 1050, 250, 1300, false},
		{"add a negative", money.AddMinor, 1050, -2000, -950, false},
		{"add up to the largest", money.AddMinor, math.MaxInt64 - 1, 1, math.MaxInt64, false},
		{"add down to the smallest", money.AddMinor, math.MinInt64 + 1, -1, math.MinInt64, false},
		{"add the extremes", money.AddMinor, math.MaxInt64, math.MinInt64, -1, false},
		{"add one cent past the largest", money.AddMinor, math.MaxInt64, 1, 0, true},
		{"add two halves past the largest", money.AddMinor, math.MaxInt64/2 + 1, math.MaxInt64/2 + 1, 0, true},
		{"add one cent below the smallest", money.AddMinor, math.MinInt64, -1, 0, true},
		{"subtract", money.SubMinor, 1050, 250, 800, false},
		{"subtract below zero", money.SubMinor, 250, 1050, -800, false},
		{"subtract down to the smallest", money.SubMinor, math.MinInt64 + 1, 1, math.MinInt64, false},
		{"subtract a negative up to the largest", money.SubMinor, math.MaxInt64 - 1, -1, math.MaxInt64, false},
		{"subtract the smallest from -1", money.SubMinor, -1, math.MinInt64, math.MaxInt64, false},
		{"subtract one cent below the smallest", money.SubMinor, math.MinInt64, 1, 0, true},
		{"subtract the smallest from zero", money.SubMinor, 0, math.MinInt64, 0, true},
		{"subtract a negative past the largest", money.SubMinor, math.MaxInt64, -1, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.op(tc.a, tc.b)
			if tc.overflow {
				if !errors.Is(err, money.ErrOverflow) || got != 0 {
					t.Errorf("got %d, %v, want 0 and ErrOverflow", got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %d, %v, want %d", got, err, tc.want)
			}
		})
	}
}
