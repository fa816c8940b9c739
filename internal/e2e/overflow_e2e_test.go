package e2e_test

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

// ledger is everything the wallet's ledger holds about a user, to prove a
// refused request changed nothing.
func (n *network) ledger(user string) string {
	n.t.Helper()
	ctx := context.Background()
	users, err := n.store.Users(ctx)
	if err != nil {
		n.t.Fatal(err)
	}
	entries, err := n.store.Entries(ctx, user)
	if err != nil {
		n.t.Fatal(err)
	}
	payments, err := n.store.Payments(ctx, wallet.PaymentFilter{})
	if err != nil {
		n.t.Fatal(err)
	}
	refunds, err := n.store.Refunds(ctx, "")
	if err != nil {
		n.t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"users": users, "entries": entries, "payments": payments, "refunds": refunds})
	return string(b)
}

// TestCreditsPastTheLargestBalanceAreRefused: Alipay+'s refund and cancel
// of a payment by a user at the largest balance get F PROCESS_FAIL from the
// real wallet server, saying the balance would overflow, and the ledger is
// as it was. The cancel Alipay+ keeps repeating goes through once the user
// has spent enough to make room.
func TestCreditsPastTheLargestBalanceAreRefused(t *testing.T) {
	n := newNetwork(t, fastTiming)
	n.addUser("alice", "100.00", "USD", nil)
	paid := charge(t, n, n.codes("alice", 1)[0].PaymentCode, "12.34", "USD")
	if paid.Status != simulator.StatusSuccess {
		t.Fatalf("payment %+v, want SUCCESS", paid)
	}
	ctx := context.Background()
	if _, err := n.svc.TopUp(ctx, "alice", money.Money{Currency: "USD", Minor: math.MaxInt64 - 8766}); err != nil {
		t.Fatal(err)
	}
	before := n.ledger("alice")

	r, err := n.sim.Refund(ctx, paid.RequestID, moneyOf(t, "0.01", "USD"))
	if r.Status != "F" || r.ResultCode != "PROCESS_FAIL" || err == nil ||
		!strings.Contains(err.Error(), "would overflow the balance of user alice") {
		t.Errorf("refund: got %s %s (%v), want F PROCESS_FAIL saying the balance would overflow", r.Status, r.ResultCode, err)
	}
	if after := n.ledger("alice"); after != before {
		t.Errorf("the refused refund changed the ledger:\n got: %s\nwant: %s", after, before)
	}

	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if _, err := n.sim.Cancel(short, paid.RequestID); err == nil {
		t.Fatalf("cancel: accepted, want it refused while the balance is full")
	}
	sp, _ := n.sim.Payment(paid.RequestID)
	if !slices.Contains(stepTexts(sp), "cancelPayment → F PROCESS_FAIL") {
		t.Errorf("cancel steps %v, want cancelPayment → F PROCESS_FAIL", stepTexts(sp))
	}
	if after := n.ledger("alice"); after != before {
		t.Errorf("the refused cancel changed the ledger:\n got: %s\nwant: %s", after, before)
	}

	// Spending makes room; Alipay+'s repeated cancel then returns the debit.
	if p := charge(t, n, n.codes("alice", 1)[0].PaymentCode, "12.34", "USD"); p.Status != simulator.StatusSuccess {
		t.Fatalf("second payment %+v, want SUCCESS", p)
	}
	long, cancel2 := context.WithTimeout(ctx, 10*time.Second)
	defer cancel2()
	if sp, err := n.sim.Cancel(long, paid.RequestID); err != nil || sp.Status != simulator.StatusCancelled {
		t.Fatalf("cancel after spending: %s (%v), want CANCELLED", sp.Status, err)
	}
	if got := n.balance("alice"); got.Minor != math.MaxInt64 {
		t.Errorf("balance %s, want %s", got, money.Money{Currency: "USD", Minor: math.MaxInt64})
	}
	if f := n.sim.Transcript().Findings(); len(f) != 0 {
		t.Errorf("conformance findings on the wallet's answers: %+v", f)
	}
}
