package sqlite

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/mppwallet/mppwallet/wallet"
)

// Column lists, in the order the args and scan functions below use.
const (
	userColumns = `id, name, currency, balance, per_payment, daily_amount,
	daily_count, kyc_verified, status, override, created_at`

	paymentColumns = `request_id, payment_id, customer_id, mode, status,
	result_code, amount_currency, amount_minor, payment_amount_currency,
	payment_amount_minor, quote_id, quote_currency_pair, quote_price,
	merchant_id, merchant_name, merchant_mcc, merchant_region,
	merchant_store_id, merchant_store_name, order_id, order_description,
	code_value, acquirer_id, psp_id, fingerprint, created_at, updated_at,
	paid_at, expires_at, refunded, refunded_payment`

	refundColumns = `request_id, refund_id, payment_request_id,
	amount_currency, amount_minor, refund_amount_currency, refund_amount_minor,
	fingerprint, created_at`

	entryColumns = `id, customer_id, kind, currency, amount, ref,
	balance_after, at`
)

// placeholders returns "?, ?, ..." with one ? per column in cols.
func placeholders(cols string) string {
	n := strings.Count(cols, ",") + 1
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// The range of times that fit in int64 unix nanoseconds.
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// encoder turns domain values into column values and remembers the first
// value it could not store.
type encoder struct {
	err error
}

// time encodes t as unix nanoseconds, 0 for the zero time. A non-zero time
// outside the int64 nanosecond range (years 1678 to 2262) is an error. The
// instant of the Unix epoch itself also encodes as 0 and so reads back as
// the zero time.
func (e *encoder) time(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	if t.Before(minTime) || t.After(maxTime) {
		if e.err == nil {
			e.err = fmt.Errorf("sqlite: time %s is outside the storable range", t)
		}
		return 0
	}
	return t.UnixNano()
}

// bound encodes t as a query bound in unix nanoseconds, clamping times
// outside the int64 range; the zero time is the lowest bound.
func bound(t time.Time) int64 {
	switch {
	case t.Before(minTime):
		return math.MinInt64
	case t.After(maxTime):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// nanoTime scans an INTEGER column of unix nanoseconds into a time.Time in
// UTC, 0 giving the zero time.
type nanoTime struct {
	t *time.Time
}

// Scan implements sql.Scanner.
func (n nanoTime) Scan(src any) error {
	v, ok := src.(int64)
	if !ok {
		return fmt.Errorf("sqlite: time column holds %T, want INTEGER", src)
	}
	if v == 0 {
		*n.t = time.Time{}
	} else {
		*n.t = time.Unix(0, v).UTC()
	}
	return nil
}

// userArgs returns the column values of a user, in userColumns order.
func userArgs(u wallet.User) ([]any, error) {
	var e encoder
	args := []any{
		u.ID, u.Name, u.Balance.Currency, u.Balance.Minor, u.Limits.PerPayment,
		u.Limits.DailyAmount, int64(u.Limits.DailyCount), u.KYCVerified,
		string(u.Status), string(u.Override), e.time(u.CreatedAt),
	}
	return args, e.err
}

// scanUser reads a user from a row of userColumns.
func scanUser(s scanner) (wallet.User, error) {
	var u wallet.User
	err := s.Scan(
		&u.ID, &u.Name, &u.Balance.Currency, &u.Balance.Minor, &u.Limits.PerPayment,
		&u.Limits.DailyAmount, &u.Limits.DailyCount, &u.KYCVerified,
		&u.Status, &u.Override, nanoTime{&u.CreatedAt},
	)
	return u, err
}

// paymentArgs returns the column values of a payment, in paymentColumns order.
func paymentArgs(p wallet.Payment) ([]any, error) {
	var e encoder
	args := []any{
		p.RequestID, p.PaymentID, p.CustomerID, string(p.Mode), string(p.Status),
		string(p.ResultCode), p.Amount.Currency, p.Amount.Minor, p.PaymentAmount.Currency,
		p.PaymentAmount.Minor, p.Quote.ID, p.Quote.CurrencyPair, p.Quote.Price,
		p.Merchant.ID, p.Merchant.Name, p.Merchant.MCC, p.Merchant.Region,
		p.Merchant.StoreID, p.Merchant.StoreName, p.OrderID, p.OrderDescription,
		p.CodeValue, p.AcquirerID, p.PSPID, p.Fingerprint, e.time(p.CreatedAt), e.time(p.UpdatedAt),
		e.time(p.PaidAt), e.time(p.ExpiresAt), p.Refunded, p.RefundedPayment,
	}
	return args, e.err
}

// scanPayment reads a payment from a row of paymentColumns.
func scanPayment(s scanner) (wallet.Payment, error) {
	var p wallet.Payment
	err := s.Scan(
		&p.RequestID, &p.PaymentID, &p.CustomerID, &p.Mode, &p.Status,
		&p.ResultCode, &p.Amount.Currency, &p.Amount.Minor, &p.PaymentAmount.Currency,
		&p.PaymentAmount.Minor, &p.Quote.ID, &p.Quote.CurrencyPair, &p.Quote.Price,
		&p.Merchant.ID, &p.Merchant.Name, &p.Merchant.MCC, &p.Merchant.Region,
		&p.Merchant.StoreID, &p.Merchant.StoreName, &p.OrderID, &p.OrderDescription,
		&p.CodeValue, &p.AcquirerID, &p.PSPID, &p.Fingerprint, nanoTime{&p.CreatedAt}, nanoTime{&p.UpdatedAt},
		nanoTime{&p.PaidAt}, nanoTime{&p.ExpiresAt}, &p.Refunded, &p.RefundedPayment,
	)
	return p, err
}

// refundArgs returns the column values of a refund, in refundColumns order.
func refundArgs(r wallet.Refund) ([]any, error) {
	var e encoder
	args := []any{
		r.RequestID, r.RefundID, r.PaymentRequestID,
		r.Amount.Currency, r.Amount.Minor, r.RefundAmount.Currency, r.RefundAmount.Minor,
		r.Fingerprint, e.time(r.CreatedAt),
	}
	return args, e.err
}

// scanRefund reads a refund from a row of refundColumns.
func scanRefund(s scanner) (wallet.Refund, error) {
	var r wallet.Refund
	err := s.Scan(
		&r.RequestID, &r.RefundID, &r.PaymentRequestID,
		&r.Amount.Currency, &r.Amount.Minor, &r.RefundAmount.Currency, &r.RefundAmount.Minor,
		&r.Fingerprint, nanoTime{&r.CreatedAt},
	)
	return r, err
}

// entryArgs returns the column values of an entry, in entryColumns order
// without id, which SQLite assigns.
func entryArgs(x wallet.Entry) ([]any, error) {
	var e encoder
	args := []any{
		x.CustomerID, string(x.Kind), x.Amount.Currency, x.Amount.Minor, x.Ref,
		x.BalanceAfter, e.time(x.At),
	}
	return args, e.err
}

// scanEntry reads an entry from a row of entryColumns.
func scanEntry(s scanner) (wallet.Entry, error) {
	var x wallet.Entry
	err := s.Scan(
		&x.ID, &x.CustomerID, &x.Kind, &x.Amount.Currency, &x.Amount.Minor, &x.Ref,
		&x.BalanceAfter, nanoTime{&x.At},
	)
	return x, err
}
