package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// The statements of the transactions (tx.go).
var (
	qUser          = `SELECT ` + userColumns + ` FROM users WHERE id = ?`
	qInsertUser    = `INSERT INTO users (` + userColumns + `) VALUES (` + placeholders(userColumns) + `) ON CONFLICT DO NOTHING`
	qUpdateUser    = `UPDATE users SET (` + userColumns + `) = (` + placeholders(userColumns) + `) WHERE id = ?`
	qPayment       = `SELECT ` + paymentColumns + ` FROM payments WHERE request_id = ?`
	qPaymentExists = `SELECT COUNT(*) FROM payments WHERE request_id = ?`
	qInsertPayment = `INSERT INTO payments (` + paymentColumns + `) VALUES (` + placeholders(paymentColumns) + `) ON CONFLICT DO NOTHING`
	qUpdatePayment = `UPDATE payments SET (` + paymentColumns + `) = (` + placeholders(paymentColumns) + `) WHERE request_id = ?`
	qRefund        = `SELECT ` + refundColumns + ` FROM refunds WHERE request_id = ?`
	qInsertRefund  = `INSERT INTO refunds (` + refundColumns + `) VALUES (` + placeholders(refundColumns) + `) ON CONFLICT DO NOTHING`
	qInsertEntry   = `INSERT INTO entries (customer_id, kind, currency, amount, ref, balance_after, at) VALUES (?, ?, ?, ?, ?, ?, ?)`
	// qSpent sums the amounts in two halves (the high 32 bits and the low
	// 32), which cannot overflow, because SQLite's SUM fails on a total
	// past int64; spentTotal puts them back together.
	qSpent = `SELECT COALESCE(SUM(amount_minor >> 32), 0), COALESCE(SUM(amount_minor & 4294967295), 0), COUNT(*)
		FROM payments WHERE customer_id = ? AND status = ? AND paid_at >= ? AND paid_at < ?`
	qClosed     = `SELECT COUNT(*) FROM closed_requests WHERE request_id = ?`
	qMarkClosed = `INSERT INTO closed_requests (request_id, closed_at) VALUES (?, ?) ON CONFLICT DO NOTHING`
	// The writer's transactions (writer.go), and the savepoint of each
	// function of a group commit. BEGIN IMMEDIATE takes the write lock at
	// once, so a read-modify-write cannot be overtaken.
	qBegin      = `BEGIN IMMEDIATE`
	qCommit     = `COMMIT`
	qRollback   = `ROLLBACK`
	qSavepoint  = `SAVEPOINT fn`
	qRelease    = `RELEASE fn`
	qRollbackTo = `ROLLBACK TO fn`
	qCheckpoint = `PRAGMA wal_checkpoint(PASSIVE)`
)

// readQueries run in View transactions too; writeQueries only in Update.
var (
	readQueries  = []string{qUser, qPayment, qPaymentExists, qRefund, qSpent, qClosed}
	writeQueries = []string{qInsertUser, qUpdateUser, qInsertPayment, qUpdatePayment, qInsertRefund, qInsertEntry, qMarkClosed,
		qBegin, qCommit, qRollback, qSavepoint, qRelease, qRollbackTo, qCheckpoint}
)

// stmtCache holds the transactions' statements, prepared once when the
// store opens (the writer's on its connection). SQLite parses and plans a statement when it is prepared:
// without the cache every query of every transaction was parsed again,
// which took about a third of a payment's time in the ledger.
// database/sql prepares each statement once on every connection it runs
// on. The map is written only by prepare, before any transaction, so reads
// need no lock.
type stmtCache struct {
	m map[string]*sql.Stmt
}

// preparer is a *sql.DB (its statements run on any of its connections) or
// a *sql.Conn (they run on that connection).
type preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// prepare prepares queries on db.
func prepare(ctx context.Context, db preparer, queries ...[]string) (*stmtCache, error) {
	c := &stmtCache{m: map[string]*sql.Stmt{}}
	for _, qs := range queries {
		for _, q := range qs {
			s, err := db.PrepareContext(ctx, q)
			if err != nil {
				c.close()
				return nil, fmt.Errorf("prepare %.40q: %w", q, err)
			}
			c.m[q] = s
		}
	}
	return c, nil
}

// get returns the prepared statement of query, or nil.
func (c *stmtCache) get(query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	return c.m[query]
}

// close closes every prepared statement.
func (c *stmtCache) close() error {
	if c == nil {
		return nil
	}
	var errs []error
	for _, s := range c.m {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}
