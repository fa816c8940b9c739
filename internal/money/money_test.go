package money_test

import (
	"errors"
	"math"
	"testing"

	"github.com/mppwallet/mppwallet/internal/money"
)

func TestParse(t *testing.T) {
	const (
		ok      = iota
		bad     // rejected, not for the currency
		unknown // rejected with ErrUnknownCurrency
	)
	tests := []struct {
		name, in, cur string
		want          money.Money
		outcome       int
	}{
		{"USD with cents", "1000.00", "USD", usd(100000), ok},
		{"USD one decimal", "12.3", "USD", usd(1230), ok},
		{"USD whole", "12", "USD", usd(1200), ok},
		{"USD one cent", "0.01", "USD", usd(1), ok},
		{"USD zero", "0", "USD", usd(0), ok},
		{"USD leading zeros", "007.50", "USD", usd(750), ok},
		{"surrounding space", " 12.34 ", "USD", usd(1234), ok},
		{"lower-case currency", "1", "usd", usd(100), ok},
		{"USD three decimals", "12.345", "USD", money.Money{}, bad},
		{"JPY whole", "100", "JPY", jpy(100), ok},
		{"JPY decimals", "1.5", "JPY", money.Money{}, bad},
		{"JPY zero decimals", "1.0", "JPY", money.Money{}, bad},
		{"JPY trailing dot", "100.", "JPY", money.Money{}, bad},
		{"BHD three decimals", "1.234", "BHD", moneyOf("BHD", 1234), ok},
		{"BHD one decimal", "1.2", "BHD", moneyOf("BHD", 1200), ok},
		{"BHD four decimals", "1.2345", "BHD", money.Money{}, bad},
		{"KWD one fils", "0.001", "KWD", moneyOf("KWD", 1), ok},
		{"KWD whole", "12", "KWD", moneyOf("KWD", 12000), ok},
		{"CLF four decimals", "1.2345", "CLF", moneyOf("CLF", 12345), ok},
		{"unknown currency XXX1", "1", "XXX1", money.Money{}, unknown},
		{"unknown currency ABC", "1", "ABC", money.Money{}, unknown},
		{"no currency", "1", "", money.Money{}, unknown},
		{"negative", "-1", "USD", money.Money{}, bad},
		{"plus sign", "+1", "USD", money.Money{}, bad},
		{"exponent", "1e3", "USD", money.Money{}, bad},
		{"empty", "", "USD", money.Money{}, bad},
		{"blank", "  ", "USD", money.Money{}, bad},
		{"no integer part", ".5", "USD", money.Money{}, bad},
		{"no fraction after dot", "5.", "USD", money.Money{}, bad},
		{"thousands separator", "1,000", "USD", money.Money{}, bad},
		{"two dots", "1.2.3", "USD", money.Money{}, bad},
		{"inner space", "12 34", "USD", money.Money{}, bad},
		{"hex", "0x10", "USD", money.Money{}, bad},
		{"words", "ten", "USD", money.Money{}, bad},
		{"largest USD", "92233720368547758.07", "USD", usd(math.MaxInt64), ok},
		{"USD overflowing int64", "92233720368547758.08", "USD", money.Money{}, bad},
		{"JPY overflowing int64", "9223372036854775808", "JPY", money.Money{}, bad},
		{"far too large", "99999999999999999999999999", "JPY", money.Money{}, bad},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := money.Parse(tc.in, tc.cur)
			switch tc.outcome {
			case ok:
				if err != nil {
					t.Fatalf("Parse(%q, %q): got error %v, want %v", tc.in, tc.cur, err, tc.want)
				}
				if got != tc.want {
					t.Errorf("Parse(%q, %q): got %+v, want %+v", tc.in, tc.cur, got, tc.want)
				}
			default:
				if err == nil {
					t.Fatalf("Parse(%q, %q): got %+v, want an error", tc.in, tc.cur, got)
				}
				if isUnknown := errors.Is(err, money.ErrUnknownCurrency); isUnknown != (tc.outcome == unknown) {
					t.Errorf("Parse(%q, %q): got error %v (ErrUnknownCurrency %v), want ErrUnknownCurrency %v",
						tc.in, tc.cur, err, isUnknown, tc.outcome == unknown)
				}
				if got != (money.Money{}) {
					t.Errorf("Parse(%q, %q): got %+v with the error, want the zero Money", tc.in, tc.cur, got)
				}
			}
		})
	}
}

