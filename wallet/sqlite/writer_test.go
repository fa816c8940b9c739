package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

// TestGroupCommit runs one batch the way the writer does when Updates
// queue up: each function's writes stand or fall on their own, later ones
// see earlier ones' writes, and the batch commits once.
func TestGroupCommit(t *testing.T) {
	st, err := Open(filepath.Join(t.TempDir(), "wallet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	insert := func(id string, then error) func(wallet.Tx) error {
		return func(tx wallet.Tx) error {
			if err := tx.InsertUser(wallet.User{ID: id, Balance: money.Money{Currency: "USD", Minor: 100}, Status: wallet.UserActive}); err != nil {
				return err
			}
			return then
		}
	}
	declined := errors.New("declined")
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	ranCancelled := false
	batch := []*writeReq{
		{ctx: ctx, fn: insert("a", nil)},
		{ctx: ctx, fn: insert("b", declined)},
		{ctx: ctx, fn: func(tx wallet.Tx) error {
			_ = insert("c", nil)(tx)
			panic("boom")
		}},
		{ctx: cancelled, fn: func(wallet.Tx) error { ranCancelled = true; return nil }},
		{ctx: ctx, fn: func(tx wallet.Tx) error { // sees a's write, not b's or c's
			if _, err := tx.User("a"); err != nil {
				return err
			}
			for _, id := range []string{"b", "c"} {
				if _, err := tx.User(id); !errors.Is(err, wallet.ErrNotFound) {
					return errors.New(id + " is visible after its rollback")
				}
			}
			return insert("d", nil)(tx)
		}},
		{ctx: ctx, fn: insert("a", nil)}, // a exists: ErrExists, rolled back alone
	}
	st.wr.run(batch)

	wantErr := []error{nil, declined, nil, context.Canceled, nil, wallet.ErrExists}
	for i, r := range batch {
		if !errors.Is(r.err, wantErr[i]) || (wantErr[i] == nil && r.err != nil) {
			t.Errorf("function %d: err %v, want %v", i, r.err, wantErr[i])
		}
	}
	if !batch[2].panicked || batch[2].panicVal != "boom" {
		t.Errorf("the panic was not kept for its caller: %v %v", batch[2].panicked, batch[2].panicVal)
	}
	if ranCancelled {
		t.Error("a function whose caller gave up ran")
	}
	users, err := st.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	if len(ids) != 2 || ids[0] != "a" || ids[1] != "d" {
		t.Errorf("committed users %v, want [a d]", ids)
	}
}

// TestUpdateAfterClose: a closed store refuses writes instead of hanging.
func TestUpdateAfterClose(t *testing.T) {
	st, err := Open(filepath.Join(t.TempDir(), "wallet.db"))
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if err := st.Update(context.Background(), func(wallet.Tx) error { return nil }); !errors.Is(err, errClosed) {
		t.Errorf("Update after Close: %v, want %v", err, errClosed)
	}
}
