package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/mppwallet/mppwallet/wallet"
)

// timeLayout is how the app shows a moment: date, time and zone, so a
// screenshot or a demo across time zones is not ambiguous.
const timeLayout = "2006-01-02 15:04:05 MST"

// resultView draws the payment result page; long messages wrap at width.
func resultView(st Styles, p wallet.Payment, note string, width int) string {
	width = max(20, width)
	var b strings.Builder
	switch p.Status {
	case wallet.StatusSucceeded:
		b.WriteString(st.Success.Render("✔ Payment successful") + "\n\n")
	case wallet.StatusProcessing:
		b.WriteString(st.Warn.Render("… Payment in process") + "\n\n")
	case wallet.StatusCancelled:
		b.WriteString(st.Error.Render("✘ Payment cancelled") + "\n")
		b.WriteString(st.Error.Render(ansi.Wrap("Alipay+ closed the payment; anything debited went back.", width, "")) + "\n\n")
	default:
		b.WriteString(st.Error.Render("✘ Payment failed") + "\n")
		b.WriteString(st.Error.Render(ansi.Wrap(string(p.ResultCode)+": "+p.ResultCode.Message(), width, "")) + "\n\n")
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
		row("Time", t.Local().Format(timeLayout))
	}
	row("Payment ID", p.PaymentID)
	if note != "" {
		b.WriteString("\n" + st.Warn.Render(ansi.Wrap(note, width, "")) + "\n")
	}
	return b.String()
}
