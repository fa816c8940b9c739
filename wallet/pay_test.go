package wallet_test

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

func TestPayOutcomes(t *testing.T) {
	type tc struct {
		name string
		user func(*wallet.User)
		// earlier are successful payments made the same day before this one.
		earlier    []int64
		amount     money.Money
		wantStatus wallet.Status
		wantCode   wallet.Code
	}
	limits := func(l wallet.Limits) func(*wallet.User) { return func(u *wallet.User) { u.Limits = l } }
	tests := []tc{
		{name: "success", amount: usd(2500), wantStatus: wallet.StatusSucceeded, wantCode: wallet.CodeSuccess},
		{name: "whole balance", amount: usd(10000), wantStatus: wallet.StatusSucceeded, wantCode: wallet.CodeSuccess},
		{name: "balance not enough", amount: usd(10001), wantStatus: wallet.StatusFailed, wantCode: wallet.CodeBalanceNotEnough},
		{name: "balance not enough after earlier payments", earlier: []int64{6000}, amount: usd(4001),
			wantStatus: wallet.StatusFailed, wantCode: wallet.CodeBalanceNotEnough},
		{name: "per-payment limit exceeded", user: limits(wallet.Limits{PerPayment: 2000}), amount: usd(2001),
			wantStatus: wallet.StatusFailed, wantCode: wallet.CodeAmountExceedLimit},
		{name: "per-payment limit met exactly", user: limits(wallet.Limits{PerPayment: 2000}), amount: usd(2000),
			wantStatus: wallet.StatusSucceeded, wantCode: wallet.CodeSuccess},
		{name: "daily amount exceeded", user: limits(wallet.Limits{DailyAmount: 5000}), earlier: []int64{3000, 1000}, amount: usd(1001),
			wantStatus: wallet.StatusFailed, wantCode: wallet.CodeUserAmountExceedLimit},
		{name: "daily amount met exactly", user: limits(wallet.Limits{DailyAmount: 5000}), earlier: []int64{3000, 1000}, amount: usd(1000),
			wantStatus: wallet.StatusSucceeded, wantCode: wallet.CodeSuccess},
		{name: "daily amount alone exceeded", user: limits(wallet.Limits{DailyAmount: 5000}), amount: usd(5001),
			wantStatus: wallet.StatusFailed, wantCode: wallet.CodeUserAmountExceedLimit},
		{name: "daily count exceeded", user: limits(wallet.Limits{DailyCount: 2}), earlier: []int64{100, 100}, amount: usd(100),
			wantStatus: wallet.StatusFailed, wantCode: wallet.CodeCountExceedLimit},
		{name: "daily count not yet reached", user: limits(wallet.Limits{DailyCount: 3}), earlier: []int64{100, 100}, amount: usd(100),
			wantStatus: wallet.StatusSucceeded, wantCode: wallet.CodeSuccess},
		{name: "KYC not verified", user: func(u *wallet.User) { u.KYCVerified = false }, amount: usd(100),
			wantStatus: wallet.StatusFailed, wantCode: wallet.CodeKYCNotQualified},
		{name: "frozen", user: func(u *wallet.User) { u.Status = wallet.UserFrozen }, amount: usd(100),
			wantStatus: wallet.StatusFailed, wantCode: wallet.CodeUserStatusAbnormal},
		{name: "payTo currency differs from the wallet's", amount: eur(100),
			wantStatus: wallet.StatusFailed, wantCode: wallet.CodeCurrencyNotSupport},
		{name: "ask override but balance not enough fails at once", user: func(u *wallet.User) { u.Override = wallet.OverrideAsk },
			amount: usd(10001), wantStatus: wallet.StatusFailed, wantCode: wallet.CodeBalanceNotEnough},
		{name: "ask override holds", user: func(u *wallet.User) { u.Override = wallet.OverrideAsk }, amount: usd(100),
			wantStatus: wallet.StatusProcessing, wantCode: wallet.CodeInProcess},
	}
	for _, c := range wallet.DeclineCodes {
		tests = append(tests, tc{
			name: "override " + string(c), user: func(u *wallet.User) { u.Override = wallet.Override(c) },
			amount: usd(100), wantStatus: wallet.StatusFailed, wantCode: c,
		})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			mods := []func(*wallet.User){}
			if tc.user != nil {
				mods = append(mods, tc.user)
			}
			e.addUser("u1", usd(10000), mods...)
			for i, amt := range tc.earlier {
				e.paid(fmt.Sprintf("earlier%d", i), "u1", usd(amt))
				e.advance(time.Minute)
			}
			before := e.snapshot()
			balance := e.balance("u1")

			o := e.order("r1", "u1", tc.amount)
			o.PaymentAmount = jpy(tc.amount.Minor)
			o.ExpiresAt = e.clock().Add(time.Hour)
			got := e.pay(o)

			if got.Status != tc.wantStatus || got.ResultCode != tc.wantCode {
				t.Fatalf("Pay: got %s %s, want %s %s", got.Status, got.ResultCode, tc.wantStatus, tc.wantCode)
			}
			wantPayment(t, e.inquire("r1"), got)
			if got.PaymentID == "" {
				t.Errorf("PaymentID: got empty, want an id")
			}
			if got.RequestID != "r1" || got.CustomerID != "u1" || got.Amount != tc.amount || got.PaymentAmount != o.PaymentAmount ||
				got.Merchant != o.Merchant || got.Quote != o.Quote || got.OrderID != o.OrderID || got.CodeValue != o.CodeValue ||
				got.Mode != o.Mode || !got.ExpiresAt.Equal(o.ExpiresAt) {
				t.Errorf("Pay: got %+v, want the order's fields %+v", got, o)
			}
			if !got.CreatedAt.Equal(e.clock()) {
				t.Errorf("CreatedAt: got %v, want %v", got.CreatedAt, e.clock())
			}

			if got.Status == wallet.StatusSucceeded {
				if !got.PaidAt.Equal(e.clock()) {
					t.Errorf("PaidAt: got %v, want %v", got.PaidAt, e.clock())
				}
				e.wantBalance("u1", balance-tc.amount.Minor)
				es := e.entries("u1")
				want := wallet.Entry{CustomerID: "u1", Kind: wallet.EntryDebit, Amount: usd(-tc.amount.Minor), Ref: "r1",
					BalanceAfter: balance - tc.amount.Minor}
				if len(es) != len(before.Entries["u1"])+1 {
					t.Fatalf("entries: got %d, want %d", len(es), len(before.Entries["u1"])+1)
				}
				last := es[len(es)-1]
				if !last.At.Equal(e.clock()) {
					t.Errorf("debit entry At: got %v, want %v", last.At, e.clock())
				}
				last.ID, last.At = 0, time.Time{}
				if last != want {
					t.Errorf("debit entry: got %+v, want %+v", last, want)
				}
			} else {
				if !got.PaidAt.IsZero() {
					t.Errorf("PaidAt: got %v, want zero for an unpaid payment", got.PaidAt)
				}
				after := e.snapshot()
				if len(after.Payments) != len(before.Payments)+1 {
					t.Errorf("payments stored: got %d, want %d", len(after.Payments), len(before.Payments)+1)
				}
				after.Payments, before.Payments = nil, nil
				if !reflect.DeepEqual(after, before) {
					t.Errorf("a %s payment moved money:\n got: %+v\nwant: %+v", got.Status, after, before)
				}
			}
			e.checkLedger()
		})
	}
}

