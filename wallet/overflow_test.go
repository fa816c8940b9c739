package wallet_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

// topUpTo tops a user up to exactly target minor units.
func (e *env) topUpTo(id string, target int64) {
	e.t.Helper()
	if _, err := e.svc.TopUp(e.ctx, id, usd(target-e.balance(id))); err != nil {
		e.t.Fatalf("TopUp(%s) to %d: %v", id, target, err)
	}
}

// paidFX pays 25.00 USD for a 3000 JPY charge and fails the test unless it
// succeeded.
func (e *env) paidFX(requestID, customer string) {
	e.t.Helper()
	o := e.order(requestID, customer, usd(2500))
	o.PaymentAmount = jpy(3000)
	if p := e.pay(o); p.Status != wallet.StatusSucceeded {
		e.t.Fatalf("Pay(%s): got %s %s, want SUCCEEDED", requestID, p.Status, p.ResultCode)
	}
}

func (e *env) refundErr(requestID string, amt money.Money) error {
	_, err := e.svc.Refund(e.ctx, wallet.RefundOrder{RequestID: requestID, PaymentRequestID: "r1", Amount: amt})
	return err
}

func (e *env) cancelErr() error {
	_, _, err := e.svc.Cancel(e.ctx, "r1")
	return err
}

func (e *env) topUpErr(amt money.Money) error {
	_, err := e.svc.TopUp(e.ctx, "u1", amt)
	return err
}

// TestCreditsThatWouldOverflowAreRefused: a refund, cancel or top-up that
// would take a balance past the largest int64 is refused with PROCESS_FAIL
// (wrapping ErrAmountOverflow) and changes nothing; a refund larger than
// what a payment has left is REFUND_AMOUNT_EXCEED however large it is.
func TestCreditsThatWouldOverflowAreRefused(t *testing.T) {
	const maxBalance = math.MaxInt64
	tests := []struct {
		name string
		// prep starts from user u1 with 100.00 USD.
		prep func(e *env)
		op   func(e *env) error
		want wallet.Code
		// overflow: the error wraps ErrAmountOverflow.
		overflow bool
	}{
		{"refund of 0.01 to a user at the largest balance", func(e *env) {
			e.paid("r1", "u1", usd(2500))
			e.topUpTo("u1", maxBalance)
		}, func(e *env) error { return e.refundErr("f1", usd(1)) }, wallet.CodeProcessFail, true},
		{"refund in the merchant's currency to a user at the largest balance", func(e *env) {
			e.paidFX("r1", "u1")
			e.topUpTo("u1", maxBalance)
		}, func(e *env) error { return e.refundErr("f1", jpy(3000)) }, wallet.CodeProcessFail, true},
		{"second refund overflowing by 0.01", func(e *env) {
			e.paid("r1", "u1", usd(2500))
			e.refund(wallet.RefundOrder{RequestID: "f0", PaymentRequestID: "r1", Amount: usd(1000)})
			e.topUpTo("u1", maxBalance-999)
		}, func(e *env) error { return e.refundErr("f1", usd(1000)) }, wallet.CodeProcessFail, true},
		{"cancel of a paid payment for a user at the largest balance", func(e *env) {
			e.paid("r1", "u1", usd(2500))
			e.topUpTo("u1", maxBalance)
		}, (*env).cancelErr, wallet.CodeProcessFail, true},
		{"cancel of a partly refunded payment, the rest overflowing by 0.01", func(e *env) {
			e.paid("r1", "u1", usd(2500))
			e.refund(wallet.RefundOrder{RequestID: "f0", PaymentRequestID: "r1", Amount: usd(1000)})
			e.topUpTo("u1", maxBalance-1499)
		}, (*env).cancelErr, wallet.CodeProcessFail, true},
		{"top-up of 0.01 at the largest balance", func(e *env) { e.topUpTo("u1", maxBalance) },
			func(e *env) error { return e.topUpErr(usd(1)) }, wallet.CodeProcessFail, true},
		{"top-up of the largest amount", func(e *env) {},
			func(e *env) error { return e.topUpErr(usd(maxBalance)) }, wallet.CodeProcessFail, true},
		{"refund of the largest amount after a partial one", func(e *env) {
			e.paid("r1", "u1", usd(2500))
			e.refund(wallet.RefundOrder{RequestID: "f0", PaymentRequestID: "r1", Amount: usd(1000)})
		}, func(e *env) error { return e.refundErr("f1", usd(maxBalance)) }, wallet.CodeRefundAmountExceed, false},
		{"refund of the largest amount in the merchant's currency after a partial one", func(e *env) {
			e.paidFX("r1", "u1")
			e.refund(wallet.RefundOrder{RequestID: "f0", PaymentRequestID: "r1", Amount: jpy(1000)})
		}, func(e *env) error { return e.refundErr("f1", jpy(maxBalance)) }, wallet.CodeRefundAmountExceed, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.addUser("u1", usd(10000))
			tc.prep(e)
			before := e.snapshot()

			err := tc.op(e)
			wantCode(t, err, tc.want)
			if got := errors.Is(err, wallet.ErrAmountOverflow); got != tc.overflow {
				t.Errorf("errors.Is(%v, ErrAmountOverflow): got %v, want %v", err, got, tc.overflow)
			}
			if tc.overflow && !strings.Contains(err.Error(), "would overflow the balance of user u1") {
				t.Errorf("error %q does not say the balance would overflow", err)
			}
			e.wantUnchanged(before)
			e.checkLedger()
		})
	}
}

