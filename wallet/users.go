package wallet

import (
	"context"
	"errors"

	"github.com/mppwallet/mppwallet/internal/money"
)

// AddUser stores a new user with an opening ledger entry for its balance.
// Status defaults to ACTIVE.
func (s *Service) AddUser(ctx context.Context, u User) (User, error) {
	if u.Status == "" {
		u.Status = UserActive
	}
	if err := u.Validate(); err != nil {
		return User{}, err
	}
	now := s.clock.Now()
	u.CreatedAt = now
	err := s.store.Update(ctx, func(tx Tx) error {
		if err := tx.InsertUser(u); errors.Is(err, ErrExists) {
			return Errorf(CodeParamIllegal, "user %q already exists", u.ID)
		} else if err != nil {
			return err
		}
		_, err := tx.AddEntry(Entry{CustomerID: u.ID, Kind: EntryOpening, Amount: u.Balance, BalanceAfter: u.Balance.Minor, At: now})
		return err
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

// CustomerCurrency returns the currency user id pays in, and false when
// there is no such user (or the ledger cannot be read): what the
// simulator asks of a wallet to quote a payment in its customer's
// currency.
func (s *Service) CustomerCurrency(id string) (string, bool) {
	u, err := s.User(context.Background(), id)
	return u.Currency(), err == nil
}

// User returns one user; an unknown id is a USER_NOT_EXIST error.
func (s *Service) User(ctx context.Context, id string) (User, error) {
	var u User
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		u, err = tx.User(id)
		if errors.Is(err, ErrNotFound) {
			return Errorf(CodeUserNotExist, "no user %q", id)
		}
		return err
	})
	return u, err
}

// UpdateUser changes a user's settings (name, limits, KYC, status,
// override) with fn. The balance and currency cannot change this way: use
// TopUp, or Adjust to do both at once.
func (s *Service) UpdateUser(ctx context.Context, id string, fn func(*User) error) (User, error) {
	return s.Adjust(ctx, id, fn, 0)
}

// TopUp adds money to a user's balance, in the user's currency.
func (s *Service) TopUp(ctx context.Context, id string, amt money.Money) (User, error) {
	if amt.Minor <= 0 {
		return User{}, Errorf(CodeParamIllegal, "the top-up amount must be positive")
	}
	return s.Adjust(ctx, id, func(u *User) error {
		if amt.Currency != u.Currency() {
			return Errorf(CodeCurrencyNotSupport, "user %q holds %s, not %s", id, u.Currency(), amt.Currency)
		}
		return nil
	}, amt.Minor)
}

// Adjust changes a user's settings with fn (nil for none) and adds topUp
// minor units to the balance, in one transaction: either all of it happens
// or nothing does. A top-up gets a TOPUP ledger entry.
func (s *Service) Adjust(ctx context.Context, id string, fn func(*User) error, topUp int64) (User, error) {
	if topUp < 0 {
		return User{}, Errorf(CodeParamIllegal, "the top-up amount must be positive")
	}
	now := s.clock.Now()
	var out User
	err := s.store.Update(ctx, func(tx Tx) error {
		u, err := tx.User(id)
		if errors.Is(err, ErrNotFound) {
			return Errorf(CodeUserNotExist, "no user %q", id)
		} else if err != nil {
			return err
		}
		n := u
		if fn != nil {
			if err := fn(&n); err != nil {
				return err
			}
		}
		n.ID, n.Balance, n.CreatedAt = u.ID, u.Balance, u.CreatedAt
		if err := n.Validate(); err != nil {
			return err
		}
		if topUp > 0 {
			if err := credit(&n, topUp, "a top-up of"); err != nil {
				return err
			}
			amt := money.Money{Currency: u.Currency(), Minor: topUp}
			if _, err := tx.AddEntry(Entry{CustomerID: id, Kind: EntryTopUp, Amount: amt, BalanceAfter: n.Balance.Minor, At: now}); err != nil {
				return err
			}
		}
		out = n
		return tx.UpdateUser(n)
	})
	return out, err
}