func TestPayDailyLimitsResetNextDay(t *testing.T) {
	tests := []struct {
		name     string
		limits   wallet.Limits
		amount   int64
		wantCode wallet.Code
	}{
		{"daily amount", wallet.Limits{DailyAmount: 5000}, 5000, wallet.CodeUserAmountExceedLimit},
		{"daily count", wallet.Limits{DailyCount: 1}, 100, wallet.CodeCountExceedLimit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.addUser("u1", usd(100000), func(u *wallet.User) { u.Limits = tc.limits })
			e.paid("r1", "u1", usd(tc.amount))

			e.advance(time.Hour)
			if p := e.pay(e.order("r2", "u1", usd(1))); p.Status != wallet.StatusFailed || p.ResultCode != tc.wantCode {
				t.Errorf("later the same day: got %s %s, want FAILED %s", p.Status, p.ResultCode, tc.wantCode)
			}
			e.set(time.Date(2025, 6, 2, 23, 59, 59, 999999999, time.UTC))
			if p := e.pay(e.order("r3", "u1", usd(1))); p.Status != wallet.StatusFailed || p.ResultCode != tc.wantCode {
				t.Errorf("last nanosecond of the day: got %s %s, want FAILED %s", p.Status, p.ResultCode, tc.wantCode)
			}
			e.set(time.Date(2025, 6, 3, 0, 0, 0, 0, time.UTC))
			if p := e.pay(e.order("r4", "u1", usd(tc.amount))); p.Status != wallet.StatusSucceeded {
				t.Errorf("next day: got %s %s, want SUCCEEDED", p.Status, p.ResultCode)
			}
			e.wantBalance("u1", 100000-2*tc.amount)
			e.checkLedger()
		})
	}
}

