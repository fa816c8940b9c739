package wallet

import (
	"fmt"

	"github.com/mppwallet/mppwallet/internal/money"
)

// overflowf returns the PROCESS_FAIL error of an amount that would not fit
// in int64 minor units; it wraps ErrAmountOverflow. The caller returns it
// from its transaction, so nothing is written.
func overflowf(format string, args ...any) *Error {
	return &Error{Code: CodeProcessFail, Message: fmt.Sprintf(format, args...), Err: ErrAmountOverflow}
}

// credit adds minor units to u's balance, or leaves u as it is and returns
// an overflow error saying what (e.g. "a refund of") would have overflowed.
func credit(u *User, minor int64, what string) error {
	b, err := money.AddMinor(u.Balance.Minor, minor)
	if err != nil {
		return overflowf("%s %s would overflow the balance of user %s (%s); nothing changed",
			what, money.Money{Currency: u.Currency(), Minor: minor}, u.ID, u.Balance)
	}
	u.Balance.Minor = b
	return nil
}

// debit takes minor units from u's balance, or leaves u as it is and
// returns an overflow error.
func debit(u *User, minor int64) error {
	b, err := money.SubMinor(u.Balance.Minor, minor)
	if err != nil {
		return overflowf("a payment of %s would overflow the balance of user %s (%s); nothing changed",
			money.Money{Currency: u.Currency(), Minor: minor}, u.ID, u.Balance)
	}
	u.Balance.Minor = b
	return nil
}
