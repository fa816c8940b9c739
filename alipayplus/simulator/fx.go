package simulator

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/money"
)

// usdRates is the simulator's small FX table: units of each currency per
// 1 USD. Good enough for demos; not market data.
var usdRates = map[string]string{
	"USD": "1", "SGD": "1.35", "JPY": "150", "KRW": "1350", "PHP": "56", "HKD": "7.8", "EUR": "0.92",
	"GBP": "0.79", "CNY": "7.2", "MYR": "4.7", "THB": "36", "IDR": "15600", "VND": "25000", "AUD": "1.52",
	"TWD": "32", "INR": "83", "MOP": "8.05", "NZD": "1.65", "CHF": "0.88", "CAD": "1.36", "BHD": "0.376",
	"KWD": "0.307",
}

// FX converts between currencies with quotes, as Alipay+ does when the
// merchant's and the wallet's currencies differ.
type FX struct {
	rates map[string]*big.Rat
}

// DefaultFX returns the built-in table.
func DefaultFX() *FX {
	f := &FX{rates: map[string]*big.Rat{}}
	for c, r := range usdRates {
		v, _ := new(big.Rat).SetString(r)
		f.rates[c] = v
	}
	return f
}

// Currencies lists the currencies the table can convert.
func (f *FX) Currencies() []string {
	out := make([]string, 0, len(f.rates))
	for c := range f.rates {
		out = append(out, c)
	}
	return out
}

// price is how many units of to one unit of from buys, rounded to the 8
// decimals the quote carries (so anyone can redo the conversion from the
// quote alone).
func (f *FX) price(from, to string) (*big.Rat, string, error) {
	rf, ok1 := f.rates[from]
	rt, ok2 := f.rates[to]
	if !ok1 || !ok2 {
		return nil, "", fmt.Errorf("no FX rate between %s and %s", from, to)
	}
	p := new(big.Rat).Quo(rt, rf)
	s := p.FloatString(8)
	s = strings.TrimRight(s, "0")
	if i := strings.IndexByte(s, '.'); len(s)-i-1 < 4 {
		s += strings.Repeat("0", 4-(len(s)-i-1))
	}
	q, _ := new(big.Rat).SetString(s)
	return q, s, nil
}

// Convert returns amount in currency to, rounded half up to to's minor
// unit, and the quote it used (nil when the currencies are the same).
func (f *FX) Convert(amount money.Money, to string, quoteID string) (money.Money, *alipayplus.Quote, error) {
	if amount.Currency == to {
		return amount, nil, nil
	}
	p, ps, err := f.price(amount.Currency, to)
	if err != nil {
		return money.Money{}, nil, err
	}
	expFrom, _ := money.Exponent(amount.Currency)
	expTo, ok := money.Exponent(to)
	if !ok {
		return money.Money{}, nil, fmt.Errorf("unknown currency %s", to)
	}
	// minorTo = minorFrom / 10^expFrom * price * 10^expTo
	v := new(big.Rat).SetInt64(amount.Minor)
	v.Mul(v, p)
	v.Mul(v, new(big.Rat).SetFrac(pow10(expTo), pow10(expFrom)))
	// round half up
	num := new(big.Int).Mul(v.Num(), big.NewInt(2))
	num.Add(num, v.Denom())
	den := new(big.Int).Mul(v.Denom(), big.NewInt(2))
	n := new(big.Int).Quo(num, den)
	if !n.IsInt64() {
		return money.Money{}, nil, fmt.Errorf("%s is too large to convert", amount)
	}
	q := &alipayplus.Quote{QuoteID: quoteID, QuoteCurrencyPair: amount.Currency + "/" + to, QuotePrice: ps}
	return money.Money{Currency: to, Minor: n.Int64()}, q, nil
}

func pow10(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }
