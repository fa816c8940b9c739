package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
	"github.com/mppwallet/mppwallet/wallet/sqlite"
)

// A ledger written by the first schema opens with its payments and entries
// intact, and new entries keep numbering after the old ones.
func TestMigrateKeepsAnOldLedger(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wallet.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, q := range []string{
		sqlite.SchemaV1, "PRAGMA user_version = 1",
		`INSERT INTO users VALUES ('alice', 'Alice', 'USD', 9000, 0, 0, 0, 1, 'ACTIVE', '', 0)`,
		`INSERT INTO entries (customer_id, kind, currency, amount, ref, balance_after, at) VALUES
			('alice', 'OPENING', 'USD', 10000, '', 10000, 1), ('alice', 'DEBIT', 'USD', -1000, 'PR-1', 9000, 2)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%.40s: %v", q, err)
		}
	}
	db.Close()

	st := openAt(t, path)
	es, err := st.Entries(ctx, "alice")
	if err != nil || len(es) != 2 || es[0].ID != 1 || es[1].ID != 2 || es[1].BalanceAfter != 9000 || es[1].Ref != "PR-1" {
		t.Fatalf("entries after the migration: %+v, %v", es, err)
	}
	err = st.Update(ctx, func(tx wallet.Tx) error {
		e, err := tx.AddEntry(wallet.Entry{CustomerID: "alice", Kind: wallet.EntryDebit, Amount: money.Money{Currency: "USD", Minor: -1},
			Ref: "PR-2", BalanceAfter: 8999, At: time.Unix(3, 0)})
		if err == nil && e.ID != 3 {
			t.Errorf("a new entry got id %d, want 3", e.ID)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	db, err = sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var version, indexes int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE name = 'payments_created'").Scan(&indexes); err != nil || indexes != 0 {
		t.Errorf("payments_created still there (%d, %v)", indexes, err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil || version != sqlite.SchemaVersion {
		t.Errorf("schema version %d (%v), want %d", version, err, sqlite.SchemaVersion)
	}
}
