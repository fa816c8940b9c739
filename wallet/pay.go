package wallet

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/mppwallet/mppwallet/internal/money"
)

// PayOrder is a request to take money from a user, as Alipay+ sends it.
type PayOrder struct {
	// RequestID is Alipay+'s paymentRequestId (idempotency key).
	RequestID  string
	CustomerID string
	Mode       Mode
	// CodeValue is the payment code (UPM) or scanned code (MPM).
	CodeValue string
	// Amount is debited from the user (payToAmount, the user's currency).
	Amount money.Money
	// PaymentAmount is the merchant's amount (paymentAmount).
	PaymentAmount    money.Money
	Quote            Quote
	Merchant         Merchant
	OrderID          string
	OrderDescription string
	AcquirerID       string
	PSPID            string
	// ExpiresAt is paymentExpiryTime; zero means no expiry.
	ExpiresAt time.Time
	// Decline, when set, records the payment as FAILED with this code
	// without debiting: the user said no (Merchant-presented Mode).
	Decline Code
}

// Fingerprint hashes the fields that must agree when Alipay+ repeats a
// request with the same paymentRequestId.
func (o PayOrder) Fingerprint() string {
	return Fingerprint(o.CustomerID, o.CodeValue, o.Amount.String(), o.PaymentAmount.String(), string(o.Mode))
}

func (o PayOrder) validate() error {
	switch {
	case o.RequestID == "":
		return Errorf(CodeParamIllegal, "paymentRequestId is required")
	case o.CustomerID == "":
		return Errorf(CodeParamIllegal, "customerId is required")
	case o.Amount.Minor <= 0:
		return Errorf(CodeParamIllegal, "the amount must be positive")
	case o.PaymentAmount.Currency != "" && o.PaymentAmount.Minor <= 0:
		return Errorf(CodeParamIllegal, "the payment amount must be positive")
	case o.Decline != "" && !slices.Contains(DeclineCodes, o.Decline):
		return Errorf(CodeParamIllegal, "decline code %q: want one of %v", o.Decline, DeclineCodes)
	}
	if _, ok := money.Exponent(o.Amount.Currency); !ok {
		return Errorf(CodeParamIllegal, "unknown currency %q", o.Amount.Currency)
	}
	return nil
}

// Pay processes a payment request exactly once per RequestID.
//
// It returns the payment as stored: SUCCEEDED (debited), FAILED (declined
// with a ResultCode, nothing debited) or PROCESSING (the user must confirm;
// see Decide). A Merchant-presented Mode order is never held: the user
// confirmed it in the app before it was paid. A repeat with the same RequestID and the same key fields
// returns the stored payment without debiting again. Requests that are not
// stored at all come back as an *Error: REPEAT_REQ_INCONSISTENT,
// ORDER_IS_CLOSED (cancelled or past its expiry), USER_NOT_EXIST,
// PARAM_ILLEGAL.
func (s *Service) Pay(ctx context.Context, o PayOrder) (Payment, error) {
	if err := o.validate(); err != nil {
		return Payment{}, err
	}
	now := s.clock.Now()
	fp := o.Fingerprint()
	var out Payment
	fresh := false
	err := s.store.Update(ctx, func(tx Tx) error {
		fresh = false
		p, err := tx.Payment(o.RequestID)
		switch {
		case err == nil:
			if p.Fingerprint != fp {
				return Errorf(CodeRepeatInconsistent, "paymentRequestId %s was used with different key fields", o.RequestID)
			}
			out = p
			return nil
		case !errors.Is(err, ErrNotFound):
			return err
		}
		closed, err := tx.Closed(o.RequestID)
		if err != nil {
			return err
		}
		if closed {
			return Errorf(CodeOrderClosed, "payment %s was cancelled", o.RequestID)
		}
		if !o.ExpiresAt.IsZero() && !now.Before(o.ExpiresAt) {
			return Errorf(CodeOrderClosed, "the payment expired at %s", o.ExpiresAt.Format(time.RFC3339))
		}
		u, err := tx.User(o.CustomerID)
		if errors.Is(err, ErrNotFound) {
			return Errorf(CodeUserNotExist, "no user %q", o.CustomerID)
		} else if err != nil {
			return err
		}
		p = Payment{
			RequestID: o.RequestID, PaymentID: s.newID(now), CustomerID: o.CustomerID, Mode: o.Mode,
			Amount: o.Amount, PaymentAmount: o.PaymentAmount, Quote: o.Quote, Merchant: o.Merchant,
			OrderID: o.OrderID, OrderDescription: o.OrderDescription, CodeValue: o.CodeValue,
			AcquirerID: o.AcquirerID, PSPID: o.PSPID, Fingerprint: fp,
			CreatedAt: now, UpdatedAt: now, ExpiresAt: o.ExpiresAt,
		}
		if o.Decline != "" {
			p.Status, p.ResultCode = StatusFailed, o.Decline
		} else if err := s.settle(tx, &u, &p, now, o.Mode != ModeMPM); err != nil {
			return err
		}
		if err := tx.InsertPayment(p); err != nil {
			return err
		}
		out, fresh = p, true
		return nil
	})
	if err != nil {
		return Payment{}, err
	}
	if fresh {
		kind := EventDecided
		if out.Status == StatusProcessing {
			kind = EventReceived
		}
		s.events.publish(Event{Kind: kind, Payment: out, At: now})
	}
	return out, nil
}

