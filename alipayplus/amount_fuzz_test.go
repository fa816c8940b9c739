package alipayplus_test

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/money"
)

// Fuzz target for wire amounts. Run it with:
//
//	go test ./alipayplus -run '^$' -fuzz '^FuzzAmountMoney$' -fuzztime 10m -parallel 1

// FuzzAmountMoney checks Amount.Money against an exact oracle: it accepts
// exactly a known ISO 4217 code (as written: no case folding on the wire)
// with a value of ASCII digits only (no sign, point, exponent or space)
// that fits in int64, and the minor units are that integer. An accepted
// amount goes back to the wire (AmountOf) as the same number without
// leading zeros, survives a JSON round trip through Decode, and String
// shows it with the currency's decimal places.
func FuzzAmountMoney(f *testing.F) {
	for _, s := range []struct{ currency, value string }{
		{"JPY", "100"}, {"KRW", "1000"}, {"USD", "1234"}, {"KWD", "1234"}, {"BHD", "5"}, {"CLF", "12345"},
		{"USD", "0"}, {"USD", "007"}, {"USD", "12.34"}, {"USD", "-5"}, {"USD", "+5"}, {"USD", "1e3"},
		{"USD", ""}, {"USD", " 5"}, {"USD", "9223372036854775807"}, {"USD", "9223372036854775808"},
		{"XYZ", "1"}, {"usd", "1"}, {"", "1"}, {"JPY", "١٢"}, {"JPY", "0x10"},
	} {
		f.Add(s.currency, s.value)
	}
	f.Fuzz(func(t *testing.T, currency, value string) {
		a := alipayplus.Amount{Currency: currency, Value: value}
		m, err := a.Money()
		_, known := money.Exponent(currency)
		n, isInt := new(big.Int).SetString(value, 10)
		want := known && value != "" && strings.Trim(value, "0123456789") == "" && isInt && n.IsInt64()
		if (err == nil) != want {
			t.Fatalf("Amount{%q, %q}.Money() = %+v, %v; want ok=%v", currency, value, m, err, want)
		}
		if err != nil {
			if m != (money.Money{}) {
				t.Fatalf("error %v with a non-zero Money %+v", err, m)
			}
			if a.String() != value+" "+currency {
				t.Fatalf("String of a bad amount = %q", a.String())
			}
			return
		}
		if m.Currency != currency || m.Minor != n.Int64() || m.Minor < 0 {
			t.Fatalf("Amount{%q, %q}.Money() = %+v, want %s %s", currency, value, m, currency, n)
		}
		back := alipayplus.AmountOf(m)
		if back.Currency != currency || back.Value != n.String() {
			t.Fatalf("AmountOf(%+v) = %+v, want value %s", m, back, n)
		}
		body, err := json.Marshal(struct {
			A *alipayplus.Amount `json:"paymentAmount"`
		}{back})
		if err != nil {
			t.Fatal(err)
		}
		var req alipayplus.PayRequest
		if vs, err := alipayplus.Decode(body, &req); err != nil || len(vs) != 0 || req.PaymentAmount == nil || *req.PaymentAmount != *back {
			t.Fatalf("JSON round trip of %s: %+v, %v, %v", body, req.PaymentAmount, vs, err)
		}
		if a.String() != m.String() || !strings.HasSuffix(a.String(), " "+currency) {
			t.Fatalf("String = %q, want %q", a.String(), m.String())
		}
	})
}
