package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/mppwallet/mppwallet/wallet"
)

// Users lists all users ordered by ID.
func (s *Store) Users(ctx context.Context) ([]wallet.User, error) {
	return list(ctx, s, "users", scanUser, `SELECT `+userColumns+` FROM users ORDER BY id`)
}

// Payments lists payments newest first (by creation time, then by insertion
// order), only the customer's when f.CustomerID is set, at most f.Limit when
// it is positive.
func (s *Store) Payments(ctx context.Context, f wallet.PaymentFilter) ([]wallet.Payment, error) {
	query := `SELECT ` + paymentColumns + ` FROM payments`
	var args []any
	var where []string
	if f.CustomerID != "" {
		where = append(where, `customer_id = ?`)
		args = append(args, f.CustomerID)
	}
	if f.Status != "" {
		where = append(where, `status = ?`)
		args = append(args, string(f.Status))
	}
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY created_at DESC, rowid DESC`
	if f.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	return list(ctx, s, "payments", scanPayment, query, args...)
}

// Refunds lists the refunds of the payment with this paymentRequestId,
// oldest first; "" lists every refund.
func (s *Store) Refunds(ctx context.Context, paymentRequestID string) ([]wallet.Refund, error) {
	query := `SELECT ` + refundColumns + ` FROM refunds`
	var args []any
	if paymentRequestID != "" {
		query += ` WHERE payment_request_id = ?`
		args = append(args, paymentRequestID)
	}
	query += ` ORDER BY created_at, rowid`
	return list(ctx, s, "refunds", scanRefund, query, args...)
}

// Entries lists a user's ledger entries, oldest first.
func (s *Store) Entries(ctx context.Context, customerID string) ([]wallet.Entry, error) {
	return list(ctx, s, "entries", scanEntry,
		`SELECT `+entryColumns+` FROM entries WHERE customer_id = ? ORDER BY id`, customerID)
}

// list runs a query on the reader pool and scans every row with scan.
func list[T any](ctx context.Context, s *Store, what string, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list %s: %w", what, err)
	}
	return out, nil
}