func TestPayDailyLimitsCountOnlyMoneyStillTaken(t *testing.T) {
	tests := []struct {
		name  string
		first func(e *env)
	}{
		{"a declined payment does not count", func(e *env) {
			if p := e.pay(e.order("r1", "u1", usd(999999))); p.Status != wallet.StatusFailed {
				e.t.Fatalf("first payment: got %s, want FAILED", p.Status)
			}
		}},
		{"a held payment does not count", func(e *env) {
			if _, err := e.svc.UpdateUser(e.ctx, "u1", func(u *wallet.User) error { u.Override = wallet.OverrideAsk; return nil }); err != nil {
				e.t.Fatal(err)
			}
			if p := e.pay(e.order("r1", "u1", usd(5000))); p.Status != wallet.StatusProcessing {
				e.t.Fatalf("first payment: got %s, want PROCESSING", p.Status)
			}
			if _, err := e.svc.UpdateUser(e.ctx, "u1", func(u *wallet.User) error { u.Override = ""; return nil }); err != nil {
				e.t.Fatal(err)
			}
		}},
		{"a cancelled payment does not count", func(e *env) {
			e.paid("r1", "u1", usd(5000))
			e.cancel("r1")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.addUser("u1", usd(100000), func(u *wallet.User) { u.Limits = wallet.Limits{DailyAmount: 5000, DailyCount: 1} })
			tc.first(e)
			e.advance(time.Minute)
			if p := e.pay(e.order("r2", "u1", usd(5000))); p.Status != wallet.StatusSucceeded {
				t.Errorf("second payment: got %s %s, want SUCCEEDED", p.Status, p.ResultCode)
			}
			e.wantBalance("u1", 95000)
			e.checkLedger()
		})
	}
}

