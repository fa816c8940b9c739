package wallet

import (
	"context"
	"time"
)

// Tx is the view of storage inside one transaction. Every state change of
// the wallet happens in a single Tx, so it is all or nothing.
type Tx interface {
	// User returns the user or ErrNotFound.
	User(id string) (User, error)
	// InsertUser stores a new user or returns ErrExists.
	InsertUser(u User) error
	// UpdateUser replaces a stored user (ErrNotFound if absent).
	UpdateUser(u User) error

	// Payment returns the payment with this paymentRequestId or ErrNotFound.
	Payment(requestID string) (Payment, error)
	// InsertPayment stores a new payment or returns ErrExists.
	InsertPayment(p Payment) error
	// UpdatePayment replaces a stored payment (ErrNotFound if absent).
	UpdatePayment(p Payment) error

	// Refund returns the refund with this refundRequestId or ErrNotFound.
	Refund(requestID string) (Refund, error)
	// InsertRefund stores a new refund or returns ErrExists.
	InsertRefund(r Refund) error

	// AddEntry appends a ledger entry and returns it with its ID set.
	AddEntry(e Entry) (Entry, error)

	// Spent sums the user's successful (not cancelled) payments paid in
	// [from, to): total minor units and count. A total past math.MaxInt64
	// comes back as math.MaxInt64 (it is past any limit), never an error.
	Spent(customerID string, from, to time.Time) (amount int64, count int, err error)

	// Closed reports whether an unknown paymentRequestId was cancelled.
	Closed(requestID string) (bool, error)
	// MarkClosed remembers that a paymentRequestId was cancelled before any
	// pay arrived, so a late pay is refused.
	MarkClosed(requestID string, at time.Time) error
}

// PaymentFilter narrows Store.Payments. Zero values match everything.
type PaymentFilter struct {
	CustomerID string
	// Status keeps only payments in this state (PROCESSING: the ones
	// waiting for the user's answer or an outcome).
	Status Status
	// Limit caps the number of payments returned, newest first (0 = all).
	Limit int
}

// Store keeps the wallet's state.
type Store interface {
	// Update runs fn in a read-write transaction; fn's error rolls it back.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	// Users lists all users ordered by ID.
	Users(ctx context.Context) ([]User, error)
	// Payments lists payments newest first.
	Payments(ctx context.Context, f PaymentFilter) ([]Payment, error)
	// Refunds lists the refunds of a payment, oldest first ("" = all refunds).
	Refunds(ctx context.Context, paymentRequestID string) ([]Refund, error)
	// Entries lists a user's ledger entries, oldest first.
	Entries(ctx context.Context, customerID string) ([]Entry, error)
	// Close releases the store.
	Close() error
}
