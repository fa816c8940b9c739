package wallet_test

import (
	"context"
	"path/filepath"
	"testing"

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
	if _, err := svc.AddUser(ctx, wallet.User{ID: "u", Balance: wallet.Money{Currency: "USD", Minor: 1000}, KYCVerified: true}); err != nil {
		t.Fatal(err)
	}
	order := wallet.PayOrder{RequestID: "R1", CustomerID: "u", Mode: wallet.ModeMPM, Amount: wallet.Money{Currency: "USD", Minor: 500},
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
