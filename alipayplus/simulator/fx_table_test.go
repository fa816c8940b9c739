package simulator

import (
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/internal/money"
)

// TestDefaultFXCoversEveryCurrency: every ISO 4217 currency the ledger
// accepts has a rate, so no merchant currency fails for want of one.
func TestDefaultFXCoversEveryCurrency(t *testing.T) {
	rates := DefaultFX().Rates()
	n := 0
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			for c := 'A'; c <= 'Z'; c++ {
				code := string([]rune{a, b, c})
				if _, ok := money.Exponent(code); !ok {
					continue
				}
				n++
				if rates[code] == "" {
					t.Errorf("no FX rate for %s", code)
				}
			}
		}
	}
	if n < 150 || len(rates) != n {
		t.Errorf("%d currencies, %d rates", n, len(rates))
	}
	if rates["USD"] != "1" || rates["JPY"] != "150" || rates["BHD"] != "0.376" {
		t.Errorf("rates USD %s JPY %s BHD %s", rates["USD"], rates["JPY"], rates["BHD"])
	}
}

func TestFXOverrides(t *testing.T) {
	cases := []struct {
		name, raw, want string // want: an error piece, or "" for valid
	}{
		{"one rate", `{"ratesPerUSD":{"ZAR":"20"}}`, ""},
		{"with about", `{"about":"mine","ratesPerUSD":{"ZAR":"20","EUR":"0.9"}}`, ""},
		{"not ISO", `{"ratesPerUSD":{"XYZ":"2"}}`, "not an ISO 4217 currency"},
		{"zero", `{"ratesPerUSD":{"ZAR":"0"}}`, "positive decimal"},
		{"negative", `{"ratesPerUSD":{"ZAR":"-3"}}`, "positive decimal"},
		{"fraction", `{"ratesPerUSD":{"ZAR":"1/3"}}`, "positive decimal"},
		{"number", `{"ratesPerUSD":{"ZAR":18.2}}`, "ratesPerUSD"},
		{"USD moved", `{"ratesPerUSD":{"USD":"2"}}`, "USD must be 1"},
		{"flat object", `{"ZAR":"20"}`, "unknown field"},
		{"no rates", `{}`, "no \"ratesPerUSD\""},
		{"not JSON", `ZAR=20`, "want {"},
	}
	base := DefaultFX()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := base.With([]byte(c.raw))
			if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
				t.Fatalf("With = %v, want %q", err, c.want)
			}
			if err != nil {
				return
			}
			if f.Rates()["ZAR"] != "20" || f.Rates()["JPY"] != "150" {
				t.Errorf("ZAR %s JPY %s: want the override and the rest kept", f.Rates()["ZAR"], f.Rates()["JPY"])
			}
			got, q, err := f.Convert(money.Money{Minor: 2000, Currency: "ZAR"}, "USD", "Q1")
			if err != nil || got.Minor != 100 || q.QuotePrice != "0.0500" {
				t.Errorf("20.00 ZAR = %v (quote %+v, %v), want 1.00 USD at 0.05", got, q, err)
			}
		})
	}
	if base.Rates()["ZAR"] != "18.2" {
		t.Errorf("With changed the table it was called on: ZAR %s", base.Rates()["ZAR"])
	}
}