func TestPayErrorsAreNotStored(t *testing.T) {
	tests := []struct {
		name  string
		prep  func(e *env)
		order func(o *wallet.PayOrder, now time.Time)
		want  wallet.Code
	}{
		{name: "unknown user", order: func(o *wallet.PayOrder, _ time.Time) { o.CustomerID = "nobody" }, want: wallet.CodeUserNotExist},
		{name: "expires now", order: func(o *wallet.PayOrder, now time.Time) { o.ExpiresAt = now }, want: wallet.CodeOrderClosed},
		{name: "expired a second ago", order: func(o *wallet.PayOrder, now time.Time) { o.ExpiresAt = now.Add(-time.Second) }, want: wallet.CodeOrderClosed},
		{name: "cancelled before it arrived", prep: func(e *env) {
			if _, known := e.cancel("r1"); known {
				e.t.Fatalf("Cancel of a new id: got known, want unknown")
			}
		}, want: wallet.CodeOrderClosed},
		{name: "empty request id", order: func(o *wallet.PayOrder, _ time.Time) { o.RequestID = "" }, want: wallet.CodeParamIllegal},
		{name: "empty customer", order: func(o *wallet.PayOrder, _ time.Time) { o.CustomerID = "" }, want: wallet.CodeParamIllegal},
		{name: "zero amount", order: func(o *wallet.PayOrder, _ time.Time) { o.Amount = usd(0) }, want: wallet.CodeParamIllegal},
		{name: "negative amount", order: func(o *wallet.PayOrder, _ time.Time) { o.Amount = usd(-100) }, want: wallet.CodeParamIllegal},
		{name: "unknown currency", order: func(o *wallet.PayOrder, _ time.Time) { o.Amount = moneyOf("XXX", 100) }, want: wallet.CodeParamIllegal},
		{name: "no currency", order: func(o *wallet.PayOrder, _ time.Time) { o.Amount = moneyOf("", 100) }, want: wallet.CodeParamIllegal},
		{name: "zero merchant amount", order: func(o *wallet.PayOrder, _ time.Time) { o.PaymentAmount = jpy(0) }, want: wallet.CodeParamIllegal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.addUser("u1", usd(10000))
			if tc.prep != nil {
				tc.prep(e)
			}
			before := e.snapshot()
			o := e.order("r1", "u1", usd(100))
			if tc.order != nil {
				tc.order(&o, e.clock())
			}
			p, err := e.svc.Pay(e.ctx, o)
			wantCode(t, err, tc.want)
			if p != (wallet.Payment{}) {
				t.Errorf("Pay: got payment %+v with the error, want none", p)
			}
			e.wantUnchanged(before)
			if len(before.Payments) != 0 {
				t.Errorf("payments: got %d, want none stored", len(before.Payments))
			}
		})
	}
}

func TestPayJustBeforeExpirySucceeds(t *testing.T) {
	e := newEnv(t)
	e.addUser("u1", usd(10000))
	o := e.order("r1", "u1", usd(100))
	o.ExpiresAt = e.clock().Add(time.Nanosecond)
	p := e.pay(o)
	if p.Status != wallet.StatusSucceeded || !p.ExpiresAt.Equal(o.ExpiresAt) {
		t.Errorf("Pay: got %s expiring %v, want SUCCEEDED expiring %v", p.Status, p.ExpiresAt, o.ExpiresAt)
	}
}

func TestPayAfterARejectedAttemptIsProcessedFresh(t *testing.T) {
	e := newEnv(t)
	o := e.order("r1", "u1", usd(100))
	_, err := e.svc.Pay(e.ctx, o)
	wantCode(t, err, wallet.CodeUserNotExist)

	e.addUser("u1", usd(10000))
	if p := e.pay(o); p.Status != wallet.StatusSucceeded {
		t.Errorf("Pay once the user exists: got %s %s, want SUCCEEDED", p.Status, p.ResultCode)
	}
	e.wantBalance("u1", 9900)
}

