package sqlite_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/mppwallet/mppwallet/wallet"
	"github.com/mppwallet/mppwallet/wallet/sqlite"
)

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wallet.db")
	st, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	u, p := fullUser("u1"), fullPayment("p1", "u1")
	update(t, st, func(tx wallet.Tx) error {
		if err := tx.InsertUser(u); err != nil {
			return err
		}
		return tx.InsertPayment(p)
	})
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("file mode = %o, want 600", mode)
	}

	st = openAt(t, path)
	view(t, st, func(tx wallet.Tx) error {
		got, err := tx.User("u1")
		if err != nil {
			return err
		}
		mustEqual(t, got, u)
		gotP, err := tx.Payment("p1")
		mustEqual(t, gotP, p)
		return err
	})
}

func TestFileSettings(t *testing.T) {
	// A path with characters that mean something in a URI.
	path := filepath.Join(t.TempDir(), "odd dir?x=1#frag", "wallet%20.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	openAt(t, path)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not created at the literal path: %v", err)
	}

	// Open the file directly, as a file: URI since the path holds '?'.
	uri := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	db, err := sql.Open("sqlite", uri.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var journal string
	var version int
	ctx := context.Background()
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&journal); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if journal != "wal" || version != sqlite.SchemaVersion {
		t.Errorf("journal_mode %q, user_version %d; want wal, %d", journal, version, sqlite.SchemaVersion)
	}
}
