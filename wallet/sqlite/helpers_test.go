package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
	"github.com/mppwallet/mppwallet/wallet/sqlite"
)

// open opens a fresh store in a temporary directory and closes it when the
// test ends.
func open(t *testing.T) (*sqlite.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "wallet.db")
	return openAt(t, path), path
}

// openAt opens the store at path and closes it when the test ends.
func openAt(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(path)
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return st
}

// update runs fn in an Update and fails the test on error.
func update(t *testing.T, st wallet.Store, fn func(wallet.Tx) error) {
	t.Helper()
	if err := st.Update(context.Background(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// view runs fn in a View and fails the test on error.
func view(t *testing.T, st wallet.Store, fn func(wallet.Tx) error) {
	t.Helper()
	if err := st.View(context.Background(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// zone is a non-UTC location, so round trips prove times compare by instant.
var zone = time.FixedZone("UTC+8", 8*3600)

// at returns a time with nanoseconds, in zone, offset by d from a fixed base.
func at(d time.Duration) time.Time {
	return time.Date(2025, 3, 14, 15, 9, 26, 535897932, zone).Add(d)
}

func fullUser(id string) wallet.User {
	return wallet.User{
		ID:          id,
		Name:        "Ada " + id,
		Balance:     money.Money{Currency: "USD", Minor: 123456},
		Limits:      wallet.Limits{PerPayment: 5000, DailyAmount: 20000, DailyCount: 7},
		KYCVerified: true,
		Status:      wallet.UserFrozen,
		Override:    wallet.Override(wallet.CodeRiskReject),
		CreatedAt:   at(0),
	}
}

func fullPayment(requestID, customerID string) wallet.Payment {
	return wallet.Payment{
		RequestID:        requestID,
		PaymentID:        "pay-" + requestID,
		CustomerID:       customerID,
		Mode:             wallet.ModeMPM,
		Status:           wallet.StatusSucceeded,
		ResultCode:       wallet.CodeSuccess,
		Amount:           money.Money{Currency: "USD", Minor: 1999},
		PaymentAmount:    money.Money{Currency: "JPY", Minor: 3000},
		Quote:            wallet.Quote{ID: "q1", CurrencyPair: "JPY/USD", Price: "0.00666"},
		Merchant:         wallet.Merchant{ID: "m1", Name: "Shop", MCC: "5411", Region: "JP", StoreID: "s1", StoreName: "Ginza"},
		OrderID:          "order-1",
		OrderDescription: "Tea, 2 cups",
		CodeValue:        "281011234567890",
		AcquirerID:       "acq",
		PSPID:            "psp",
		Fingerprint:      wallet.Fingerprint(requestID, "1999"),
		CreatedAt:        at(0),
		UpdatedAt:        at(time.Second),
		PaidAt:           at(2 * time.Second),
		ExpiresAt:        at(time.Hour),
		Refunded:         500,
		RefundedPayment:  50,
	}
}

func fullRefund(requestID, paymentRequestID string) wallet.Refund {
	return wallet.Refund{
		RequestID:        requestID,
		RefundID:         "ref-" + requestID,
		PaymentRequestID: paymentRequestID,
		Amount:           money.Money{Currency: "USD", Minor: 500},
		RefundAmount:     money.Money{Currency: "JPY", Minor: 750},
		Fingerprint:      wallet.Fingerprint(requestID),
		CreatedAt:        at(time.Minute),
	}
}

func fullEntry(customerID string) wallet.Entry {
	return wallet.Entry{
		CustomerID:   customerID,
		Kind:         wallet.EntryDebit,
		Amount:       money.Money{Currency: "USD", Minor: -1999},
		Ref:          "req-1",
		BalanceAfter: 121457,
		At:           at(3 * time.Second),
	}
}

var timeType = reflect.TypeFor[time.Time]()

// mustEqual fails the test unless got and want are equal, comparing
// time.Time values with Equal (so the location does not matter).
func mustEqual(t *testing.T, got, want any) {
	t.Helper()
	if d := diff(reflect.ValueOf(got), reflect.ValueOf(want), ""); d != "" {
		t.Errorf("mismatch: %s\n got: %+v\nwant: %+v", d, got, want)
	}
}

// diff describes the first difference between a and b, or returns "".
func diff(a, b reflect.Value, path string) string {
	if a.Type() != b.Type() {
		return fmt.Sprintf("%s: type %s != %s", path, a.Type(), b.Type())
	}
	switch {
	case a.Type() == timeType:
		ta, tb := a.Interface().(time.Time), b.Interface().(time.Time)
		if !ta.Equal(tb) || ta.IsZero() != tb.IsZero() {
			return fmt.Sprintf("%s: %v != %v", path, ta, tb)
		}
	case a.Kind() == reflect.Struct:
		for i := range a.NumField() {
			if d := diff(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); d != "" {
				return d
			}
		}
	case a.Kind() == reflect.Slice:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: len %d != %d", path, a.Len(), b.Len())
		}
		for i := range a.Len() {
			if d := diff(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	default:
		if a.Interface() != b.Interface() {
			return fmt.Sprintf("%s: %v != %v", path, a.Interface(), b.Interface())
		}
	}
	return ""
}
