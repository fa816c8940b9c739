package pos

import (
	"context"
	"fmt"
	"time"

	"github.com/mppwallet/mppwallet/internal/money"
)

// Status is where a sale stands, as the till log shows it.
type Status string

// The statuses of a sale: the gateway's payment statuses, and REFUNDED for
// a paid sale refunded in full.
const (
	StatusSuccess    Status = "SUCCESS"
	StatusFail       Status = "FAIL"
	StatusProcessing Status = "PROCESSING"
	StatusCancelled  Status = "CANCELLED"
	StatusRefunded   Status = "REFUNDED"
)

// Sale is one charge of a scanned code and what the gateway said of it.
type Sale struct {
	// Code is the scanned payment code (views mask it, see Mask).
	Code string
	// Amount is what the sale charges.
	Amount money.Money
	// RequestID is the merchant's paymentRequestId, unique per sale.
	RequestID string
	// PaymentID is the gateway's paymentId (paid sales only).
	PaymentID string
	// Status is the sale's status.
	Status Status
	// ResultCode and ResultMessage are the gateway's answer, e.g.
	// SUCCESS, INVALID_CODE or USER_BALANCE_NOT_ENOUGH.
	ResultCode, ResultMessage string
	// Customer names the payer as the wallet shows it (may be empty).
	Customer string
	// PaidAt is when the gateway says the sale was paid.
	PaidAt time.Time
	// Refunded is how much of Amount was refunded so far.
	Refunded money.Money
}

// Paid reports whether the sale took the customer's money.
func (s Sale) Paid() bool { return s.Status == StatusSuccess }

// Refundable is what is left to refund of a paid sale.
func (s Sale) Refundable() money.Money {
	if !s.Paid() {
		return money.Money{Currency: s.Amount.Currency}
	}
	return money.Money{Currency: s.Amount.Currency, Minor: s.Amount.Minor - s.Refunded.Minor}
}

// Refund is one accepted refund of a sale.
type Refund struct {
	// RequestID is the merchant's refundRequestId; RefundID the gateway's.
	RequestID, RefundID string
	// Amount is what was refunded.
	Amount money.Money
}

// Refusal is the gateway saying no (an F result) to a refund or a void:
// nothing changed.
type Refusal struct {
	Code, Message string
}

// Error implements error.
func (r *Refusal) Error() string {
	if r.Message == "" {
		return r.Code
	}
	return fmt.Sprintf("%s: %s", r.Code, r.Message)
}

// Till is the gateway as the till sees it. Every method is called from a
// tea.Cmd, never from Update, and must respect ctx.
type Till interface {
	// Charge charges code for amount and returns when the sale is final,
	// or when it gave up (its deadline passed, or ctx was cancelled: then
	// it voids the sale and says so). A refused code is a Sale with Status
	// FAIL and the gateway's result code, not an error; an error means the
	// gateway could not be asked or did not answer.
	Charge(ctx context.Context, code string, amount money.Money) (Sale, error)
	// Refund refunds amount of a paid sale (partial refunds allowed up to
	// what is left). A refusal is a *Refusal.
	Refund(ctx context.Context, sale Sale, amount money.Money) (Refund, error)
	// Void cancels a sale, refunding it when it was paid. A refusal is a
	// *Refusal.
	Void(ctx context.Context, sale Sale) error
}
