package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

func TestReconcileFindsEachKindOfDifference(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	usd := func(minor int64) money.Money { return money.Money{Minor: minor, Currency: "USD"} }
	net := func(id string, st simulator.PaymentStatus, minor int64, edit ...func(*simulator.Payment)) simulator.Payment {
		p := simulator.Payment{RequestID: id, Status: st, CreatedAt: t0, Amount: *alipayplus.AmountOf(usd(minor)),
			PayToAmount: *alipayplus.AmountOf(usd(minor)), Result: alipayplus.Failure("RISK_REJECT", "")}
		for _, e := range edit {
			e(&p)
		}
		return p
	}
	led := func(id string, st wallet.Status, minor int64, edit ...func(*wallet.Payment)) wallet.Payment {
		p := wallet.Payment{RequestID: id, Status: st, Amount: usd(minor), CreatedAt: t0.Add(time.Second)}
		for _, e := range edit {
			e(&p)
		}
		return p
	}
	refunded := func(minor int64) func(*simulator.Payment) {
		return func(p *simulator.Payment) {
			p.Refunds = append(p.Refunds, simulator.Refund{Amount: *alipayplus.AmountOf(usd(minor)), Status: "S"},
				simulator.Refund{Amount: *alipayplus.AmountOf(usd(999)), Status: "F"})
		}
	}
	cases := []struct {
		name    string
		network []simulator.Payment
		ledger  []wallet.Payment
		want    string // "" = agree; else a piece of the one difference's What
	}{
		{"paid on both sides", []simulator.Payment{net("A", simulator.StatusSuccess, 500)}, []wallet.Payment{led("A", wallet.StatusSucceeded, 500)}, ""},
		{"declined on both sides", []simulator.Payment{net("A", simulator.StatusFail, 500)}, []wallet.Payment{led("A", wallet.StatusFailed, 500)}, ""},
		{"declined, never reached the wallet", []simulator.Payment{net("A", simulator.StatusFail, 500)}, nil, ""},
		{"refunds agree", []simulator.Payment{net("A", simulator.StatusSuccess, 500, refunded(200))},
			[]wallet.Payment{led("A", wallet.StatusSucceeded, 500, func(p *wallet.Payment) { p.Refunded, p.RefundedPayment = 200, 200 })}, ""},
		{"in flight is left out", []simulator.Payment{net("A", simulator.StatusProcessing, 500)}, []wallet.Payment{led("A", wallet.StatusSucceeded, 500)}, ""},
		{"older wallet payments are left out", []simulator.Payment{net("A", simulator.StatusSuccess, 500)},
			[]wallet.Payment{led("A", wallet.StatusSucceeded, 500), led("OLD", wallet.StatusSucceeded, 100, func(p *wallet.Payment) { p.CreatedAt = t0.Add(-time.Hour) })}, ""},
		{"a fault declined what the wallet debited", []simulator.Payment{net("A", simulator.StatusFail, 500)},
			[]wallet.Payment{led("A", wallet.StatusSucceeded, 500)}, "the wallet kept 5.00 USD"},
		{"paid, not in the ledger", []simulator.Payment{net("A", simulator.StatusSuccess, 500)}, nil, "no such payment"},
		{"paid, the wallet failed it", []simulator.Payment{net("A", simulator.StatusSuccess, 500)}, []wallet.Payment{led("A", wallet.StatusFailed, 500)}, "ledger says FAILED"},
		{"amounts differ", []simulator.Payment{net("A", simulator.StatusSuccess, 500)}, []wallet.Payment{led("A", wallet.StatusSucceeded, 499)}, "debited 4.99 USD"},
		{"refunds differ", []simulator.Payment{net("A", simulator.StatusSuccess, 500, refunded(200))},
			[]wallet.Payment{led("A", wallet.StatusSucceeded, 500)}, "refunded 200, the wallet 0"},
		{"cancelled, the wallet kept it", []simulator.Payment{net("A", simulator.StatusCancelled, 500)}, []wallet.Payment{led("A", wallet.StatusSucceeded, 500)}, "kept 5.00 USD"},
		{"cancelled, the wallet still holds it", []simulator.Payment{net("A", simulator.StatusCancelled, 500)}, []wallet.Payment{led("A", wallet.StatusProcessing, 500)}, "still holds"},
		{"a debit the network never saw", []simulator.Payment{net("A", simulator.StatusSuccess, 500)},
			[]wallet.Payment{led("A", wallet.StatusSucceeded, 500), led("B", wallet.StatusSucceeded, 300)}, "debited 3.00 USD, the network has no such payment"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := reconcile(c.network, c.ledger)
			switch {
			case c.want == "" && len(rep.Differences) != 0:
				t.Errorf("differences %+v, want none", rep.Differences)
			case c.want != "" && (len(rep.Differences) != 1 || !strings.Contains(rep.Differences[0].What, c.want)):
				t.Errorf("differences %+v, want one saying %q", rep.Differences, c.want)
			}
		})
	}
}
