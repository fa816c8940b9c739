package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"
)

// tx implements wallet.Tx on one SQL transaction.
type tx struct {
	ctx context.Context
	// q runs statements that were not prepared; stmt returns the prepared
	// statement of a query, ready to run in this transaction, or nil.
	q    queryer
	stmt func(query string) *sql.Stmt
}

// queryer is a *sql.Tx or the writer's *sql.Conn.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// queryRow runs a query that returns at most one row, as its prepared
// statement.
func (x *tx) queryRow(query string, args ...any) *sql.Row {
	if s := x.stmt(query); s != nil {
		return s.QueryRowContext(x.ctx, args...)
	}
	return x.q.QueryRowContext(x.ctx, query, args...)
}

// exec runs a statement, as its prepared statement.
func (x *tx) exec(query string, args ...any) (sql.Result, error) {
	if s := x.stmt(query); s != nil {
		return s.ExecContext(x.ctx, args...)
	}
	return x.q.ExecContext(x.ctx, query, args...)
}

var _ wallet.Tx = (*tx)(nil)

// User implements wallet.Tx.
func (x *tx) User(id string) (wallet.User, error) {
	row := x.queryRow(qUser, id)
	u, err := scanUser(row)
	return u, found(err, "user", id)
}

// InsertUser implements wallet.Tx.
func (x *tx) InsertUser(u wallet.User) error {
	args, err := userArgs(u)
	if err != nil {
		return err
	}
	return x.insert("user", u.ID, qInsertUser, args)
}

// UpdateUser implements wallet.Tx.
func (x *tx) UpdateUser(u wallet.User) error {
	args, err := userArgs(u)
	if err != nil {
		return err
	}
	return x.update("user", u.ID,
		qUpdateUser, append(args, u.ID))
}

// Payment implements wallet.Tx. The id is looked up first with a query of
// one column: a miss is the common case (every new pay checks for a
// repeat), and asking for the whole row costs the driver some 60
// allocations for its 31 columns even when there is no row (measured: the
// ledger's payment transaction makes 200 allocations instead of 262).
func (x *tx) Payment(requestID string) (wallet.Payment, error) {
	var n int
	if err := x.queryRow(qPaymentExists, requestID).Scan(&n); err != nil {
		return wallet.Payment{}, found(err, "payment", requestID)
	}
	if n == 0 {
		return wallet.Payment{}, found(sql.ErrNoRows, "payment", requestID)
	}
	row := x.queryRow(qPayment, requestID)
	p, err := scanPayment(row)
	return p, found(err, "payment", requestID)
}

// InsertPayment implements wallet.Tx. A payment whose PaymentID is already
// used by another payment also gets ErrExists.
func (x *tx) InsertPayment(p wallet.Payment) error {
	args, err := paymentArgs(p)
	if err != nil {
		return err
	}
	return x.insert("payment", p.RequestID,
		qInsertPayment, args)
}

// UpdatePayment implements wallet.Tx.
func (x *tx) UpdatePayment(p wallet.Payment) error {
	args, err := paymentArgs(p)
	if err != nil {
		return err
	}
	return x.update("payment", p.RequestID,
		qUpdatePayment, append(args, p.RequestID))
}

// Refund implements wallet.Tx.
func (x *tx) Refund(requestID string) (wallet.Refund, error) {
	row := x.queryRow(qRefund, requestID)
	r, err := scanRefund(row)
	return r, found(err, "refund", requestID)
}

// InsertRefund implements wallet.Tx.
func (x *tx) InsertRefund(r wallet.Refund) error {
	args, err := refundArgs(r)
	if err != nil {
		return err
	}
	return x.insert("refund", r.RequestID,
		qInsertRefund, args)
}

