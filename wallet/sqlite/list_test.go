package sqlite_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/wallet"
)

func TestPaymentsFilterLimitOrder(t *testing.T) {
	st, _ := open(t)
	// Inserted in this order; p3 and p4 share a creation time, so the later
	// insert (p4) lists first.
	seed := []struct {
		id, customer string
		created      time.Time
	}{
		{"p1", "a", at(2 * time.Minute)},
		{"p2", "b", at(1 * time.Minute)},
		{"p3", "a", at(3 * time.Minute)},
		{"p4", "b", at(3 * time.Minute)},
		{"p5", "a", at(0)},
	}
	update(t, st, func(tx wallet.Tx) error {
		for _, s := range seed {
			p := fullPayment(s.id, s.customer)
			p.CreatedAt = s.created
			if s.id == "p1" || s.id == "p4" {
				p.Status = wallet.StatusProcessing
			}
			if err := tx.InsertPayment(p); err != nil {
				return err
			}
		}
		return nil
	})
	tests := []struct {
		name   string
		filter wallet.PaymentFilter
		want   []string
	}{
		{"all", wallet.PaymentFilter{}, []string{"p4", "p3", "p1", "p2", "p5"}},
		{"customer a", wallet.PaymentFilter{CustomerID: "a"}, []string{"p3", "p1", "p5"}},
		{"customer b", wallet.PaymentFilter{CustomerID: "b"}, []string{"p4", "p2"}},
		{"limit", wallet.PaymentFilter{Limit: 2}, []string{"p4", "p3"}},
		{"customer and limit", wallet.PaymentFilter{CustomerID: "a", Limit: 1}, []string{"p3"}},
		{"limit above count", wallet.PaymentFilter{CustomerID: "b", Limit: 10}, []string{"p4", "p2"}},
		{"unknown customer", wallet.PaymentFilter{CustomerID: "z"}, nil},
		{"held", wallet.PaymentFilter{Status: wallet.StatusProcessing}, []string{"p4", "p1"}},
		{"held of customer a", wallet.PaymentFilter{CustomerID: "a", Status: wallet.StatusProcessing}, []string{"p1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := st.Payments(context.Background(), tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range ps {
				got = append(got, p.RequestID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Payments(%+v) = %v, want %v", tt.filter, got, tt.want)
			}
		})
	}
}

func TestUsersRefundsEntriesOrder(t *testing.T) {
	st, _ := open(t)
	ctx := context.Background()
	update(t, st, func(tx wallet.Tx) error {
		for _, id := range []string{"carol", "alice", "bob"} {
			if err := tx.InsertUser(fullUser(id)); err != nil {
				return err
			}
		}
		for i, r := range []struct{ id, payment string }{{"r3", "p1"}, {"r1", "p2"}, {"r2", "p1"}} {
			ref := fullRefund(r.id, r.payment)
			ref.CreatedAt = at(time.Duration(i) * time.Second)
			if err := tx.InsertRefund(ref); err != nil {
				return err
			}
		}
		for _, c := range []string{"alice", "bob", "alice"} {
			if _, err := tx.AddEntry(fullEntry(c)); err != nil {
				return err
			}
		}
		return nil
	})

	users, err := st.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	if want := []string{"alice", "bob", "carol"}; !slices.Equal(ids, want) {
		t.Errorf("Users = %v, want %v", ids, want)
	}

	for _, tt := range []struct {
		payment string
		want    []string
	}{
		{"", []string{"r3", "r1", "r2"}},
		{"p1", []string{"r3", "r2"}},
		{"p2", []string{"r1"}},
		{"p9", nil},
	} {
		refunds, err := st.Refunds(ctx, tt.payment)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range refunds {
			got = append(got, r.RequestID)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Refunds(%q) = %v, want %v", tt.payment, got, tt.want)
		}
	}

	entries, err := st.Entries(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].ID >= entries[1].ID {
		t.Errorf("Entries(alice) = %+v, want 2 in ID order", entries)
	}
}
