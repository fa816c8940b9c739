package sqlite_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/wallet"
)

func TestSpent(t *testing.T) {
	day := at(0).Truncate(24 * time.Hour)
	payments := []struct {
		customer string
		status   wallet.Status
		paidAt   time.Time
		minor    int64
	}{
		{"u1", wallet.StatusSucceeded, day, 100},                       // at from: counts
		{"u1", wallet.StatusSucceeded, day.Add(time.Hour), 200},        // inside
		{"u1", wallet.StatusSucceeded, day.Add(24*time.Hour - 1), 400}, // last nanosecond
		{"u1", wallet.StatusSucceeded, day.Add(24 * time.Hour), 800},   // at to: excluded
		{"u1", wallet.StatusSucceeded, day.Add(-1), 1600},              // before
		{"u1", wallet.StatusCancelled, day.Add(2 * time.Hour), 3200},   // cancelled
		{"u1", wallet.StatusFailed, day.Add(2 * time.Hour), 6400},      // failed
		{"u1", wallet.StatusProcessing, day.Add(2 * time.Hour), 12800}, // processing
		{"u2", wallet.StatusSucceeded, day.Add(2 * time.Hour), 25600},  // other user
	}
	st, _ := open(t)
	update(t, st, func(tx wallet.Tx) error {
		for i, p := range payments {
			rec := fullPayment(fmt.Sprint("p", i), p.customer)
			rec.Status, rec.PaidAt, rec.Amount.Minor = p.status, p.paidAt, p.minor
			if err := tx.InsertPayment(rec); err != nil {
				return err
			}
		}
		return nil
	})
	tests := []struct {
		name      string
		customer  string
		from, to  time.Time
		wantMinor int64
		wantCount int
	}{
		{"day", "u1", day, day.Add(24 * time.Hour), 700, 3},
		{"day in another zone", "u1", day.UTC(), day.Add(24 * time.Hour).UTC(), 700, 3},
		{"everything", "u1", time.Time{}, day.AddDate(1000, 0, 0), 700 + 800 + 1600, 5},
		{"empty window", "u1", day, day, 0, 0},
		{"other user", "u2", day, day.Add(24 * time.Hour), 25600, 1},
		{"unknown user", "u3", day, day.Add(24 * time.Hour), 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			view(t, st, func(tx wallet.Tx) error {
				minor, count, err := tx.Spent(tt.customer, tt.from, tt.to)
				if minor != tt.wantMinor || count != tt.wantCount {
					t.Errorf("Spent = %d, %d; want %d, %d", minor, count, tt.wantMinor, tt.wantCount)
				}
				return err
			})
		})
	}
}

// TestSpentPastInt64: large totals come back exactly, and a total that
// does not fit in int64 comes back as the largest int64 instead of failing
// the payment.
func TestSpentPastInt64(t *testing.T) {
	const most = math.MaxInt64
	tests := []struct {
		name    string
		amounts []int64
		want    int64
	}{
		{"one largest amount", []int64{most}, most},
		{"two amounts adding up to the largest", []int64{most - 1<<40 - 7, 1<<40 + 7}, most},
		{"low halves carrying into the high half", []int64{1<<32 - 1, 1<<32 - 1, 1<<32 - 1}, 3 * (1<<32 - 1)},
		{"two amounts past the largest by one", []int64{most, 1}, most},
		{"three amounts far past the largest", []int64{most, most, most}, most},
	}
	day := at(0).Truncate(24 * time.Hour)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, _ := open(t)
			update(t, st, func(tx wallet.Tx) error {
				for i, minor := range tc.amounts {
					rec := fullPayment(fmt.Sprint("p", i), "u1")
					rec.Status, rec.PaidAt, rec.Amount.Minor = wallet.StatusSucceeded, day.Add(time.Hour), minor
					if err := tx.InsertPayment(rec); err != nil {
						return err
					}
				}
				return nil
			})
			view(t, st, func(tx wallet.Tx) error {
				minor, count, err := tx.Spent("u1", day, day.Add(24*time.Hour))
				if err != nil || minor != tc.want || count != len(tc.amounts) {
					t.Errorf("Spent = %d, %d, %v; want %d, %d", minor, count, err, tc.want, len(tc.amounts))
				}
				return nil
			})
		})
	}
}
