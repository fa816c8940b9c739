package pos

import (
	"errors"
	"strings"

	"github.com/mppwallet/mppwallet/internal/money"
)

// ParseAmount reads an amount typed at the till: a decimal in currency
// ("12.50"), or a decimal and an ISO 4217 code either way round ("1500
// JPY", "JPY 1500"). It must be more than zero.
func ParseAmount(s, currency string) (money.Money, error) {
	f := strings.Fields(s)
	dec := ""
	switch len(f) {
	case 1:
		dec = f[0]
	case 2:
		dec, currency = f[0], f[1]
		if !startsWithDigit(dec) {
			dec, currency = f[1], f[0]
		}
	default:
		return money.Money{}, errors.New("want an amount such as 12.50 or 1500 JPY")
	}
	m, err := money.Parse(dec, currency)
	if err != nil {
		return money.Money{}, err
	}
	if m.Minor <= 0 {
		return money.Money{}, errors.New("the amount must be more than zero")
	}
	return m, nil
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }
