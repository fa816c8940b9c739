package wallet_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
	"github.com/mppwallet/mppwallet/wallet/sqlite"
)

func TestPayOrderDeclineRecordsWithoutDebit(t *testing.T) {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := wallet.NewService(st)
	ctx := context.Background()
	if _, err := svc.AddUser(ctx, wallet.User{ID: "u", Balance: money.Money{Currency: "USD", Minor: 1000}, KYCVerified: true}); err != nil {
		t.Fatal(err)
	}
	order := wallet.PayOrder{RequestID: "R1", CustomerID: "u", Mode: wallet.ModeMPM, Amount: money.Money{Currency: "USD", Minor: 500},
		Decline: wallet.CodeVerificationFailed}
	p, err := svc.Pay(ctx, order)
	if err != nil || p.Status != wallet.StatusFailed || p.ResultCode != wallet.CodeVerificationFailed {
		t.Fatalf("got %+v, %v; want FAILED USER_PAYMENT_VERIFICATION_FAILED", p, err)
	}
	if u, _ := svc.User(ctx, "u"); u.Balance.Minor != 1000 {
		t.Errorf("balance %d, want 1000 (a decline moves no money)", u.Balance.Minor)
	}
	order.RequestID, order.Decline = "R2", "SUCCESS"
	if _, err := svc.Pay(ctx, order); wallet.ErrorCode(err) != wallet.CodeParamIllegal {
		t.Errorf("decline with SUCCESS: got %v, want PARAM_ILLEGAL", err)
	}
}

// TestMPMOrderIsNeverHeld: a user whose override says "ask" confirms
// merchant-presented payments in the app before they are paid, so Pay
// decides them at once (a PROCESSING MPM payment would be notified as U).
func TestMPMOrderIsNeverHeld(t *testing.T) {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := wallet.NewService(st)
	ctx := context.Background()
	if _, err := svc.AddUser(ctx, wallet.User{ID: "u", Balance: money.Money{Currency: "USD", Minor: 1000}, KYCVerified: true,
		Override: wallet.OverrideAsk}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		mode wallet.Mode
		want wallet.Status
	}{{wallet.ModeMPM, wallet.StatusSucceeded}, {wallet.ModeUPM, wallet.StatusProcessing}} {
		p, err := svc.Pay(ctx, wallet.PayOrder{RequestID: "R-" + string(c.mode), CustomerID: "u", Mode: c.mode,
			Amount: money.Money{Currency: "USD", Minor: 100}})
		if err != nil || p.Status != c.want {
			t.Errorf("%s with the ask override: got %s, %v; want %s", c.mode, p.Status, err, c.want)
		}
	}
	if u, _ := svc.User(ctx, "u"); u.Balance.Minor != 900 {
		t.Errorf("balance %d, want 900 (the MPM payment debited, the UPM one held)", u.Balance.Minor)
	}
}
