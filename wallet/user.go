package wallet

import (
	"fmt"
	"strings"
	"time"

	"github.com/mppwallet/mppwallet/internal/money"
)

// UserStatus is whether a user may pay.
type UserStatus string

// User statuses.
const (
	UserActive UserStatus = "ACTIVE"
	UserFrozen UserStatus = "FROZEN"
)

// Override makes a user's next payments behave a chosen way, so testers can
// exercise every outcome: "" pays normally, OverrideAsk holds each payment
// until the user confirms it, and any decline code fails the payment with it.
type Override string

// OverrideAsk holds payments for the user's confirmation (the pay answer is
// U PAYMENT_IN_PROCESS, the final result goes out with notifyPayment).
const OverrideAsk Override = "ASK"

// ParseOverride reads an override: "", "none", "ask" or a decline code such
// as RISK_REJECT (case-insensitive).
func ParseOverride(s string) (Override, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	switch u {
	case "", "NONE":
		return "", nil
	case string(OverrideAsk):
		return OverrideAsk, nil
	}
	for _, c := range DeclineCodes {
		if string(c) == u {
			return Override(u), nil
		}
	}
	return "", fmt.Errorf("override %q: want none, ask or one of %v", s, DeclineCodes)
}

// Limits caps what a user may pay. Zero means no limit.
type Limits struct {
	// PerPayment is the largest single payment, in minor units.
	PerPayment int64
	// DailyAmount is the largest sum of successful payments in a day.
	DailyAmount int64
	// DailyCount is the largest number of successful payments in a day.
	DailyCount int
}

// User is a wallet holder.
type User struct {
	// ID is the MPP's customerId (at most 64 characters).
	ID   string
	Name string
	// Balance is what the user can spend, in the user's currency.
	Balance money.Money
	Limits  Limits
	// KYCVerified is false for a user whose identity check failed.
	KYCVerified bool
	Status      UserStatus
	Override    Override
	CreatedAt   time.Time
}

// Currency is the user's wallet currency.
func (u User) Currency() string { return u.Balance.Currency }

// Validate checks a user before it is stored.
func (u User) Validate() error {
	switch {
	case u.ID == "":
		return Errorf(CodeParamIllegal, "user id is required")
	case len(u.ID) > 64:
		return Errorf(CodeParamIllegal, "user id is longer than 64 characters")
	case strings.ContainsAny(u.ID, " \t\r\n"):
		return Errorf(CodeParamIllegal, "user id %q contains white space", u.ID)
	case u.Balance.Minor < 0:
		return Errorf(CodeParamIllegal, "balance cannot be negative")
	case u.Limits.PerPayment < 0 || u.Limits.DailyAmount < 0 || u.Limits.DailyCount < 0:
		return Errorf(CodeParamIllegal, "limits cannot be negative")
	case u.Status != UserActive && u.Status != UserFrozen:
		return Errorf(CodeParamIllegal, "status %q: want ACTIVE or FROZEN", u.Status)
	}
	if _, ok := money.Exponent(u.Balance.Currency); !ok {
		return Errorf(CodeParamIllegal, "unknown currency %q", u.Balance.Currency)
	}
	if o, err := ParseOverride(string(u.Override)); err != nil || o != u.Override {
		return Errorf(CodeParamIllegal, "override %q: want \"\", ASK or a decline code such as RISK_REJECT", u.Override)
	}
	return nil
}