// settle decides a new or held payment inside tx: it either debits the user
// (SUCCEEDED), declines (FAILED with a code) or, when ask is true and the
// user's override says so, holds it (PROCESSING).
func (s *Service) settle(tx Tx, u *User, p *Payment, now time.Time, ask bool) error {
	code, err := s.check(tx, *u, p.Amount, now)
	if err != nil {
		return err
	}
	p.UpdatedAt = now
	switch {
	case code != "":
		p.Status, p.ResultCode = StatusFailed, code
		return nil
	case ask && u.Override == OverrideAsk:
		p.Status, p.ResultCode = StatusProcessing, CodeInProcess
		return nil
	}
	if err := debit(u, p.Amount.Minor); err != nil {
		return err
	}
	if err := tx.UpdateUser(*u); err != nil {
		return err
	}
	if _, err := tx.AddEntry(Entry{
		CustomerID: u.ID, Kind: EntryDebit, Amount: money.Money{Currency: p.Amount.Currency, Minor: -p.Amount.Minor},
		Ref: p.RequestID, BalanceAfter: u.Balance.Minor, At: now,
	}); err != nil {
		return err
	}
	p.Status, p.ResultCode, p.PaidAt = StatusSucceeded, CodeSuccess, now
	return nil
}

// check returns the decline code for paying amount now, or "" when the user
// may pay.
func (s *Service) check(tx Tx, u User, amount money.Money, now time.Time) (Code, error) {
	switch {
	case u.Status != UserActive:
		return CodeUserStatusAbnormal, nil
	case !u.KYCVerified:
		return CodeKYCNotQualified, nil
	case amount.Currency != u.Currency():
		return CodeCurrencyNotSupport, nil
	case u.Override != "" && u.Override != OverrideAsk:
		return Code(u.Override), nil
	case u.Limits.PerPayment > 0 && amount.Minor > u.Limits.PerPayment:
		return CodeAmountExceedLimit, nil
	}
	if u.Limits.DailyAmount > 0 || u.Limits.DailyCount > 0 {
		from, to := s.dayBounds(now)
		spent, count, err := tx.Spent(u.ID, from, to)
		if err != nil {
			return "", err
		}
		// A day's total past int64 is past any limit.
		total, overflow := money.AddMinor(spent, amount.Minor)
		if u.Limits.DailyAmount > 0 && (overflow != nil || total > u.Limits.DailyAmount) {
			return CodeUserAmountExceedLimit, nil
		}
		if u.Limits.DailyCount > 0 && count >= u.Limits.DailyCount {
			return CodeCountExceedLimit, nil
		}
	}
	if amount.Minor > u.Balance.Minor {
		return CodeBalanceNotEnough, nil
	}
	return "", nil
}

// Decide ends a PROCESSING payment with the user's answer: approve runs the
// checks again and debits; decline fails it with code (default
// USER_PAYMENT_VERIFICATION_FAILED). A payment past its expiry fails with
// ORDER_IS_CLOSED; a cancelled one returns an ORDER_IS_CLOSED error.
func (s *Service) Decide(ctx context.Context, requestID string, approve bool, code Code) (Payment, error) {
	if code == "" {
		code = CodeVerificationFailed
	}
	if !approve && !slices.Contains(DeclineCodes, code) {
		return Payment{}, Errorf(CodeParamIllegal, "decline code %q: want one of %v", code, DeclineCodes)
	}
	now := s.clock.Now()
	var out Payment
	err := s.store.Update(ctx, func(tx Tx) error {
		p, err := tx.Payment(requestID)
		if errors.Is(err, ErrNotFound) {
			return Errorf(CodeOrderNotExist, "no payment %s", requestID)
		} else if err != nil {
			return err
		}
		switch p.Status {
		case StatusCancelled:
			return Errorf(CodeOrderClosed, "payment %s was cancelled", requestID)
		case StatusSucceeded, StatusFailed:
			return Errorf(CodeOrderStatusInvalid, "payment %s is already %s", requestID, p.Status)
		}
		switch {
		case !p.ExpiresAt.IsZero() && !now.Before(p.ExpiresAt):
			p.Status, p.ResultCode, p.UpdatedAt = StatusFailed, CodeOrderClosed, now
		case !approve:
			p.Status, p.ResultCode, p.UpdatedAt = StatusFailed, code, now
		default:
			u, err := tx.User(p.CustomerID)
			if err != nil {
				return err
			}
			if err := s.settle(tx, &u, &p, now, false); err != nil {
				return err
			}
		}
		out = p
		return tx.UpdatePayment(p)
	})
	if err != nil {
		return Payment{}, err
	}
	s.events.publish(Event{Kind: EventDecided, Payment: out, At: now})
	return out, nil
}

// Inquire returns a payment by paymentRequestId. An id that was cancelled
// before any pay arrived comes back CANCELLED; an unknown one is an
// ORDER_NOT_EXIST error.
func (s *Service) Inquire(ctx context.Context, requestID string) (Payment, error) {
	var out Payment
	err := s.store.View(ctx, func(tx Tx) error {
		p, err := tx.Payment(requestID)
		if err == nil {
			out = p
			return nil
		}
		if !errors.Is(err, ErrNotFound) {
			return err
		}
		closed, err := tx.Closed(requestID)
		if err != nil {
			return err
		}
		if !closed {
			return Errorf(CodeOrderNotExist, "no payment %s", requestID)
		}
		out = Payment{RequestID: requestID, Status: StatusCancelled, ResultCode: CodeOrderClosed}
		return nil
	})
	return out, err
}
