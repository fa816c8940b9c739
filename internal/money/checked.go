package money

import (
	"errors"
	"math"
)

// ErrOverflow reports a sum or difference of minor units that does not fit
// in int64. Add, AddMinor and SubMinor return it (wrapped, for Add).
var ErrOverflow = errors.New("amount overflow")

// AddMinor returns a+b, or ErrOverflow when the sum does not fit in int64.
func AddMinor(a, b int64) (int64, error) {
	if (b > 0 && a > math.MaxInt64-b) || (b < 0 && a < math.MinInt64-b) {
		return 0, ErrOverflow
	}
	return a + b, nil
}

// SubMinor returns a-b, or ErrOverflow when the difference does not fit in
// int64.
func SubMinor(a, b int64) (int64, error) {
	if (b < 0 && a > math.MaxInt64+b) || (b > 0 && a < math.MinInt64+b) {
		return 0, ErrOverflow
	}
	return a - b, nil
}
