package wallet

import (
	"context"
	"errors"
	"math/big"

	"github.com/mppwallet/mppwallet/internal/money"
)

// RefundOrder is Alipay+'s request to return money for a payment.
type RefundOrder struct {
	// RequestID is the refundRequestId (idempotency key).
	RequestID        string
	PaymentRequestID string
	// PaymentID, when set, must be the wallet's id of that payment.
	PaymentID string
	// Amount is refundAmount, in the merchant's or the user's currency.
	Amount money.Money
}

// Fingerprint hashes the fields that must agree when a refund repeats.
func (o RefundOrder) Fingerprint() string {
	return Fingerprint(o.PaymentRequestID, o.PaymentID, o.Amount.String())
}

// Refund returns money to the user exactly once per RequestID and never more
// than what is left of the payment. An amount in the merchant's currency is
// converted at the payment's own rate (the full payment amount gives back
// exactly what was debited).
func (s *Service) Refund(ctx context.Context, o RefundOrder) (Refund, error) {
	switch {
	case o.RequestID == "":
		return Refund{}, Errorf(CodeParamIllegal, "refundRequestId is required")
	case o.PaymentRequestID == "":
		return Refund{}, Errorf(CodeParamIllegal, "paymentRequestId is required")
	case o.Amount.Minor <= 0:
		return Refund{}, Errorf(CodeParamIllegal, "the refund amount must be positive")
	}
	now := s.clock.Now()
	fp := o.Fingerprint()
	var out Refund
	var paid Payment
	fresh := false
	err := s.store.Update(ctx, func(tx Tx) error {
		fresh = false
		if r, err := tx.Refund(o.RequestID); err == nil {
			if r.Fingerprint != fp {
				return Errorf(CodeRepeatInconsistent, "refundRequestId %s was used with different key fields", o.RequestID)
			}
			out = r
			return nil
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		p, err := tx.Payment(o.PaymentRequestID)
		if errors.Is(err, ErrNotFound) {
			return Errorf(CodeOrderNotExist, "no payment %s", o.PaymentRequestID)
		} else if err != nil {
			return err
		}
		if o.PaymentID != "" && o.PaymentID != p.PaymentID {
			return Errorf(CodeOrderNotExist, "payment %s has no paymentId %s", o.PaymentRequestID, o.PaymentID)
		}
		if p.Status != StatusSucceeded {
			return Errorf(CodeOrderStatusInvalid, "payment %s is %s, only a successful payment can be refunded", p.RequestID, p.Status)
		}
		c, err := refundCredit(&p, o.Amount)
		if err != nil {
			return err
		}
		if c > p.Refundable() {
			return Errorf(CodeRefundAmountExceed, "%s asked, %s left to refund",
				money.Money{Currency: p.Amount.Currency, Minor: c}, money.Money{Currency: p.Amount.Currency, Minor: p.Refundable()})
		}
		u, err := tx.User(p.CustomerID)
		if err != nil {
			return err
		}
		if err := credit(&u, c, "a refund of"); err != nil {
			return err
		}
		refunded, err := money.AddMinor(p.Refunded, c)
		if err != nil {
			return overflowf("payment %s: its refunds would overflow (%d + %d minor units); nothing changed", p.RequestID, p.Refunded, c)
		}
		if err := tx.UpdateUser(u); err != nil {
			return err
		}
		if _, err := tx.AddEntry(Entry{
			CustomerID: u.ID, Kind: EntryRefund, Amount: money.Money{Currency: p.Amount.Currency, Minor: c},
			Ref: o.RequestID, BalanceAfter: u.Balance.Minor, At: now,
		}); err != nil {
			return err
		}
		p.Refunded, p.UpdatedAt = refunded, now
		if err := tx.UpdatePayment(p); err != nil {
			return err
		}
		r := Refund{
			RequestID: o.RequestID, RefundID: s.newID(now), PaymentRequestID: p.RequestID,
			Amount: money.Money{Currency: p.Amount.Currency, Minor: c}, RefundAmount: o.Amount,
			Fingerprint: fp, CreatedAt: now,
		}
		if err := tx.InsertRefund(r); err != nil {
			return err
		}
		out, paid, fresh = r, p, true
		return nil
	})
	if err != nil {
		return Refund{}, err
	}
	if fresh {
		r := out
		s.events.publish(Event{Kind: EventRefunded, Payment: paid, Refund: &r, At: now})
	}
	return out, nil
}

// refundCredit converts a refund amount into the user's currency. Refunds
// in the merchant's currency are converted cumulatively: the credit is the
// converted running total minus what the earlier ones credited, so parts
// that add up to the whole payment give back exactly what was debited, and
// their sum can never pass the merchant's amount. It records the running
// total on p.
func refundCredit(p *Payment, amt money.Money) (int64, error) {
	switch amt.Currency {
	case p.Amount.Currency:
		return amt.Minor, nil
	case p.PaymentAmount.Currency:
		total := p.PaymentAmount.Minor
		if total <= 0 {
			return 0, Errorf(CodeCurrencyNotSupport, "payment %s has no amount in %s", p.RequestID, amt.Currency)
		}
		if amt.Minor > total-p.RefundedPayment {
			return 0, Errorf(CodeRefundAmountExceed, "%s asked, %s left to refund", amt,
				money.Money{Currency: amt.Currency, Minor: total - p.RefundedPayment})
		}
		sum, err := money.AddMinor(p.RefundedPayment, amt.Minor)
		if err != nil {
			return 0, overflowf("payment %s: its refunds in %s would overflow (%d + %d minor units); nothing changed",
				p.RequestID, amt.Currency, p.RefundedPayment, amt.Minor)
		}
		before := convert(p.Amount.Minor, p.RefundedPayment, total)
		p.RefundedPayment = sum
		return convert(p.Amount.Minor, p.RefundedPayment, total) - before, nil
	}
	return 0, Errorf(CodeCurrencyNotSupport, "refund currency %s is neither %s nor %s", amt.Currency, p.PaymentAmount.Currency, p.Amount.Currency)
}

// convert returns debited * part / whole rounded down, without overflow;
// the whole converts to exactly debited.
func convert(debited, part, whole int64) int64 {
	if part == whole {
		return debited
	}
	n := new(big.Int).Mul(big.NewInt(debited), big.NewInt(part))
	return n.Quo(n, big.NewInt(whole)).Int64()
}
