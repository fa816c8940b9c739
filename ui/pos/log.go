package pos

import (
	"fmt"
	"strings"
	"time"

	"github.com/mppwallet/mppwallet/internal/money"
)

// entry is one line of the till log.
type entry struct {
	at time.Time
	// word is the first column: the sale's status, or what happened
	// (BAD SCAN, REFUND, VOIDED, REFUSED, ERROR, QUEUED).
	word string
	// amount is the money the line is about (zero for a note).
	amount money.Money
	// code is the masked payment code, when there is one.
	code string
	// detail is the rest: result code, payment id, a reason.
	detail string
	role   role
}

// row formats the entry in the log's columns.
func (e entry) row() string {
	amt := ""
	if e.amount.Currency != "" {
		amt = e.amount.String()
	}
	return strings.TrimRight(fmt.Sprintf("%s %-9s %12s  %-12s  %s", e.at.Format(time.TimeOnly), e.word, amt, e.code, e.detail), " ")
}

// saleEntry is the log line of a sale that landed.
func saleEntry(at time.Time, s Sale) entry {
	e := entry{at: at, word: string(s.Status), amount: s.Amount, code: Mask(s.Code), role: statusRole(s.Status)}
	var parts []string
	if s.ResultCode != string(s.Status) {
		parts = append(parts, s.ResultCode)
	}
	if s.PaymentID != "" {
		parts = append(parts, s.PaymentID)
	} else if s.ResultMessage != "" {
		parts = append(parts, s.ResultMessage)
	}
	e.detail = strings.TrimSpace(strings.Join(parts, "  "))
	return e
}

func statusRole(s Status) role {
	switch s {
	case StatusSuccess:
		return roleOK
	case StatusProcessing:
		return roleWarn
	case StatusRefunded, StatusCancelled:
		return roleMuted
	}
	return roleBad
}

// till is the running total: sales paid and failed, and what is in the
// drawer per currency (paid, less refunds and voids), in the order the
// currencies were first taken.
type till struct {
	paid, failed int
	totals       []money.Money
}

// add puts minor units of currency into (or, negative, out of) the total.
func (t *till) add(m money.Money) {
	for i := range t.totals {
		if t.totals[i].Currency == m.Currency {
			t.totals[i].Minor += m.Minor
			return
		}
	}
	t.totals = append(t.totals, m)
}

// String is the total for the header, e.g. "2 paid · 25.00 USD · 1 failed".
func (t till) String() string {
	parts := []string{fmt.Sprintf("%d paid", t.paid)}
	for _, m := range t.totals {
		parts = append(parts, m.String())
	}
	if len(t.totals) == 0 {
		parts = append(parts, "nothing taken")
	}
	if t.failed > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", t.failed))
	}
	return strings.Join(parts, " · ")
}

// plural is n and the noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
