package wallet

import (
	"context"
	"errors"

	"github.com/mppwallet/mppwallet/internal/money"
)

// Cancel closes a payment whatever its state, as Alipay+'s cancelPayment
// demands: a debited payment gets back what was not yet refunded, a held or
// failed one just closes. An unknown id is remembered as closed so a late
// pay is refused; known reports whether the payment existed. Repeating a
// cancel changes nothing.
func (s *Service) Cancel(ctx context.Context, requestID string) (p Payment, known bool, err error) {
	if requestID == "" {
		return Payment{}, false, Errorf(CodeParamIllegal, "paymentRequestId is required")
	}
	now := s.clock.Now()
	changed := false
	err = s.store.Update(ctx, func(tx Tx) error {
		changed = false
		cur, err := tx.Payment(requestID)
		if errors.Is(err, ErrNotFound) {
			known = false
			closed, err := tx.Closed(requestID)
			if err != nil || closed {
				return err
			}
			return tx.MarkClosed(requestID, now)
		} else if err != nil {
			return err
		}
		known = true
		p = cur
		if cur.Status == StatusCancelled {
			return nil
		}
		if back := cur.Refundable(); back > 0 {
			u, err := tx.User(cur.CustomerID)
			if err != nil {
				return err
			}
			if err := credit(&u, back, "cancelling payment "+requestID+": the return of"); err != nil {
				return err
			}
			if err := tx.UpdateUser(u); err != nil {
				return err
			}
			if _, err := tx.AddEntry(Entry{
				CustomerID: u.ID, Kind: EntryCancel, Amount: money.Money{Currency: cur.Amount.Currency, Minor: back},
				Ref: requestID, BalanceAfter: u.Balance.Minor, At: now,
			}); err != nil {
				return err
			}
		}
		p.Status, p.ResultCode, p.UpdatedAt = StatusCancelled, CodeOrderClosed, now
		changed = true
		return tx.UpdatePayment(p)
	})
	if err != nil {
		return Payment{}, false, err
	}
	if changed {
		s.events.publish(Event{Kind: EventCancelled, Payment: p, At: now})
	}
	return p, known, nil
}
