package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

// TestCheckpointsInTheBackground: commits never checkpoint themselves,
// the background checkpointer does it every checkpointEvery commits, and
// the WAL file stays small however many payments come back to back.
func TestCheckpointsInTheBackground(t *testing.T) {
	defer func(every, finish int) { checkpointEvery, finishEvery = every, finish }(checkpointEvery, finishEvery)
	checkpointEvery, finishEvery = 16, 4 // the WAL starts over every 64 payments
	path := filepath.Join(t.TempDir(), "wallet.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ran := make(chan struct{}, 100)
	st.ck.after = func() { ran <- struct{}{} }
	ctx := context.Background()
	var auto int
	if err := st.wr.conn.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&auto); err != nil || auto != 0 {
		t.Fatalf("the writer's wal_autocheckpoint is %d (%v), want 0: commits would checkpoint", auto, err)
	}
	svc := wallet.NewService(st)
	if _, err := svc.AddUser(ctx, wallet.User{ID: "u", Balance: money.Money{Currency: "USD", Minor: 1 << 40}, KYCVerified: true}); err != nil {
		t.Fatal(err)
	}
	payments := 10 * checkpointEvery * finishEvery
	m := money.Money{Currency: "USD", Minor: 100}
	for i := range payments {
		if _, err := svc.Pay(ctx, wallet.PayOrder{RequestID: "PR-" + string(rune('a'+i%26)) + itoa(i), CustomerID: "u", Mode: wallet.ModeUPM,
			Amount: m, PaymentAmount: m, CodeValue: "c"}); err != nil {
			t.Fatal(err)
		}
	}
	<-ran // at least one checkpoint ran
	fi, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	// Unchecked, the WAL would hold every page of every payment: about 30 MB.
	if fi.Size() > 8<<20 {
		t.Errorf("the WAL is %d bytes after %d payments: it is not being checkpointed", fi.Size(), payments)
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}