func TestPayRepeatReturnsTheStoredPayment(t *testing.T) {
	tests := []struct {
		name    string
		amount  int64
		expires time.Duration
		between func(e *env)
		repeat  func(o *wallet.PayOrder)
		want    wallet.Status
	}{
		{name: "succeeded", amount: 2500, want: wallet.StatusSucceeded},
		{name: "succeeded, a minute later", amount: 2500, between: func(e *env) { e.advance(time.Minute) }, want: wallet.StatusSucceeded},
		{name: "succeeded, after the balance is gone", amount: 2500, between: func(e *env) { e.paid("other", "u1", usd(7500)) },
			want: wallet.StatusSucceeded},
		{name: "succeeded, after its expiry", amount: 2500, expires: time.Minute,
			between: func(e *env) { e.advance(time.Hour) }, want: wallet.StatusSucceeded},
		{name: "failed stays failed after a top-up", amount: 20000, between: func(e *env) {
			if _, err := e.svc.TopUp(e.ctx, "u1", usd(50000)); err != nil {
				e.t.Fatal(err)
			}
		}, want: wallet.StatusFailed},
		{name: "other fields than the key ones may differ", amount: 2500, repeat: func(o *wallet.PayOrder) {
			o.Merchant.Name = "Another Shop"
			o.OrderDescription = "Coffee"
			o.Quote.Price = "2"
		}, want: wallet.StatusSucceeded},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.addUser("u1", usd(10000))
			o := e.order("r1", "u1", usd(tc.amount))
			if tc.expires != 0 {
				o.ExpiresAt = e.clock().Add(tc.expires)
			}
			first := e.pay(o)
			if first.Status != tc.want {
				t.Fatalf("first Pay: got %s %s, want %s", first.Status, first.ResultCode, tc.want)
			}
			if tc.between != nil {
				tc.between(e)
			}
			before := e.snapshot()
			if tc.repeat != nil {
				tc.repeat(&o)
			}
			again := e.pay(o)
			wantPayment(t, again, first)
			e.wantUnchanged(before)
			debits := 0
			for _, x := range e.entries("u1") {
				if x.Ref == "r1" {
					debits++
				}
			}
			if want := map[bool]int{true: 1, false: 0}[tc.want == wallet.StatusSucceeded]; debits != want {
				t.Errorf("ledger entries for r1: got %d, want %d", debits, want)
			}
			e.checkLedger()
		})
	}
}

func TestPayRepeatWithOtherKeyFieldsIsInconsistent(t *testing.T) {
	tests := []struct {
		name   string
		change func(o *wallet.PayOrder)
	}{
		{"amount", func(o *wallet.PayOrder) { o.Amount = usd(2501) }},
		{"customer", func(o *wallet.PayOrder) { o.CustomerID = "u2" }},
		{"payment code", func(o *wallet.PayOrder) { o.CodeValue = "289999999999999999" }},
		{"merchant amount", func(o *wallet.PayOrder) { o.PaymentAmount = jpy(3751) }},
		{"merchant currency", func(o *wallet.PayOrder) { o.PaymentAmount = krw(3750) }},
		{"mode", func(o *wallet.PayOrder) { o.Mode = wallet.ModeMPM }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.addUser("u1", usd(10000))
			e.addUser("u2", usd(10000))
			o := e.order("r1", "u1", usd(2500))
			o.PaymentAmount = jpy(3750)
			e.pay(o)
			before := e.snapshot()

			tc.change(&o)
			p, err := e.svc.Pay(e.ctx, o)
			wantCode(t, err, wallet.CodeRepeatInconsistent)
			if p != (wallet.Payment{}) {
				t.Errorf("Pay: got payment %+v with the error, want none", p)
			}
			e.wantUnchanged(before)
		})
	}
}

func TestPayConcurrentRepeatsDebitOnce(t *testing.T) {
	e := newEnv(t)
	e.addUser("u1", usd(10000))
	o := e.order("r1", "u1", usd(2500))

	const n = 50
	results := make([]wallet.Payment, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			results[i], errs[i] = e.svc.Pay(e.ctx, o)
		})
	}
	close(start)
	wg.Wait()

	for i := range n {
		if errs[i] != nil {
			t.Fatalf("Pay %d: %v", i, errs[i])
		}
		if results[i].Status != wallet.StatusSucceeded || results[i].PaymentID == "" {
			t.Errorf("Pay %d: got %s with id %q, want SUCCEEDED with an id", i, results[i].Status, results[i].PaymentID)
		}
		wantPayment(t, results[i], results[0])
	}
	e.wantBalance("u1", 7500)
	if es := e.entries("u1"); len(es) != 2 {
		t.Errorf("ledger entries: got %d, want the opening and one debit", len(es))
	}
	e.checkLedger()
}

