package sqlite_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/wallet"
)

func TestNotFound(t *testing.T) {
	tests := []struct {
		name string
		fn   func(wallet.Tx) error
	}{
		{"User", func(tx wallet.Tx) error { _, err := tx.User("nobody"); return err }},
		{"Payment", func(tx wallet.Tx) error { _, err := tx.Payment("nothing"); return err }},
		{"Refund", func(tx wallet.Tx) error { _, err := tx.Refund("nothing"); return err }},
		{"UpdateUser", func(tx wallet.Tx) error { return tx.UpdateUser(fullUser("nobody")) }},
		{"UpdatePayment", func(tx wallet.Tx) error { return tx.UpdatePayment(fullPayment("nothing", "u1")) }},
	}
	st, _ := open(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := st.Update(context.Background(), tt.fn)
			if !errors.Is(err, wallet.ErrNotFound) {
				t.Errorf("err = %v, want ErrNotFound", err)
			}
		})
	}
	// Nothing was created by the failed updates.
	users, err := st.Users(context.Background())
	if err != nil || len(users) != 0 {
		t.Errorf("Users = %v, %v; want none", users, err)
	}
}

func TestExists(t *testing.T) {
	otherRequestSamePaymentID := fullPayment("p2", "u1")
	otherRequestSamePaymentID.PaymentID = "pay-p1"
	tests := []struct {
		name   string
		first  func(wallet.Tx) error
		second func(wallet.Tx) error
	}{
		{
			"user",
			func(tx wallet.Tx) error { return tx.InsertUser(fullUser("u1")) },
			func(tx wallet.Tx) error { return tx.InsertUser(fullUser("u1")) },
		},
		{
			"payment request id",
			func(tx wallet.Tx) error { return tx.InsertPayment(fullPayment("p1", "u1")) },
			func(tx wallet.Tx) error { return tx.InsertPayment(fullPayment("p1", "u2")) },
		},
		{
			"payment id",
			func(tx wallet.Tx) error { return tx.InsertPayment(fullPayment("p1", "u1")) },
			func(tx wallet.Tx) error { return tx.InsertPayment(otherRequestSamePaymentID) },
		},
		{
			"payment id on update",
			func(tx wallet.Tx) error {
				if err := tx.InsertPayment(fullPayment("p1", "u1")); err != nil {
					return err
				}
				return tx.InsertPayment(fullPayment("p2", "u1"))
			},
			func(tx wallet.Tx) error { return tx.UpdatePayment(otherRequestSamePaymentID) },
		},
		{
			"refund",
			func(tx wallet.Tx) error { return tx.InsertRefund(fullRefund("r1", "p1")) },
			func(tx wallet.Tx) error { return tx.InsertRefund(fullRefund("r1", "p2")) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _ := open(t)
			update(t, st, tt.first)
			err := st.Update(context.Background(), tt.second)
			if !errors.Is(err, wallet.ErrExists) {
				t.Errorf("err = %v, want ErrExists", err)
			}
		})
	}
}

func TestEmptyPaymentIDsDoNotCollide(t *testing.T) {
	st, _ := open(t)
	update(t, st, func(tx wallet.Tx) error {
		for _, id := range []string{"a", "b"} {
			p := fullPayment(id, "u1")
			p.PaymentID = ""
			if err := tx.InsertPayment(p); err != nil {
				return err
			}
		}
		return nil
	})
}

func TestUnstorableTime(t *testing.T) {
	st, _ := open(t)
	u := fullUser("u1")
	u.CreatedAt = time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC) // not zero, before 1678
	err := st.Update(context.Background(), func(tx wallet.Tx) error { return tx.InsertUser(u) })
	if err == nil {
		t.Fatal("InsertUser with a year-1 time succeeded")
	}
}
