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
	// Payments lists the customer's payments (refunds included as the
	// refunded amounts), newest first; limit 0 means all.
	Payments(ctx context.Context, customerID string, limit int) ([]wallet.Payment, error)
	// Users lists the wallet's users.
	Users(ctx context.Context) ([]wallet.User, error)
	// Exchanges returns the Alipay+ exchanges recorded after sinceSeq,
	// oldest first.
	Exchanges(ctx context.Context, sinceSeq int64) ([]Exchange, error)
	// ExportTranscript writes the retained exchanges as JSON lines and
	// returns the file's path.
	ExportTranscript(ctx context.Context) (path string, err error)
}

// Exchange is one Alipay+ exchange as the inspector shows it.
type Exchange struct {
	Seq                                      int64
	At                                       time.Time
	Direction, API, ResultStatus, ResultCode string
	Signature                                string
	LatencyMs                                float64
	Findings                                 int
	RequestBody, ResponseBody                string
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
