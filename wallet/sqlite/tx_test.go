package sqlite_test

import (
	"context"
	"errors"
	"testing"

	"github.com/mppwallet/mppwallet/wallet"
)

func TestUpdateErrorRollsBack(t *testing.T) {
	st, _ := open(t)
	declined := wallet.Errorf(wallet.CodeBalanceNotEnough, "short by 1")
	err := st.Update(context.Background(), func(tx wallet.Tx) error {
		if err := tx.InsertUser(fullUser("u1")); err != nil {
			return err
		}
		if err := tx.InsertPayment(fullPayment("p1", "u1")); err != nil {
			return err
		}
		if _, err := tx.AddEntry(fullEntry("u1")); err != nil {
			return err
		}
		return declined
	})
	if err != declined {
		t.Fatalf("Update returned %v, want the fn's error unchanged", err)
	}
	var we *wallet.Error
	if !errors.As(err, &we) || we.Code != wallet.CodeBalanceNotEnough {
		t.Errorf("errors.As: got %v", we)
	}
	assertEmpty(t, st)
}

func TestUpdatePanicRollsBack(t *testing.T) {
	st, _ := open(t)
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want boom", r)
			}
		}()
		_ = st.Update(context.Background(), func(tx wallet.Tx) error {
			if err := tx.InsertUser(fullUser("u1")); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	assertEmpty(t, st)
	// The writer connection was released: another Update works.
	update(t, st, func(tx wallet.Tx) error { return tx.InsertUser(fullUser("u1")) })
}

// assertEmpty checks that the store holds no user, payment or entry.
func assertEmpty(t *testing.T, st wallet.Store) {
	t.Helper()
	ctx := context.Background()
	view(t, st, func(tx wallet.Tx) error {
		if _, err := tx.User("u1"); !errors.Is(err, wallet.ErrNotFound) {
			t.Errorf("User after rollback: %v, want ErrNotFound", err)
		}
		return nil
	})
	payments, err := st.Payments(ctx, wallet.PaymentFilter{})
	if err != nil || len(payments) != 0 {
		t.Errorf("Payments after rollback = %v, %v", payments, err)
	}
	entries, err := st.Entries(ctx, "u1")
	if err != nil || len(entries) != 0 {
		t.Errorf("Entries after rollback = %v, %v", entries, err)
	}
}

func TestCancelledContext(t *testing.T) {
	st, _ := open(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	called := false
	err := st.Update(ctx, func(wallet.Tx) error { called = true; return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Update with cancelled ctx: %v, want context.Canceled", err)
	}
	if called {
		t.Error("fn ran despite the cancelled context")
	}
}

func TestViewIsReadOnly(t *testing.T) {
	st, _ := open(t)
	err := st.View(context.Background(), func(tx wallet.Tx) error { return tx.InsertUser(fullUser("u1")) })
	if err == nil {
		t.Fatal("InsertUser inside View succeeded")
	}
	assertEmpty(t, st)
}
