package cli

import (
	"fmt"
	"sort"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

// difference is one payment on which the network (the simulator) and the
// wallet's ledger disagree.
type difference struct {
	PaymentRequestID string `json:"paymentRequestId"`
	PaymentID        string `json:"paymentId,omitempty"`
	CustomerID       string `json:"customerId,omitempty"`
	// Network and Wallet are each side's status ("" when that side has no
	// such payment).
	Network string `json:"network"`
	Wallet  string `json:"wallet"`
	// What says how they differ, for people.
	What string `json:"what"`
	// Cause is the simulator's own note when a fault made the difference.
	Cause string `json:"cause,omitempty"`
}

// reconcileReport is what reconcile found.
type reconcileReport struct {
	// Checked counts the payments compared; InFlight those left out
	// because the network has no final result yet.
	Checked     int          `json:"checked"`
	InFlight    int          `json:"inFlight"`
	Differences []difference `json:"differences"`
}

// reconcile compares the simulator's view of every payment with the
// wallet's ledger: status, the amount the wallet debited, and what was
// refunded. Wallet payments the simulator never saw count only when they
// are newer than its oldest payment (a restarted simulator forgets).
func reconcile(network []simulator.Payment, ledger []wallet.Payment) reconcileReport {
	rep := reconcileReport{Differences: []difference{}}
	byID := make(map[string]wallet.Payment, len(ledger))
	for _, p := range ledger {
		byID[p.RequestID] = p
	}
	seen := map[string]bool{}
	var oldest time.Time
	for _, n := range network {
		seen[n.RequestID] = true
		if oldest.IsZero() || n.CreatedAt.Before(oldest) {
			oldest = n.CreatedAt
		}
		if !n.Final() {
			rep.InFlight++
			continue
		}
		rep.Checked++
		w, ok := byID[n.RequestID]
		if what := compareOne(n, w, ok); what != "" {
			d := difference{PaymentRequestID: n.RequestID, PaymentID: n.PaymentID, CustomerID: n.CustomerID,
				Network: string(n.Status), What: what, Cause: n.Disagreement}
			if ok {
				d.Wallet = string(w.Status)
			}
			rep.Differences = append(rep.Differences, d)
		}
	}
	for _, w := range ledger {
		if seen[w.RequestID] || oldest.IsZero() || w.CreatedAt.Before(oldest) {
			continue
		}
		rep.Checked++
		if w.Status == wallet.StatusSucceeded {
			rep.Differences = append(rep.Differences, difference{PaymentRequestID: w.RequestID, PaymentID: w.PaymentID,
				CustomerID: w.CustomerID, Wallet: string(w.Status),
				What: fmt.Sprintf("the wallet debited %s, the network has no such payment", w.Amount)})
		}
	}
	sort.Slice(rep.Differences, func(i, j int) bool { return rep.Differences[i].PaymentRequestID < rep.Differences[j].PaymentRequestID })
	return rep
}

// compareOne says how a final network payment and the wallet's record of
// it differ ("" when they agree).
func compareOne(n simulator.Payment, w wallet.Payment, inLedger bool) string {
	switch n.Status {
	case simulator.StatusSuccess:
		if !inLedger {
			return "the network paid it, the wallet's ledger has no such payment"
		}
		if w.Status != wallet.StatusSucceeded {
			return fmt.Sprintf("the network paid it, the wallet's ledger says %s", w.Status)
		}
		if payTo, err := n.PayToAmount.Money(); err == nil && payTo != w.Amount {
			return fmt.Sprintf("the network charged %s, the wallet debited %s", payTo, w.Amount)
		}
		if refunded := networkRefunded(n); refunded != w.RefundedPayment {
			return fmt.Sprintf("the network refunded %d, the wallet %d (minor units of %s)", refunded, w.RefundedPayment, n.Amount.Currency)
		}
	case simulator.StatusFail, simulator.StatusCancelled:
		if !inLedger {
			return ""
		}
		switch {
		case w.Status == wallet.StatusSucceeded && w.Refunded < w.Amount.Minor:
			kept := money.Money{Minor: w.Amount.Minor - w.Refunded, Currency: w.Amount.Currency}
			return fmt.Sprintf("the network says %s %s, the wallet kept %s", n.Status, n.Result.ResultCode, kept)
		case w.Status == wallet.StatusProcessing:
			return fmt.Sprintf("the network says %s, the wallet still holds the payment", n.Status)
		}
	}
	return ""
}

// networkRefunded is what the network's successful refunds add up to, in
// the payment's (merchant's) minor units.
func networkRefunded(n simulator.Payment) int64 {
	var sum int64
	for _, r := range n.Refunds {
		if r.Status == alipayplus.StatusSuccess {
			if m, err := r.Amount.Money(); err == nil {
				sum += m.Minor
			}
		}
	}
	return sum
}
