package ui

import (
	"strings"
	"time"

	"github.com/mppwallet/mppwallet/wallet"
)

// resultView draws the payment result page.
func resultView(st Styles, p wallet.Payment, note string) string {
	var b strings.Builder
	switch p.Status {
	case wallet.StatusSucceeded:
		b.WriteString(st.Success.Render("✔ Payment successful") + "\n\n")
	case wallet.StatusProcessing:
		b.WriteString(st.Warn.Render("… Payment in process") + "\n\n")
	default:
		b.WriteString(st.Error.Render("✘ Payment failed") + "\n")
		b.WriteString(st.Error.Render(string(p.ResultCode)+": "+p.ResultCode.Message()) + "\n\n")
	}
	row := func(k, v string) { field(&b, st, k, v) }
	paid, charged := "Paid", "Charged"
	if p.Status != wallet.StatusSucceeded {
		paid, charged = "Amount", "In your currency"
	}
	row(paid, st.Amount.Render(p.PaymentAmount.String()))
	if p.Amount.Currency != p.PaymentAmount.Currency || p.PaymentAmount.Currency == "" {
		row(charged, st.Amount.Render(p.Amount.String()))
		if p.Quote.Price != "" {
			row("Rate", p.Quote.Price+" "+p.Quote.CurrencyPair)
		}
	}
	row("Merchant", p.Merchant.Name)
	row("Store", p.Merchant.StoreName)
	t := p.PaidAt
	if t.IsZero() {
		t = p.UpdatedAt
	}
	if !t.IsZero() {
		row("Time", t.Local().Format(time.DateTime))
	}
	row("Payment ID", p.PaymentID)
	if note != "" {
		b.WriteString("\n" + st.Warn.Render(note) + "\n")
	}
	return b.String()
}