// TestCreditsUpToTheLargestBalance: a credit that lands exactly on the
// largest balance goes through.
func TestCreditsUpToTheLargestBalance(t *testing.T) {
	tests := []struct {
		name  string
		prep  func(e *env)
		op    func(e *env) error
		entry wallet.EntryKind
	}{
		{"refund", func(e *env) {
			e.paid("r1", "u1", usd(2500))
			e.topUpTo("u1", math.MaxInt64-2500)
		}, func(e *env) error { return e.refundErr("f1", usd(2500)) }, wallet.EntryRefund},
		{"refund in the merchant's currency", func(e *env) {
			e.paidFX("r1", "u1")
			e.topUpTo("u1", math.MaxInt64-2500)
		}, func(e *env) error { return e.refundErr("f1", jpy(3000)) }, wallet.EntryRefund},
		{"cancel", func(e *env) {
			e.paid("r1", "u1", usd(2500))
			e.topUpTo("u1", math.MaxInt64-2500)
		}, (*env).cancelErr, wallet.EntryCancel},
		{"top-up", func(e *env) {}, func(e *env) error { return e.topUpErr(usd(math.MaxInt64 - 10000)) }, wallet.EntryTopUp},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.addUser("u1", usd(10000))
			tc.prep(e)
			if err := tc.op(e); err != nil {
				t.Fatalf("got %v, want the credit to land on the largest balance", err)
			}
			e.wantBalance("u1", math.MaxInt64)
			es := e.entries("u1")
			if last := es[len(es)-1]; last.Kind != tc.entry || last.BalanceAfter != math.MaxInt64 {
				t.Errorf("last entry %+v, want %s leaving %d", last, tc.entry, int64(math.MaxInt64))
			}
			e.checkLedger()
		})
	}
}

// TestRefusedCancelGoesThroughOnceTheBalanceHasRoom: Alipay+ repeats a
// cancel until the wallet accepts it; the refusal left the payment paid, so
// a repeat after the user has spent returns the debit once.
func TestRefusedCancelGoesThroughOnceTheBalanceHasRoom(t *testing.T) {
	e := newEnv(t)
	e.addUser("u1", usd(10000))
	e.paid("r1", "u1", usd(2500))
	e.topUpTo("u1", math.MaxInt64)
	wantCode(t, e.cancelErr(), wallet.CodeProcessFail)
	if p := e.inquire("r1"); p.Status != wallet.StatusSucceeded {
		t.Fatalf("after the refused cancel: payment %s, want SUCCEEDED", p.Status)
	}

	e.paid("r2", "u1", usd(2500))
	p, _ := e.cancel("r1")
	if p.Status != wallet.StatusCancelled {
		t.Errorf("repeated cancel: payment %s, want CANCELLED", p.Status)
	}
	e.wantBalance("u1", math.MaxInt64)
	e.checkLedger()
}

// TestDailyLimitPastInt64: a day's total that does not fit in int64 is past
// any daily limit, so the payment is declined with USER_AMOUNT_EXCEED_LIMIT
// and nothing is debited; a total exactly at the limit is paid.
func TestDailyLimitPastInt64(t *testing.T) {
	const big = math.MaxInt64 - 1
	limit := func(u *wallet.User) { u.Limits.DailyAmount = math.MaxInt64 }
	tests := []struct {
		name string
		// prep starts from user u1 with the largest balance.
		prep   func(e *env)
		amount int64
		want   wallet.Code
	}{
		{"today's total and this payment past int64", func(e *env) {
			e.setUser(limit)
			e.paid("p1", "u1", usd(big))
			e.topUpTo("u1", math.MaxInt64)
		}, big, wallet.CodeUserAmountExceedLimit},
		{"today's total already past int64", func(e *env) {
			e.paid("p1", "u1", usd(big))
			e.topUpTo("u1", math.MaxInt64)
			e.paid("p2", "u1", usd(big))
			e.topUpTo("u1", math.MaxInt64)
			e.setUser(limit)
		}, 1, wallet.CodeUserAmountExceedLimit},
		{"today's total exactly at the limit", func(e *env) {
			e.setUser(limit)
			e.paid("p1", "u1", usd(big))
			e.topUpTo("u1", math.MaxInt64)
		}, 1, wallet.CodeSuccess},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.addUser("u1", usd(math.MaxInt64))
			tc.prep(e)
			entries := len(e.entries("u1"))

			p, err := e.svc.Pay(e.ctx, e.order("r1", "u1", usd(tc.amount)))
			if err != nil {
				t.Fatalf("Pay: %v, want a decided payment", err)
			}
			if p.ResultCode != tc.want {
				t.Fatalf("Pay: got %s %s, want %s", p.Status, p.ResultCode, tc.want)
			}
			if tc.want == wallet.CodeSuccess {
				e.wantBalance("u1", math.MaxInt64-tc.amount)
			} else {
				e.wantBalance("u1", math.MaxInt64)
				if got := len(e.entries("u1")); got != entries {
					t.Errorf("entries: got %d new, want none (nothing debited)", got-entries)
				}
			}
			e.checkLedger()
		})
	}
}

// setUser changes u1's settings and fails the test on an error.
func (e *env) setUser(fn func(*wallet.User)) {
	e.t.Helper()
	if _, err := e.svc.UpdateUser(e.ctx, "u1", func(u *wallet.User) error { fn(u); return nil }); err != nil {
		e.t.Fatalf("UpdateUser: %v", err)
	}
}
