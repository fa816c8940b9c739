package alipayplus

import (
	"fmt"
	"strconv"

	"github.com/mppwallet/mppwallet/internal/money"
)

// Amount is the wire form of money: an ISO 4217 currency and an integer
// count of its minor units, as a string ({"currency":"JPY","value":"100"}).
// An empty field is left out rather than sent as "", which the body
// convention forbids.
type Amount struct {
	Currency string `json:"currency,omitempty"`
	Value    string `json:"value,omitempty"`
}

// AmountOf converts domain money to its wire form.
func AmountOf(m money.Money) *Amount {
	return &Amount{Currency: m.Currency, Value: strconv.FormatInt(m.Minor, 10)}
}

// Money parses the wire amount: a known currency and a non-negative integer
// of minor units that fits in int64. "12.34" is rejected: values carry no
// decimal point.
func (a Amount) Money() (money.Money, error) {
	if _, ok := money.Exponent(a.Currency); !ok {
		return money.Money{}, fmt.Errorf("currency %q is not an ISO 4217 code", a.Currency)
	}
	v := a.Value
	if v == "" {
		return money.Money{}, fmt.Errorf("value is required")
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return money.Money{}, fmt.Errorf("value %q is not a whole number of %s minor units", v, a.Currency)
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return money.Money{}, fmt.Errorf("value %q is too large", v)
	}
	return money.Money{Currency: a.Currency, Minor: n}, nil
}

// String formats the amount for people, e.g. "12.34 USD".
func (a Amount) String() string {
	m, err := a.Money()
	if err != nil {
		return a.Value + " " + a.Currency
	}
	return m.String()
}
