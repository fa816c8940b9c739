package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/mppwallet/mppwallet/wallet"
)

// field writes one labelled row of a detail page; an empty value is left
// out.
func field(b *strings.Builder, st Styles, label, value string) {
	if value != "" {
		fmt.Fprintf(b, "%s %s\n", st.Muted.Render(fmt.Sprintf("%-16s", label)), value)
	}
}

// confirmView asks about a payment waiting for the user's answer, a pay
// callback held for y/n as much as a scanned order: what the merchant
// asks, in which store and for what, the FX conversion when the wallet
// pays in another currency, and until when the answer is awaited.
func confirmView(st Styles, o wallet.PayOrder, width int) string {
	var b strings.Builder
	b.WriteString(st.Title.Render(trunc(fmt.Sprintf("Pay %s to %s?", o.PaymentAmount, o.Merchant.Name), max(20, width))) + "\n\n")
	field(&b, st, "Store", o.Merchant.StoreName)
	field(&b, st, "Order", o.OrderDescription)
	if o.Amount.Currency != o.PaymentAmount.Currency {
		field(&b, st, "Charged", st.Amount.Render(o.Amount.String()))
		if o.Quote.Price != "" {
			field(&b, st, "Rate", o.Quote.Price+" "+o.Quote.CurrencyPair)
		}
	}
	if !o.ExpiresAt.IsZero() {
		field(&b, st, "Answer before", o.ExpiresAt.Local().Format(time.TimeOnly))
	}
	return b.String()
}

// heldOrder is what a payment held for confirmation asks the user.
func heldOrder(p wallet.Payment) wallet.PayOrder {
	return wallet.PayOrder{Amount: p.Amount, PaymentAmount: p.PaymentAmount, Quote: p.Quote, Merchant: p.Merchant,
		OrderDescription: p.OrderDescription, ExpiresAt: p.ExpiresAt}
}