func TestPayConcurrentPaymentsNeverOverdraw(t *testing.T) {
	e := newEnv(t)
	e.addUser("u1", usd(7000)) // covers 7 of the 20 payments

	const n = 20
	results := make([]wallet.Payment, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			results[i], errs[i] = e.svc.Pay(e.ctx, e.order(fmt.Sprintf("r%02d", i), "u1", usd(1000)))
		})
	}
	close(start)
	wg.Wait()

	var succeeded, spent int64
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("Pay %d: %v", i, errs[i])
		}
		switch p := results[i]; {
		case p.Status == wallet.StatusSucceeded:
			succeeded++
			spent += p.Amount.Minor
		case p.Status != wallet.StatusFailed || p.ResultCode != wallet.CodeBalanceNotEnough:
			t.Errorf("Pay %d: got %s %s, want SUCCEEDED or FAILED USER_BALANCE_NOT_ENOUGH", i, p.Status, p.ResultCode)
		}
	}
	if succeeded != 7 {
		t.Errorf("successful payments: got %d, want 7", succeeded)
	}
	e.wantBalance("u1", 7000-spent)
	e.wantBalance("u1", 0)
	e.checkLedger()
}

func TestPayAskHoldsUntilDecided(t *testing.T) {
	e := newEnv(t)
	e.addUser("u1", usd(10000), func(u *wallet.User) { u.Override = wallet.OverrideAsk })
	before := e.snapshot()

	held := e.pay(e.order("r1", "u1", usd(6000)))
	if held.Status != wallet.StatusProcessing || held.ResultCode != wallet.CodeInProcess {
		t.Fatalf("Pay: got %s %s, want PROCESSING PAYMENT_IN_PROCESS", held.Status, held.ResultCode)
	}
	if !held.PaidAt.IsZero() || held.Final() {
		t.Errorf("held payment: got PaidAt %v, Final %v, want unpaid and not final", held.PaidAt, held.Final())
	}
	e.wantBalance("u1", 10000)
	if got, want := len(e.entries("u1")), len(before.Entries["u1"]); got != want {
		t.Errorf("entries: got %d, want %d (nothing debited)", got, want)
	}
	if again := e.pay(e.order("r1", "u1", usd(6000))); again.Status != wallet.StatusProcessing {
		t.Errorf("repeat Pay: got %s, want still PROCESSING", again.Status)
	}

	e.advance(time.Minute)
	decided, err := e.svc.Decide(e.ctx, "r1", true, "")
	if err != nil {
		t.Fatalf("Decide: %v", err)
	}
	if decided.Status != wallet.StatusSucceeded || !decided.PaidAt.Equal(e.clock()) || !decided.CreatedAt.Equal(t0) {
		t.Errorf("Decide: got %s paid at %v created %v, want SUCCEEDED paid at %v created %v",
			decided.Status, decided.PaidAt, decided.CreatedAt, e.clock(), t0)
	}
	wantPayment(t, e.pay(e.order("r1", "u1", usd(6000))), decided)
	e.wantBalance("u1", 4000)
	e.checkLedger()
}

