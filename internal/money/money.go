// Package money is the value type both sides of the network use for an
// amount: an ISO 4217 currency and an integer count of its minor units,
// with parsing and formatting. It never holds a float.
package money

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Money is an amount in a currency's minor units (cents for USD, yen for
// JPY, fils for BHD). It never holds a float.
type Money struct {
	// Currency is the ISO 4217 alphabetic code, upper case.
	Currency string
	// Minor is the amount in minor units.
	Minor int64
}

// ErrUnknownCurrency reports a currency code that is not in ISO 4217.
var ErrUnknownCurrency = errors.New("unknown currency")

// exponents holds the ISO 4217 minor-unit exponent of every currency whose
// exponent is not 2.
var exponents = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
	"PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	"CLF": 4, "UYW": 4,
}

// twoDecimal lists the active ISO 4217 currencies with two decimal places.
const twoDecimal = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL " +
	"BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN " +
	"ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS " +
	"KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV " +
	"MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG " +
	"SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN " +
	"UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG"

func init() {
	for _, c := range strings.Fields(twoDecimal) {
		exponents[c] = 2
	}
}

// Exponent returns the number of minor-unit digits of an ISO 4217 currency
// (0 for JPY, 2 for USD, 3 for BHD) and whether the currency is known.
func Exponent(currency string) (int, bool) {
	e, ok := exponents[currency]
	return e, ok
}

// Parse reads a decimal amount such as "1000.00" or "12" in the given
// currency. It rejects more decimals than the currency has, signs, and
// amounts that do not fit in int64 minor units.
func Parse(decimal, currency string) (Money, error) {
	currency = strings.ToUpper(strings.TrimSpace(currency))
	exp, ok := Exponent(currency)
	if !ok {
		return Money{}, fmt.Errorf("%w %q", ErrUnknownCurrency, currency)
	}
	s := strings.TrimSpace(decimal)
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" || !allDigits(intPart) || (hasDot && (frac == "" || !allDigits(frac))) {
		return Money{}, fmt.Errorf("amount %q: want digits with an optional decimal point, like 12.34", decimal)
	}
	if len(frac) > exp {
		return Money{}, fmt.Errorf("amount %q: %s has %d decimal places", decimal, currency, exp)
	}
	frac += strings.Repeat("0", exp-len(frac))
	v, err := strconv.ParseInt(intPart+frac, 10, 64)
	if err != nil {
		return Money{}, fmt.Errorf("amount %q is too large", decimal)
	}
	return Money{Currency: currency, Minor: v}, nil
}

// Decimal formats the amount with the currency's decimal places, e.g.
// "1000.00" for USD or "1000" for JPY.
func (m Money) Decimal() string {
	exp, ok := Exponent(m.Currency)
	if !ok || exp == 0 {
		return strconv.FormatInt(m.Minor, 10)
	}
	neg := m.Minor < 0
	var u uint64
	if neg {
		u = uint64(-(m.Minor + 1)) + 1 // safe for math.MinInt64
	} else {
		u = uint64(m.Minor)
	}
	digits := strconv.FormatUint(u, 10)
	if len(digits) <= exp {
		digits = strings.Repeat("0", exp-len(digits)+1) + digits
	}
	out := digits[:len(digits)-exp] + "." + digits[len(digits)-exp:]
	if neg {
		out = "-" + out
	}
	return out
}

// String formats the amount as "12.34 USD".
func (m Money) String() string { return m.Decimal() + " " + m.Currency }

// Add returns m+o; both must be in the same currency and the sum must fit
// in int64 (an error wrapping ErrOverflow when it does not).
func (m Money) Add(o Money) (Money, error) {
	if m.Currency != o.Currency {
		return Money{}, fmt.Errorf("cannot add %s to %s", o.Currency, m.Currency)
	}
	sum, err := AddMinor(m.Minor, o.Minor)
	if err != nil {
		return Money{}, fmt.Errorf("%s + %s: %w", m, o, err)
	}
	return Money{Currency: m.Currency, Minor: sum}, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
