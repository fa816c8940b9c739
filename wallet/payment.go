package wallet

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/mppwallet/mppwallet/internal/money"
)

// Mode is how a payment started.
type Mode string

// Payment modes.
const (
	// ModeUPM is User-presented Mode: the merchant scanned the user's code.
	ModeUPM Mode = "UPM"
	// ModeMPM is Merchant-presented Mode: the user scanned the merchant's code.
	ModeMPM Mode = "MPM"
)

// Status is where a payment stands.
type Status string

// Payment statuses.
const (
	// StatusProcessing waits for the user's confirmation; nothing is debited.
	StatusProcessing Status = "PROCESSING"
	// StatusSucceeded means the amount was debited.
	StatusSucceeded Status = "SUCCEEDED"
	// StatusFailed means the payment was declined; nothing was debited.
	StatusFailed Status = "FAILED"
	// StatusCancelled means Alipay+ closed the order; any debit was returned.
	StatusCancelled Status = "CANCELLED"
)

// Quote is the FX rate between the merchant's and the user's currency.
type Quote struct {
	ID           string
	CurrencyPair string
	Price        string
}

// Merchant is who is paid.
type Merchant struct {
	ID        string
	Name      string
	MCC       string
	Region    string
	StoreID   string
	StoreName string
}

// Payment is one payment request from Alipay+ and what the wallet did with it.
type Payment struct {
	// RequestID is Alipay+'s paymentRequestId, the idempotency key.
	RequestID string
	// PaymentID is the wallet's own id for the payment.
	PaymentID  string
	CustomerID string
	Mode       Mode
	Status     Status
	// ResultCode is SUCCESS, PAYMENT_IN_PROCESS or the decline code.
	ResultCode Code
	// Amount is what the user pays, in the user's currency (payToAmount).
	Amount money.Money
	// PaymentAmount is what the merchant asked for, in its currency.
	PaymentAmount    money.Money
	Quote            Quote
	Merchant         Merchant
	OrderID          string
	OrderDescription string
	// CodeValue is the payment code (UPM) or the scanned code (MPM).
	CodeValue  string
	AcquirerID string
	PSPID      string
	// Fingerprint identifies the key fields of the request; a repeat with the
	// same RequestID but another fingerprint is inconsistent.
	Fingerprint string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	PaidAt      time.Time
	ExpiresAt   time.Time
	// Refunded is how much of Amount went back to the user, in minor units.
	Refunded int64
	// RefundedPayment is how much of PaymentAmount the refunds asked in the
	// merchant's currency add up to, in its minor units.
	RefundedPayment int64
}

// Refundable is what can still be refunded, in minor units.
func (p Payment) Refundable() int64 {
	if p.Status != StatusSucceeded {
		return 0
	}
	return p.Amount.Minor - p.Refunded
}

// Final reports whether the payment has reached a final state.
func (p Payment) Final() bool { return p.Status != StatusProcessing }

// Fingerprint hashes the key fields of a request so repeats can be compared.
func Fingerprint(fields ...string) string {
	h := sha256.Sum256([]byte(strings.Join(fields, "\x1f")))
	return hex.EncodeToString(h[:16])
}

// Refund is money returned to the user for a payment.
type Refund struct {
	// RequestID is Alipay+'s refundRequestId, the idempotency key.
	RequestID        string
	RefundID         string
	PaymentRequestID string
	// Amount is what was credited to the user, in the user's currency.
	Amount money.Money
	// RefundAmount is what Alipay+ asked to refund, in its currency.
	RefundAmount money.Money
	Fingerprint  string
	CreatedAt    time.Time
}

// EntryKind classifies a ledger entry.
type EntryKind string

// Ledger entry kinds.
const (
	EntryOpening EntryKind = "OPENING"
	EntryTopUp   EntryKind = "TOPUP"
	EntryDebit   EntryKind = "DEBIT"
	EntryRefund  EntryKind = "REFUND"
	EntryCancel  EntryKind = "CANCEL"
)

// Entry is one movement of a user's balance. The balance always equals the
// sum of the user's entries.
type Entry struct {
	ID         int64
	CustomerID string
	Kind       EntryKind
	// Amount is signed: debits are negative.
	Amount money.Money
	// Ref is the paymentRequestId or refundRequestId behind the entry.
	Ref          string
	BalanceAfter int64
	At           time.Time
}
