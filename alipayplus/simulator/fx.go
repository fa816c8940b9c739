package simulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/assets"
	"github.com/mppwallet/mppwallet/internal/money"
)

// CodeCurrencyNotSupport declines a payment in a currency the FX table
// cannot convert.
const CodeCurrencyNotSupport = "CURRENCY_NOT_SUPPORT"

// ratesFile is the shape of the FX table: assets/fx-rates.json, and the
// overrides of 'sim --fx-rates FILE' and DATA/fx-rates.json.
type ratesFile struct {
	About string `json:"about,omitempty"`
	// RatesPerUSD is units of each currency per 1 USD, as decimals.
	RatesPerUSD map[string]string `json:"ratesPerUSD"`
}

// FX converts between currencies with quotes, as Alipay+ does when the
// merchant's and the wallet's currencies differ.
type FX struct {
	rates map[string]*big.Rat
}

// DefaultFX returns the built-in table (assets/fx-rates.json): every ISO
// 4217 currency the ledger accepts, at approximate rates.
func DefaultFX() *FX {
	f, err := (&FX{rates: map[string]*big.Rat{}}).With(assets.FXRates)
	if err != nil {
		panic("assets/fx-rates.json: " + err.Error())
	}
	return f
}

// With returns a copy of the table with the rates of raw (the shape of
// assets/fx-rates.json) added or replaced. Every rate must be a positive
// decimal of an ISO 4217 currency; nothing is changed on an error.
func (f *FX) With(raw []byte) (*FX, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var rf ratesFile
	if err := dec.Decode(&rf); err != nil {
		return nil, fmt.Errorf(`FX rates: want {"ratesPerUSD":{"ZAR":"18.2",...}}: %v`, err)
	}
	if rf.RatesPerUSD == nil {
		return nil, fmt.Errorf(`FX rates: no "ratesPerUSD" object`)
	}
	return f.withRates(rf.RatesPerUSD)
}

// NewFX returns a table of exactly these rates (units per 1 USD, as
// decimals; USD must be 1).
func NewFX(ratesPerUSD map[string]string) (*FX, error) {
	return (&FX{rates: map[string]*big.Rat{}}).withRates(ratesPerUSD)
}

// withRates is a copy of f with rates added or replaced.
func (f *FX) withRates(rates map[string]string) (*FX, error) {
	out := &FX{rates: make(map[string]*big.Rat, len(f.rates)+len(rates))}
	for c, r := range f.rates {
		out.rates[c] = r
	}
	for c, r := range rates {
		if _, ok := money.Exponent(c); !ok {
			return nil, fmt.Errorf("FX rates: %q is not an ISO 4217 currency", c)
		}
		v, ok := new(big.Rat).SetString(r)
		if !ok || v.Sign() <= 0 || strings.ContainsAny(r, "/eE") {
			return nil, fmt.Errorf("FX rates: %s %q: want a positive decimal such as \"18.2\"", c, r)
		}
		out.rates[c] = v
	}
	if r, ok := out.rates["USD"]; !ok || r.Cmp(big.NewRat(1, 1)) != 0 {
		return nil, fmt.Errorf("FX rates: USD must be 1 (the rates are per 1 USD)")
	}
	return out, nil
}

// Rates returns the table as decimals per 1 USD.
func (f *FX) Rates() map[string]string {
	out := make(map[string]string, len(f.rates))
	for c, r := range f.rates {
		s := strings.TrimRight(r.FloatString(8), "0")
		out[c] = strings.TrimSuffix(s, ".")
	}
	return out
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
		return nil, "", fmt.Errorf("Alipay+ has no FX rate between %s and %s", from, to)
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