func TestDecide(t *testing.T) {
	const expires = 10 * time.Minute
	tests := []struct {
		name       string
		between    func(e *env)
		approve    bool
		code       wallet.Code
		wantStatus wallet.Status
		wantCode   wallet.Code
	}{
		{name: "approve", approve: true, wantStatus: wallet.StatusSucceeded, wantCode: wallet.CodeSuccess},
		{name: "approve just before expiry", approve: true, between: func(e *env) { e.advance(expires - time.Nanosecond) },
			wantStatus: wallet.StatusSucceeded, wantCode: wallet.CodeSuccess},
		{name: "decline", approve: false, wantStatus: wallet.StatusFailed, wantCode: wallet.CodeVerificationFailed},
		{name: "decline with a code", approve: false, code: wallet.CodeRiskReject,
			wantStatus: wallet.StatusFailed, wantCode: wallet.CodeRiskReject},
		{name: "approve after expiry", approve: true, between: func(e *env) { e.advance(expires + time.Second) },
			wantStatus: wallet.StatusFailed, wantCode: wallet.CodeOrderClosed},
		{name: "approve at expiry", approve: true, between: func(e *env) { e.advance(expires) },
			wantStatus: wallet.StatusFailed, wantCode: wallet.CodeOrderClosed},
		{name: "decline after expiry", approve: false, between: func(e *env) { e.advance(expires) },
			wantStatus: wallet.StatusFailed, wantCode: wallet.CodeOrderClosed},
		{name: "approve once the balance is spent", approve: true, between: func(e *env) {
			e.pay(e.order("other", "u1", usd(6000)))
			if p, err := e.svc.Decide(e.ctx, "other", true, ""); err != nil || p.Status != wallet.StatusSucceeded {
				e.t.Fatalf("Decide(other): got %s, %v, want SUCCEEDED", p.Status, err)
			}
		}, wantStatus: wallet.StatusFailed, wantCode: wallet.CodeBalanceNotEnough},
		{name: "approve once the user is frozen", approve: true, between: func(e *env) {
			if _, err := e.svc.UpdateUser(e.ctx, "u1", func(u *wallet.User) error { u.Status = wallet.UserFrozen; return nil }); err != nil {
				e.t.Fatal(err)
			}
		}, wantStatus: wallet.StatusFailed, wantCode: wallet.CodeUserStatusAbnormal},
		{name: "approve over a new per-payment limit", approve: true, between: func(e *env) {
			if _, err := e.svc.UpdateUser(e.ctx, "u1", func(u *wallet.User) error { u.Limits.PerPayment = 5999; return nil }); err != nil {
				e.t.Fatal(err)
			}
		}, wantStatus: wallet.StatusFailed, wantCode: wallet.CodeAmountExceedLimit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.addUser("u1", usd(10000), func(u *wallet.User) { u.Override = wallet.OverrideAsk })
			o := e.order("r1", "u1", usd(6000))
			o.ExpiresAt = e.clock().Add(expires)
			if p := e.pay(o); p.Status != wallet.StatusProcessing {
				t.Fatalf("Pay: got %s, want PROCESSING", p.Status)
			}
			if tc.between != nil {
				tc.between(e)
			}
			balance := e.balance("u1")

			got, err := e.svc.Decide(e.ctx, "r1", tc.approve, tc.code)
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			if got.Status != tc.wantStatus || got.ResultCode != tc.wantCode {
				t.Fatalf("Decide: got %s %s, want %s %s", got.Status, got.ResultCode, tc.wantStatus, tc.wantCode)
			}
			if !got.UpdatedAt.Equal(e.clock()) {
				t.Errorf("UpdatedAt: got %v, want %v", got.UpdatedAt, e.clock())
			}
			wantPayment(t, e.inquire("r1"), got)
			if got.Status == wallet.StatusSucceeded {
				e.wantBalance("u1", balance-6000)
				if !got.PaidAt.Equal(e.clock()) {
					t.Errorf("PaidAt: got %v, want %v", got.PaidAt, e.clock())
				}
			} else {
				e.wantBalance("u1", balance)
				if !got.PaidAt.IsZero() {
					t.Errorf("PaidAt: got %v, want zero", got.PaidAt)
				}
			}
			e.checkLedger()
		})
	}
}