// AddEntry implements wallet.Tx. The ID of e is ignored; the stored entry
// gets the next one.
func (x *tx) AddEntry(e wallet.Entry) (wallet.Entry, error) {
	args, err := entryArgs(e)
	if err != nil {
		return wallet.Entry{}, err
	}
	res, err := x.exec(qInsertEntry, args...)
	if err != nil {
		return wallet.Entry{}, fmt.Errorf("sqlite: add entry for %q: %w", e.CustomerID, err)
	}
	if e.ID, err = res.LastInsertId(); err != nil {
		return wallet.Entry{}, fmt.Errorf("sqlite: add entry for %q: %w", e.CustomerID, err)
	}
	return e, nil
}

// Spent implements wallet.Tx; a total past math.MaxInt64 comes back as
// math.MaxInt64.
func (x *tx) Spent(customerID string, from, to time.Time) (amount int64, count int, err error) {
	var hi, lo int64
	err = x.queryRow(qSpent, customerID, string(wallet.StatusSucceeded), bound(from), bound(to)).Scan(&hi, &lo, &count)
	if err != nil {
		return 0, 0, fmt.Errorf("sqlite: spent by %q: %w", customerID, err)
	}
	return spentTotal(hi, lo), count, nil
}

// spentTotal is hi<<32 + lo (the two halves qSpent sums of amounts, which
// are positive), or math.MaxInt64 when that does not fit.
func spentTotal(hi, lo int64) int64 {
	if hi > math.MaxInt64>>32 {
		return math.MaxInt64
	}
	total, err := money.AddMinor(hi<<32, lo)
	if err != nil {
		return math.MaxInt64
	}
	return total
}

// Closed implements wallet.Tx.
func (x *tx) Closed(requestID string) (bool, error) {
	var n int
	err := x.queryRow(qClosed, requestID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("sqlite: closed request %q: %w", requestID, err)
	}
	return n > 0, nil
}

// MarkClosed implements wallet.Tx. Marking a request twice keeps the first
// time.
func (x *tx) MarkClosed(requestID string, at time.Time) error {
	var e encoder
	nanos := e.time(at)
	if e.err != nil {
		return e.err
	}
	_, err := x.exec(qMarkClosed, requestID, nanos)
	if err != nil {
		return fmt.Errorf("sqlite: mark request %q closed: %w", requestID, err)
	}
	return nil
}

// insert runs an INSERT ... ON CONFLICT DO NOTHING and turns "no row
// inserted" into wallet.ErrExists.
func (x *tx) insert(what, key, query string, args []any) error {
	res, err := x.exec(query, args...)
	if err != nil {
		return fmt.Errorf("sqlite: insert %s %q: %w", what, key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: insert %s %q: %w", what, key, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlite: %s %q: %w", what, key, wallet.ErrExists)
	}
	return nil
}

// update runs an UPDATE of one row and turns "no row updated" into
// wallet.ErrNotFound and a uniqueness violation into wallet.ErrExists.
func (x *tx) update(what, key, query string, args []any) error {
	res, err := x.exec(query, args...)
	if isUniqueViolation(err) {
		return fmt.Errorf("sqlite: update %s %q: %w (%v)", what, key, wallet.ErrExists, err)
	}
	if err != nil {
		return fmt.Errorf("sqlite: update %s %q: %w", what, key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: update %s %q: %w", what, key, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlite: %s %q: %w", what, key, wallet.ErrNotFound)
	}
	return nil
}

// found turns sql.ErrNoRows into wallet.ErrNotFound and adds context to
// other errors.
func found(err error, what, key string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("sqlite: %s %q: %w", what, key, wallet.ErrNotFound)
	default:
		return fmt.Errorf("sqlite: read %s %q: %w", what, key, err)
	}
}

// isUniqueViolation reports whether err is SQLite's PRIMARY KEY or UNIQUE
// constraint failure.
func isUniqueViolation(err error) bool {
	var e *sqlite3.Error
	if !errors.As(err, &e) {
		return false
	}
	c := e.Code()
	return c == sqlite3lib.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3lib.SQLITE_CONSTRAINT_PRIMARYKEY
}
