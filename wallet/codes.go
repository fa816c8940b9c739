package wallet

import "time"

// PaymentCode is a User-presented Mode code the wallet holds: Alipay+ issues
// the value, the wallet only shows, rotates and retires it.
type PaymentCode struct {
	Value     string
	ValidFrom time.Time
	ExpiresAt time.Time
	// Used is set once a payment came in for the code.
	Used bool
}

// ValidAt reports whether the code may be shown at t.
func (c PaymentCode) ValidAt(t time.Time) bool {
	return !c.Used && !t.Before(c.ValidFrom) && t.Before(c.ExpiresAt)
}

// CodeToShow picks the code to show at t: among the unused codes valid at t,
// the one that became valid last (so the display moves to the next code as
// soon as it starts, inside the 30 s overlap, never showing an expired one).
func CodeToShow(codes []PaymentCode, t time.Time) (PaymentCode, bool) {
	var best PaymentCode
	found := false
	for _, c := range codes {
		if c.ValidAt(t) && (!found || c.ValidFrom.After(best.ValidFrom)) {
			best, found = c, true
		}
	}
	return best, found
}

// UsableAfter counts the codes that are unused and not yet expired at t.
func UsableAfter(codes []PaymentCode, t time.Time) int {
	n := 0
	for _, c := range codes {
		if !c.Used && t.Before(c.ExpiresAt) {
			n++
		}
	}
	return n
}