func TestExponent(t *testing.T) {
	tests := []struct {
		cur    string
		want   int
		wantOK bool
	}{
		{"USD", 2, true}, {"EUR", 2, true}, {"JPY", 0, true}, {"KRW", 0, true},
		{"BHD", 3, true}, {"KWD", 3, true}, {"CLF", 4, true},
		{"XXX", 0, false}, {"usd", 0, false}, {"", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.cur, func(t *testing.T) {
			got, ok := money.Exponent(tc.cur)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("Exponent(%q): got %d, %v, want %d, %v", tc.cur, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestMoneyDecimalAndString(t *testing.T) {
	tests := []struct {
		name        string
		m           money.Money
		wantDecimal string
	}{
		{"USD thousands", usd(100000), "1000.00"},
		{"USD cents", usd(1234), "12.34"},
		{"USD zero", usd(0), "0.00"},
		{"USD five cents", usd(5), "0.05"},
		{"USD fifty cents", usd(50), "0.50"},
		{"USD one dollar", usd(100), "1.00"},
		{"USD negative", usd(-123456), "-1234.56"},
		{"USD small negative", usd(-5), "-0.05"},
		{"USD largest", usd(math.MaxInt64), "92233720368547758.07"},
		{"USD smallest", usd(math.MinInt64), "-92233720368547758.08"},
		{"JPY", jpy(1000), "1000"},
		{"JPY zero", jpy(0), "0"},
		{"JPY negative", jpy(-7), "-7"},
		{"BHD", moneyOf("BHD", 1234), "1.234"},
		{"BHD one fils", moneyOf("BHD", 1), "0.001"},
		{"BHD negative fils", moneyOf("BHD", -1), "-0.001"},
		{"KWD", moneyOf("KWD", 12000), "12.000"},
		{"CLF", moneyOf("CLF", 12345), "1.2345"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.m.Decimal(); got != tc.wantDecimal {
				t.Errorf("%+v.Decimal(): got %q, want %q", tc.m, got, tc.wantDecimal)
			}
			if got, want := tc.m.String(), tc.wantDecimal+" "+tc.m.Currency; got != want {
				t.Errorf("%+v.String(): got %q, want %q", tc.m, got, want)
			}
			if tc.m.Minor < 0 {
				return
			}
			back, err := money.Parse(tc.m.Decimal(), tc.m.Currency)
			if err != nil || back != tc.m {
				t.Errorf("Parse(%q, %q): got %+v, %v, want %+v back", tc.m.Decimal(), tc.m.Currency, back, err, tc.m)
			}
		})
	}
}

func TestMoneyAdd(t *testing.T) {
	tests := []struct {
		name    string
		a, b    money.Money
		want    money.Money
		wantErr bool
		// overflow: the error wraps ErrOverflow.
		overflow bool
	}{
		{"sum", usd(1050), usd(250), usd(1300), false, false},
		{"negative", usd(1050), usd(-2000), usd(-950), false, false},
		{"zero", jpy(0), jpy(0), jpy(0), false, false},
		{"up to the largest", usd(math.MaxInt64 - 1), usd(1), usd(math.MaxInt64), false, false},
		{"down to the smallest", usd(math.MinInt64 + 1), usd(-1), usd(math.MinInt64), false, false},
		{"extremes cancel", usd(math.MaxInt64), usd(math.MinInt64), usd(-1), false, false},
		{"currency mismatch", usd(100), eur(100), money.Money{}, true, false},
		{"currency mismatch with zero", usd(0), jpy(0), money.Money{}, true, false},
		{"overflow", usd(math.MaxInt64), usd(1), money.Money{}, true, true},
		{"overflow of two halves", usd(math.MaxInt64/2 + 1), usd(math.MaxInt64/2 + 1), money.Money{}, true, true},
		{"underflow", usd(math.MinInt64), usd(-1), money.Money{}, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.a.Add(tc.b)
			if tc.wantErr {
				if err == nil {
					t.Errorf("%v.Add(%v): got %+v, want an error", tc.a, tc.b, got)
				} else if errors.Is(err, money.ErrOverflow) != tc.overflow {
					t.Errorf("%v.Add(%v): got %v, want ErrOverflow %v", tc.a, tc.b, err, tc.overflow)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("%v.Add(%v): got %+v, %v, want %+v", tc.a, tc.b, got, err, tc.want)
			}
		})
	}
}

func usd(minor int64) money.Money                 { return money.Money{Currency: "USD", Minor: minor} }
func jpy(minor int64) money.Money                 { return money.Money{Currency: "JPY", Minor: minor} }
func eur(minor int64) money.Money                 { return money.Money{Currency: "EUR", Minor: minor} }
func moneyOf(cur string, minor int64) money.Money { return money.Money{Currency: cur, Minor: minor} }
