package sqlite_test

import (
	"context"
	"sync"
	"testing"

	"github.com/mppwallet/mppwallet/wallet"
)

// increment returns an Update function that reads the user, adds 1 to its
// balance and writes it back. Without serialised write transactions some
// increments would be lost.
func increment(id string) func(wallet.Tx) error {
	return func(tx wallet.Tx) error {
		u, err := tx.User(id)
		if err != nil {
			return err
		}
		u.Balance.Minor++
		return tx.UpdateUser(u)
	}
}

func TestConcurrentUpdates(t *testing.T) {
	first, path := open(t)
	second := openAt(t, path) // another handle on the same file, as a second process would have
	tests := []struct {
		name   string
		user   string
		stores []wallet.Store
	}{
		{"one store", "u1", []wallet.Store{first}},
		{"two stores on one file", "u2", []wallet.Store{first, second}},
	}
	const n = 50
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := fullUser(tt.user)
			update(t, first, func(tx wallet.Tx) error { return tx.InsertUser(start) })

			var wg sync.WaitGroup
			errs := make(chan error, n)
			for i := range n {
				st := tt.stores[i%len(tt.stores)]
				wg.Go(func() {
					errs <- st.Update(context.Background(), increment(tt.user))
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Errorf("Update: %v", err)
				}
			}
			for _, st := range tt.stores {
				view(t, st, func(tx wallet.Tx) error {
					u, err := tx.User(tt.user)
					if got := u.Balance.Minor - start.Balance.Minor; got != n {
						t.Errorf("balance grew by %d, want %d", got, n)
					}
					return err
				})
			}
		})
	}
}