func TestDecideErrors(t *testing.T) {
	tests := []struct {
		name    string
		prep    func(e *env)
		id      string
		approve bool
		want    wallet.Code
	}{
		{name: "unknown payment", id: "nope", approve: true, want: wallet.CodeOrderNotExist},
		{name: "cancelled before it arrived", prep: func(e *env) { e.cancel("early") }, id: "early", approve: true, want: wallet.CodeOrderNotExist},
		{name: "approve a cancelled one", prep: func(e *env) { e.cancel("held") }, id: "held", approve: true, want: wallet.CodeOrderClosed},
		{name: "decline a cancelled one", prep: func(e *env) { e.cancel("held") }, id: "held", approve: false, want: wallet.CodeOrderClosed},
		{name: "approve an approved one", prep: func(e *env) {
			if _, err := e.svc.Decide(e.ctx, "held", true, ""); err != nil {
				e.t.Fatal(err)
			}
		}, id: "held", approve: true, want: wallet.CodeOrderStatusInvalid},
		{name: "decline an approved one", prep: func(e *env) {
			if _, err := e.svc.Decide(e.ctx, "held", true, ""); err != nil {
				e.t.Fatal(err)
			}
		}, id: "held", approve: false, want: wallet.CodeOrderStatusInvalid},
		{name: "approve a declined one", prep: func(e *env) {
			if _, err := e.svc.Decide(e.ctx, "held", false, ""); err != nil {
				e.t.Fatal(err)
			}
		}, id: "held", approve: true, want: wallet.CodeOrderStatusInvalid},
		{name: "approve a payment that succeeded at once", id: "sync", approve: true, want: wallet.CodeOrderStatusInvalid},
		{name: "approve a payment that failed at once", id: "syncfail", approve: true, want: wallet.CodeOrderStatusInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.addUser("asker", usd(10000), func(u *wallet.User) { u.Override = wallet.OverrideAsk })
			e.addUser("payer", usd(10000))
			e.pay(e.order("held", "asker", usd(1000)))
			e.paid("sync", "payer", usd(1000))
			e.pay(e.order("syncfail", "payer", usd(100000)))
			if tc.prep != nil {
				tc.prep(e)
			}
			before := e.snapshot()
			e.advance(time.Minute)
			p, err := e.svc.Decide(e.ctx, tc.id, tc.approve, "")
			wantCode(t, err, tc.want)
			if p != (wallet.Payment{}) {
				t.Errorf("Decide: got payment %+v with the error, want none", p)
			}
			e.wantUnchanged(before)
		})
	}
}

func TestInquire(t *testing.T) {
	e := newEnv(t)
	e.addUser("u1", usd(10000))
	e.addUser("asker", usd(10000), func(u *wallet.User) { u.Override = wallet.OverrideAsk })
	ok := e.paid("ok", "u1", usd(100))
	failed := e.pay(e.order("failed", "u1", usd(100000)))
	held := e.pay(e.order("held", "asker", usd(100)))
	e.cancel("early")

	_, err := e.svc.Inquire(e.ctx, "nope")
	wantCode(t, err, wallet.CodeOrderNotExist)

	tests := []struct {
		id         string
		want       wallet.Payment
		wantStatus wallet.Status
		wantCode   wallet.Code
	}{
		{"ok", ok, wallet.StatusSucceeded, wallet.CodeSuccess},
		{"failed", failed, wallet.StatusFailed, wallet.CodeBalanceNotEnough},
		{"held", held, wallet.StatusProcessing, wallet.CodeInProcess},
		{"early", wallet.Payment{RequestID: "early", Status: wallet.StatusCancelled, ResultCode: wallet.CodeOrderClosed},
			wallet.StatusCancelled, wallet.CodeOrderClosed},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			got := e.inquire(tc.id)
			if got.Status != tc.wantStatus || got.ResultCode != tc.wantCode {
				t.Errorf("Inquire(%s): got %s %s, want %s %s", tc.id, got.Status, got.ResultCode, tc.wantStatus, tc.wantCode)
			}
			wantPayment(t, got, tc.want)
		})
	}
}
