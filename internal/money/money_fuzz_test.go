package money_test

import (
	"math"
	"math/big"
	"regexp"
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/internal/money"
)

// Fuzz targets for money parsing and formatting. Run one with, e.g.:
//
//	go test ./internal/money -run '^$' -fuzz '^FuzzParse$' -fuzztime 10m -parallel 1

// decimalForm is what Parse accepts once trimmed: digits with an
// optional point followed by at least one digit.
var decimalForm = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// oracleMinor computes decimal × 10^exp exactly with math/big, the
// independent answer Parse must agree with: ok is false when decimal is
// not a plain decimal, has more places than exp, or does not fit in int64.
func oracleMinor(decimal string, exp int) (int64, bool) {
	if !decimalForm.MatchString(decimal) {
		return 0, false
	}
	if _, frac, ok := strings.Cut(decimal, "."); ok && len(frac) > exp {
		return 0, false
	}
	r, ok := new(big.Rat).SetString(decimal)
	if !ok {
		return 0, false
	}
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil)))
	if !r.IsInt() || !r.Num().IsInt64() {
		return 0, false
	}
	return r.Num().Int64(), true
}

// FuzzParse checks Parse against an exact big-number oracle: the
// exponent of the currency is respected (no more decimals than it has, the
// value scaled by exactly 10^exp), nothing goes through a float, overflow
// is refused, and an accepted amount formats back (Decimal) to a string
// that parses to the same Money.
func FuzzParse(f *testing.F) {
	for _, s := range []struct{ decimal, currency string }{
		{"1000.00", "USD"}, {"12.3", "USD"}, {"12", "USD"}, {"0.01", "USD"}, {"0", "USD"},
		{"007.50", "USD"}, {" 12.34 ", "USD"}, {"1", "usd"}, {"12.345", "USD"},
		{"100", "JPY"}, {"1.5", "JPY"}, {"1.0", "JPY"}, {"100.", "JPY"}, {"100", "KRW"},
		{"1.234", "BHD"}, {"1.2345", "BHD"}, {"0.001", "KWD"}, {"1.2345", "CLF"},
		{"1", "XXX1"}, {"1", ""}, {"-1", "USD"}, {"+1", "USD"}, {"1e3", "USD"}, {"", "USD"},
		{".5", "USD"}, {"1,000", "USD"}, {"1.2.3", "USD"}, {"0x10", "USD"}, {"12 34", "USD"},
		{"92233720368547758.07", "USD"}, {"92233720368547758.08", "USD"},
		{"9223372036854775807", "JPY"}, {"9223372036854775808", "JPY"},
		{"9223372036854.775807", "CLF"}, {"99999999999999999999999999", "JPY"},
		{"١٢", "USD"}, {"\u00a012", "USD"},
	} {
		f.Add(s.decimal, s.currency)
	}
	f.Fuzz(func(t *testing.T, decimal, currency string) {
		m, err := money.Parse(decimal, currency)
		cur := strings.ToUpper(strings.TrimSpace(currency))
		exp, known := money.Exponent(cur)
		want, ok := oracleMinor(strings.TrimSpace(decimal), exp)
		ok = ok && known
		if (err == nil) != ok {
			t.Fatalf("Parse(%q, %q) = %v, %v; oracle says ok=%v (%d)", decimal, currency, m, err, ok, want)
		}
		if err != nil {
			if m != (money.Money{}) {
				t.Fatalf("error %v with a non-zero Money %+v", err, m)
			}
			return
		}
		if m.Currency != cur || m.Minor != want {
			t.Fatalf("Parse(%q, %q) = %+v, want %s %d", decimal, currency, m, cur, want)
		}
		back, err := money.Parse(m.Decimal(), m.Currency)
		if err != nil || back != m {
			t.Fatalf("Decimal %q of %+v parses to %+v, %v", m.Decimal(), m, back, err)
		}
	})
}

// FuzzMoneyDecimal formats any int64 amount in any currency: the output has
// exactly the currency's decimal places, parses back to the same amount
// (its magnitude, for negatives: Parse takes no sign, and refuses the
// magnitude of math.MinInt64 as too large), and Add refuses exactly the
// sums that do not fit in int64.
func FuzzMoneyDecimal(f *testing.F) {
	for _, s := range []struct {
		a, b     int64
		currency string
	}{
		{0, 0, "USD"}, {1, 1, "USD"}, {1234, -34, "USD"}, {-1, 1, "USD"}, {100, 1, "JPY"},
		{1, 1, "BHD"}, {12345, 0, "CLF"}, {math.MaxInt64, 1, "USD"}, {math.MinInt64, -1, "USD"},
		{math.MinInt64, 0, "JPY"}, {math.MaxInt64, math.MinInt64, "KWD"}, {5, 5, "XYZ"}, {7, 7, ""},
	} {
		f.Add(s.a, s.b, s.currency)
	}
	f.Fuzz(func(t *testing.T, a, b int64, currency string) {
		m := money.Money{Currency: currency, Minor: a}
		d := m.Decimal()
		exp, known := money.Exponent(currency)
		if !known {
			exp = 0 // unknown currencies print the plain minor units
		}
		mag := strings.TrimPrefix(d, "-")
		if (a < 0) != (mag != d) {
			t.Fatalf("Decimal(%d) = %q: sign wrong", a, d)
		}
		intPart, frac, hasDot := strings.Cut(mag, ".")
		if hasDot != (exp > 0) || len(frac) != exp || !decimalForm.MatchString(mag) ||
			(len(intPart) > 1 && intPart[0] == '0') {
			t.Fatalf("Decimal(%d %s) = %q: want %d decimal places, no leading zeros", a, currency, d, exp)
		}
		if got := m.String(); got != d+" "+currency {
			t.Fatalf("String = %q, want %q", got, d+" "+currency)
		}
		if known {
			back, err := money.Parse(mag, currency)
			switch {
			case a == math.MinInt64:
				if err == nil {
					t.Fatalf("Parse(%q) = %+v: the magnitude of MinInt64 must not fit", mag, back)
				}
			case err != nil || back.Currency != currency || back.Minor != max(a, -a):
				t.Fatalf("Parse(Decimal(%d %s) = %q) = %+v, %v", a, currency, d, back, err)
			}
		}

		sum, err := m.Add(money.Money{Currency: currency, Minor: b})
		exact := new(big.Int).Add(big.NewInt(a), big.NewInt(b))
		if exact.IsInt64() != (err == nil) {
			t.Fatalf("Add(%d, %d) = %+v, %v; exact sum %s", a, b, sum, err, exact)
		}
		if err == nil && sum.Minor != exact.Int64() {
			t.Fatalf("Add(%d, %d) = %d, want %s", a, b, sum.Minor, exact)
		}
		if _, err := m.Add(money.Money{Currency: currency + "X", Minor: b}); err == nil {
			t.Fatalf("Add across currencies %q and %q succeeded", currency, currency+"X")
		}
	})
}
