package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

func TestUserRoundTrip(t *testing.T) {
	zeroTimes := fullUser("zero")
	zeroTimes.CreatedAt = time.Time{}
	minimal := wallet.User{ID: "min", Status: wallet.UserActive, Balance: money.Money{Currency: "JPY"}}
	tests := []struct {
		name string
		user wallet.User
	}{
		{"full", fullUser("full")},
		{"zero times", zeroTimes},
		{"minimal", minimal},
	}
	st, _ := open(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			update(t, st, func(tx wallet.Tx) error { return tx.InsertUser(tt.user) })
			view(t, st, func(tx wallet.Tx) error {
				got, err := tx.User(tt.user.ID)
				if err != nil {
					return err
				}
				mustEqual(t, got, tt.user)
				if tt.user.CreatedAt.IsZero() && !got.CreatedAt.IsZero() {
					t.Errorf("CreatedAt = %v, want zero", got.CreatedAt)
				}
				return nil
			})

			changed := tt.user
			changed.Name = "renamed"
			changed.Balance.Minor += 7
			changed.KYCVerified = !changed.KYCVerified
			changed.CreatedAt = at(-time.Hour)
			update(t, st, func(tx wallet.Tx) error { return tx.UpdateUser(changed) })
			update(t, st, func(tx wallet.Tx) error {
				got, err := tx.User(tt.user.ID)
				mustEqual(t, got, changed)
				return err
			})
		})
	}
}

func TestPaymentRoundTrip(t *testing.T) {
	zeroTimes := fullPayment("zero", "u1")
	zeroTimes.UpdatedAt, zeroTimes.PaidAt, zeroTimes.ExpiresAt = time.Time{}, time.Time{}, time.Time{}
	tests := []struct {
		name    string
		payment wallet.Payment
	}{
		{"full", fullPayment("full", "u1")},
		{"zero times", zeroTimes},
		{"empty payment id", wallet.Payment{RequestID: "bare", Status: wallet.StatusProcessing}},
	}
	st, _ := open(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			update(t, st, func(tx wallet.Tx) error { return tx.InsertPayment(tt.payment) })
			view(t, st, func(tx wallet.Tx) error {
				got, err := tx.Payment(tt.payment.RequestID)
				mustEqual(t, got, tt.payment)
				return err
			})

			changed := tt.payment
			changed.Status = wallet.StatusCancelled
			changed.ResultCode = wallet.CodeOrderClosed
			changed.Refunded = 1
			changed.PaidAt = time.Time{}
			changed.UpdatedAt = at(time.Minute)
			update(t, st, func(tx wallet.Tx) error { return tx.UpdatePayment(changed) })
			view(t, st, func(tx wallet.Tx) error {
				got, err := tx.Payment(tt.payment.RequestID)
				mustEqual(t, got, changed)
				return err
			})
		})
	}
}

func TestRefundAndEntryRoundTrip(t *testing.T) {
	st, _ := open(t)
	ctx := context.Background()
	r := fullRefund("r1", "p1")
	zero := fullRefund("r2", "p1")
	zero.CreatedAt = time.Time{}
	e := fullEntry("u1")
	e.ID = 99 // ignored: the store assigns IDs
	var stored [2]wallet.Entry
	update(t, st, func(tx wallet.Tx) error {
		if err := tx.InsertRefund(r); err != nil {
			return err
		}
		if err := tx.InsertRefund(zero); err != nil {
			return err
		}
		var err error
		if stored[0], err = tx.AddEntry(e); err != nil {
			return err
		}
		e2 := e
		e2.At = time.Time{}
		stored[1], err = tx.AddEntry(e2)
		return err
	})
	if stored[0].ID <= 0 || stored[1].ID <= stored[0].ID {
		t.Fatalf("entry IDs %d, %d: want positive and increasing", stored[0].ID, stored[1].ID)
	}
	view(t, st, func(tx wallet.Tx) error {
		got, err := tx.Refund("r1")
		mustEqual(t, got, r)
		return err
	})
	refunds, err := st.Refunds(ctx, "p1")
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, refunds, []wallet.Refund{zero, r}) // zero CreatedAt sorts first

	entries, err := st.Entries(ctx, "u1")
	if err != nil {
		t.Fatal(err)
	}
	want := []wallet.Entry{e, e}
	want[0].ID, want[1].ID = stored[0].ID, stored[1].ID
	want[1].At = time.Time{}
	mustEqual(t, entries, want)
	mustEqual(t, stored[:], want)
}

func TestClosed(t *testing.T) {
	st, _ := open(t)
	update(t, st, func(tx wallet.Tx) error {
		if closed, err := tx.Closed("c1"); err != nil || closed {
			t.Errorf("Closed before MarkClosed = %v, %v; want false, nil", closed, err)
		}
		if err := tx.MarkClosed("c1", at(0)); err != nil {
			return err
		}
		return tx.MarkClosed("c1", at(time.Hour)) // repeat is harmless
	})
	view(t, st, func(tx wallet.Tx) error {
		closed, err := tx.Closed("c1")
		if !closed {
			t.Error("Closed after MarkClosed = false")
		}
		return err
	})
}
