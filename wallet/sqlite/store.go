package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"

	"github.com/mppwallet/mppwallet/wallet"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// busyTimeoutMillis is how long a connection waits for another one's lock
// before it gives up with SQLITE_BUSY.
const busyTimeoutMillis = "10000"

// Store is a wallet.Store backed by one SQLite database file. It is safe for
// concurrent use, also by several processes on the same file.
type Store struct {
	// w is the only writing connection; its transactions are BEGIN IMMEDIATE.
	w *sql.DB
	// r is a pool of query-only connections for View and the listings.
	r *sql.DB
	// rs are the statements prepared on r.
	rs *stmtCache
	// wr runs the Updates on w's connection, committing them in groups.
	wr *writer
	// ck checkpoints the WAL when wr asks.
	ck *checkpointer
}

var _ wallet.Store = (*Store)(nil)

// Open opens the database file at path, creating it with mode 0600 if it
// does not exist, and brings its schema up to date.
func Open(path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	if err := createFile(abs); err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", dsn(abs, true))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", abs, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := migrate(context.Background(), w); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", abs, err)
	}
	r, err := sql.Open("sqlite", dsn(abs, false))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", abs, err)
	}
	r.SetMaxOpenConns(max(4, runtime.GOMAXPROCS(0)))
	if err := r.Ping(); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", abs, err)
	}
	rs, err := prepare(context.Background(), r, readQueries)
	if err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", abs, err)
	}
	ck := newCheckpointer(r)
	wr, err := newWriter(context.Background(), w, ck.ask)
	if err != nil {
		rs.close()
		w.Close()
		r.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", abs, err)
	}
	ck.start(wr.finish)
	return &Store{w: w, r: r, rs: rs, wr: wr, ck: ck}, nil
}

// createFile creates an empty database file readable only by its owner. An
// existing file is left as it is.
func createFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sqlite: create %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("sqlite: create %s: %w", path, err)
	}
	// The umask may have narrowed the mode; make sure it is exactly 0600.
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("sqlite: chmod %s: %w", path, err)
	}
	return nil
}

// dsn builds the modernc.org/sqlite data source name for the file at the
// absolute path abs. The path goes in a file: URI so that characters such
// as '?' or '#' in it cannot be mistaken for parameters. The writer's
// transactions begin IMMEDIATE; reader connections are query-only.
func dsn(abs string, writer bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+busyTimeoutMillis+")")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if writer {
		q.Add("_pragma", "journal_mode(WAL)")
		// Checkpoints run in the background (checkpoint.go), not in a
		// commit.
		q.Add("_pragma", "wal_autocheckpoint(0)")
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: q.Encode()}
	return u.String()
}

// Update runs fn in a read-write transaction. The transaction holds the
// database's write lock from its start, so concurrent Updates (in this or
// another process) run one after the other. Updates that queue up while
// one runs are committed together (see writer), each in its own savepoint:
// the effect is that of separate transactions, and Update returns only
// once fn's writes are committed. If fn returns an error or panics, its
// writes are rolled back and the error is returned as is (the panic
// continues). fn must not call Update itself.
func (s *Store) Update(ctx context.Context, fn func(wallet.Tx) error) error {
	return s.wr.update(ctx, fn)
}

// View runs fn in a read-only transaction that sees one consistent snapshot
// of the database. Writes inside fn fail.
func (s *Store) View(ctx context.Context, fn func(wallet.Tx) error) error {
	return run(ctx, s.r, s.rs, true, fn)
}

// run runs fn in a transaction on db, committing only when fn succeeds.
func run(ctx context.Context, db *sql.DB, stmts *stmtCache, readOnly bool, fn func(wallet.Tx) error) error {
	t, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: readOnly})
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	committed := false
	defer func() {
		// Runs on error return and on panic alike.
		if !committed {
			_ = t.Rollback()
		}
	}()
	stmt := func(query string) *sql.Stmt {
		if s := stmts.get(query); s != nil {
			return t.StmtContext(ctx, s)
		}
		return nil
	}
	if err := fn(&tx{ctx: ctx, q: t, stmt: stmt}); err != nil {
		return err
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	committed = true
	return nil
}

// Close closes the database. The Store must not be used afterwards.
func (s *Store) Close() error {
	s.ck.close() // first: its checkpoint may wait for the writer
	err := s.wr.close()
	return errors.Join(err, s.rs.close(), s.r.Close(), s.w.Close())
}
