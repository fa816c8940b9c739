package bench

import (
	"context"
	"fmt"

	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/wallet"
)

// reconcile checks what the passes left: every payment the simulator saw
// succeed is in the ledger, succeeded, once; and every user's balance is
// the opening balance less exactly one debit per successful payment.
func reconcile(ctx context.Context, st *Stack) ([]string, error) {
	payments, err := st.Store.Payments(ctx, wallet.PaymentFilter{})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]wallet.Payment, len(payments))
	debits := map[string]int64{}
	for _, p := range payments {
		byID[p.RequestID] = p
		if p.Status == wallet.StatusSucceeded {
			debits[p.CustomerID] += p.Amount.Minor
		}
	}
	simPaid := 0
	for _, sp := range st.Sim.Payments() {
		if sp.Status != simulator.StatusSuccess {
			continue
		}
		simPaid++
		if p, ok := byID[sp.RequestID]; !ok || p.Status != wallet.StatusSucceeded {
			return nil, fmt.Errorf("the simulator saw payment %s succeed, the ledger has %q", sp.RequestID, p.Status)
		}
	}
	users, err := st.Store.Users(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if got, want := u.Balance.Minor, int64(openingBalance)-debits[u.ID]; got != want {
			return nil, fmt.Errorf("user %s has %d, want %d (opening balance less its debits)", u.ID, got, want)
		}
	}
	return []string{
		fmt.Sprintf("all %d payments the simulator saw succeed are in the ledger once", simPaid),
		fmt.Sprintf("%d users' balances = opening balance − debits", len(users)),
		"every server answer's signature verified",
	}, nil
}
