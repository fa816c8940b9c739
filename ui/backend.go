package ui

import (
	"context"
	"time"

	"github.com/mppwallet/mppwallet/wallet"
)

// Backend is what the screens need from the wallet and the network.
type Backend interface {
	// FetchCodes asks Alipay+ for n payment codes for the customer.
	FetchCodes(ctx context.Context, customerID string, n int) ([]wallet.PaymentCode, error)
	// Confirm answers a payment held for the user's confirmation and
	// reports it to Alipay+.
	Confirm(ctx context.Context, requestID string, approve bool) (wallet.Payment, error)
	// User returns the customer (name, balance).
	User(ctx context.Context, id string) (wallet.User, error)
}

// Config sets up the app.
type Config struct {
	Backend    Backend
	CustomerID string
	// Events are the wallet server's payment events.
	Events <-chan wallet.Event
	// Now is the clock (default time.Now).
	Now func() time.Time
	// CodeBatch is how many codes to fetch at once (default 4, at most 10).
	CodeBatch int
	// Barcode starts on the Code 128 view instead of the QR code.
	Barcode bool
}
