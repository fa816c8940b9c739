package wallet_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

func TestAddUser(t *testing.T) {
	tests := []struct {
		name string
		user wallet.User
	}{
		{"minimal", wallet.User{ID: "u1", Balance: usd(0)}},
		{"with balance", wallet.User{ID: "u1", Name: "Ada", Balance: usd(123456), KYCVerified: true}},
		{"64-character id", wallet.User{ID: strings.Repeat("a", 64), Balance: jpy(100)}},
		{"frozen", wallet.User{ID: "u1", Balance: moneyOf("BHD", 1234), Status: wallet.UserFrozen}},
		{"with limits and override", wallet.User{ID: "u1", Balance: usd(100),
			Limits: wallet.Limits{PerPayment: 1, DailyAmount: 2, DailyCount: 3}, Override: wallet.OverrideAsk}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.advance(time.Hour)
			got, err := e.svc.AddUser(e.ctx, tc.user)
			if err != nil {
				t.Fatalf("AddUser: %v", err)
			}
			want := tc.user
			if want.Status == "" {
				want.Status = wallet.UserActive
			}
			want.CreatedAt = e.clock()
			if got != want {
				t.Errorf("AddUser: got %+v, want %+v", got, want)
			}
			if stored := e.user(tc.user.ID); stored != want {
				t.Errorf("stored user: got %+v, want %+v", stored, want)
			}
			es := e.entries(tc.user.ID)
			if len(es) != 1 {
				t.Fatalf("entries: got %d, want one opening entry", len(es))
			}
			x := es[0]
			if x.Kind != wallet.EntryOpening || x.Amount != tc.user.Balance || x.BalanceAfter != tc.user.Balance.Minor ||
				x.CustomerID != tc.user.ID || !x.At.Equal(e.clock()) {
				t.Errorf("opening entry: got %+v, want OPENING of %v at %v", x, tc.user.Balance, e.clock())
			}
			e.checkLedger()
		})
	}
}

func TestAddUserRejects(t *testing.T) {
	tests := []struct {
		name string
		user wallet.User
	}{
		{"empty id", wallet.User{Balance: usd(100)}},
		{"65-character id", wallet.User{ID: strings.Repeat("a", 65), Balance: usd(100)}},
		{"id with a space", wallet.User{ID: "u 1", Balance: usd(100)}},
		{"id with a newline", wallet.User{ID: "u1\n", Balance: usd(100)}},
		{"negative balance", wallet.User{ID: "u1", Balance: usd(-1)}},
		{"unknown currency", wallet.User{ID: "u1", Balance: moneyOf("XXX", 100)}},
		{"no currency", wallet.User{ID: "u1", Balance: moneyOf("", 100)}},
		{"lower-case currency", wallet.User{ID: "u1", Balance: moneyOf("usd", 100)}},
		{"negative per-payment limit", wallet.User{ID: "u1", Balance: usd(100), Limits: wallet.Limits{PerPayment: -1}}},
		{"negative daily amount", wallet.User{ID: "u1", Balance: usd(100), Limits: wallet.Limits{DailyAmount: -1}}},
		{"negative daily count", wallet.User{ID: "u1", Balance: usd(100), Limits: wallet.Limits{DailyCount: -1}}},
		{"bad status", wallet.User{ID: "u1", Balance: usd(100), Status: "SLEEPING"}},
		{"duplicate id", wallet.User{ID: "taken", Balance: usd(100)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.addUser("taken", eur(500))
			before := e.snapshot()
			got, err := e.svc.AddUser(e.ctx, tc.user)
			wantCode(t, err, wallet.CodeParamIllegal)
			if got != (wallet.User{}) {
				t.Errorf("AddUser: got %+v with the error, want none", got)
			}
			e.wantUnchanged(before)
		})
	}
}

func TestUserOverrideMustBeAKnownOne(t *testing.T) {
	for _, o := range []wallet.Override{"BOGUS", "SUCCESS", "ask"} {
		t.Run(string(o), func(t *testing.T) {
			e := newEnv(t)
			_, err := e.svc.AddUser(e.ctx, wallet.User{ID: "u1", Balance: usd(100), KYCVerified: true, Override: o})
			wantCode(t, err, wallet.CodeParamIllegal)
			e.addUser("u2", usd(100))
			_, err = e.svc.UpdateUser(e.ctx, "u2", func(u *wallet.User) error { u.Override = o; return nil })
			wantCode(t, err, wallet.CodeParamIllegal)
		})
	}
}

func TestUserUnknown(t *testing.T) {
	e := newEnv(t)
	_, err := e.svc.User(e.ctx, "nobody")
	wantCode(t, err, wallet.CodeUserNotExist)
}

// TestCustomerCurrency: the simulator quotes a payment in the currency of
// the user's balance, and learns when there is no such user.
func TestCustomerCurrency(t *testing.T) {
	e := newEnv(t)
	for _, u := range []wallet.User{{ID: "yen", Balance: jpy(100)}, {ID: "dinar", Balance: moneyOf("BHD", 1234)}} {
		if _, err := e.svc.AddUser(e.ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		id, want string
		ok       bool
	}{{"yen", "JPY", true}, {"dinar", "BHD", true}, {"nobody", "", false}} {
		if got, ok := e.svc.CustomerCurrency(tc.id); got != tc.want || ok != tc.ok {
			t.Errorf("CustomerCurrency(%q) = %q, %v; want %q, %v", tc.id, got, ok, tc.want, tc.ok)
		}
	}
}

func TestUpdateUser(t *testing.T) {
	e := newEnv(t)
	orig := e.addUser("u1", usd(10000))
	e.addUser("u2", usd(500))
	e.paid("r1", "u1", usd(1000))
	e.advance(time.Hour)

	got, err := e.svc.UpdateUser(e.ctx, "u1", func(u *wallet.User) error {
		u.Name = "Grace"
		u.Limits = wallet.Limits{PerPayment: 500, DailyAmount: 2000, DailyCount: 4}
		u.KYCVerified = false
		u.Status = wallet.UserFrozen
		u.Override = wallet.Override(wallet.CodeRiskReject)
		// None of these may change through UpdateUser.
		u.Balance = moneyOf("JPY", 99999999)
		u.ID = "u2"
		u.CreatedAt = time.Time{}
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateUser: %v", err)
	}
	want := wallet.User{
		ID: "u1", Name: "Grace", Balance: usd(9000),
		Limits:      wallet.Limits{PerPayment: 500, DailyAmount: 2000, DailyCount: 4},
		KYCVerified: false, Status: wallet.UserFrozen, Override: wallet.Override(wallet.CodeRiskReject),
		CreatedAt: orig.CreatedAt,
	}
	if got != want {
		t.Errorf("UpdateUser: got %+v, want %+v", got, want)
	}
	if stored := e.user("u1"); stored != want {
		t.Errorf("stored: got %+v, want %+v", stored, want)
	}
	if u2 := e.user("u2"); u2.Balance != usd(500) || u2.Name != "User u2" {
		t.Errorf("u2: got %+v, want it untouched", u2)
	}
	if p := e.pay(e.order("r2", "u1", usd(100))); p.Status != wallet.StatusFailed || p.ResultCode != wallet.CodeUserStatusAbnormal {
		t.Errorf("Pay of a frozen user: got %s %s, want FAILED USER_STATUS_ABNORMAL", p.Status, p.ResultCode)
	}
	e.checkLedger()
}

func TestUpdateUserRejects(t *testing.T) {
	errStop := errors.New("changed my mind")
	tests := []struct {
		name     string
		id       string
		fn       func(*wallet.User) error
		wantErr  error
		wantCode wallet.Code
	}{
		{name: "unknown user", id: "nobody", fn: func(*wallet.User) error { return nil }, wantCode: wallet.CodeUserNotExist},
		{name: "fn fails", id: "u1", fn: func(u *wallet.User) error { u.Name = "half-done"; return errStop }, wantErr: errStop},
		{name: "negative limit", id: "u1", fn: func(u *wallet.User) error { u.Limits.DailyCount = -1; return nil }, wantCode: wallet.CodeParamIllegal},
		{name: "bad status", id: "u1", fn: func(u *wallet.User) error { u.Status = ""; return nil }, wantCode: wallet.CodeParamIllegal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.addUser("u1", usd(10000))
			before := e.snapshot()
			got, err := e.svc.UpdateUser(e.ctx, tc.id, tc.fn)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("UpdateUser: got %v, want %v", err, tc.wantErr)
				}
			} else {
				wantCode(t, err, tc.wantCode)
			}
			if got != (wallet.User{}) {
				t.Errorf("UpdateUser: got %+v with the error, want none", got)
			}
			e.wantUnchanged(before)
		})
	}
}

func TestTopUp(t *testing.T) {
	e := newEnv(t)
	e.addUser("u1", usd(1000))
	e.advance(time.Minute)
	u, err := e.svc.TopUp(e.ctx, "u1", usd(2550))
	if err != nil {
		t.Fatalf("TopUp: %v", err)
	}
	if u.Balance != usd(3550) {
		t.Errorf("TopUp: got balance %v, want 35.50 USD", u.Balance)
	}
	e.wantBalance("u1", 3550)
	es := e.entries("u1")
	if x := es[len(es)-1]; x.Kind != wallet.EntryTopUp || x.Amount != usd(2550) || x.BalanceAfter != 3550 || !x.At.Equal(e.clock()) {
		t.Errorf("top-up entry: got %+v, want TOPUP of 2550 leaving 3550 at %v", x, e.clock())
	}
	// The topped-up money can be spent.
	e.paid("r1", "u1", usd(3550))
	e.checkLedger()
}

func TestTopUpRejects(t *testing.T) {
	tests := []struct {
		name string
		id   string
		amt  money.Money
		want wallet.Code
	}{
		{"zero", "u1", usd(0), wallet.CodeParamIllegal},
		{"negative", "u1", usd(-100), wallet.CodeParamIllegal},
		{"other currency", "u1", eur(100), wallet.CodeCurrencyNotSupport},
		{"overflow", "u1", usd(math.MaxInt64), wallet.CodeProcessFail},
		{"unknown user", "nobody", usd(100), wallet.CodeUserNotExist},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.addUser("u1", usd(1000))
			before := e.snapshot()
			u, err := e.svc.TopUp(e.ctx, tc.id, tc.amt)
			wantCode(t, err, tc.want)
			if u != (wallet.User{}) {
				t.Errorf("TopUp: got %+v with the error, want none", u)
			}
			e.wantUnchanged(before)
		})
	}
}

func TestAdjustIsAllOrNothing(t *testing.T) {
	tests := []struct {
		name        string
		fn          func(*wallet.User) error
		topUp       int64
		wantCode    wallet.Code
		wantName    string
		wantBalance int64
	}{
		{"settings and top-up together", func(u *wallet.User) error { u.Name = "Grace"; return nil }, 500, "", "Grace", 1500},
		{"top-up only", nil, 500, "", "User u1", 1500},
		{"settings only", func(u *wallet.User) error { u.Name = "Grace"; return nil }, 0, "", "Grace", 1000},
		{"invalid settings stop the top-up", func(u *wallet.User) error { u.Limits.PerPayment = -1; return nil }, 500,
			wallet.CodeParamIllegal, "User u1", 1000},
		{"negative top-up", nil, -1, wallet.CodeParamIllegal, "User u1", 1000},
		{"overflowing top-up", nil, math.MaxInt64, wallet.CodeProcessFail, "User u1", 1000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.addUser("u1", usd(1000))
			before := e.snapshot()
			u, err := e.svc.Adjust(e.ctx, "u1", tc.fn, tc.topUp)
			if tc.wantCode != "" {
				wantCode(t, err, tc.wantCode)
				e.wantUnchanged(before)
			} else if err != nil {
				t.Fatalf("Adjust: %v", err)
			} else if u.Name != tc.wantName || u.Balance.Minor != tc.wantBalance {
				t.Errorf("Adjust: got %q with %d, want %q with %d", u.Name, u.Balance.Minor, tc.wantName, tc.wantBalance)
			}
			if got := e.user("u1"); got.Name != tc.wantName || got.Balance.Minor != tc.wantBalance {
				t.Errorf("stored: got %q with %d, want %q with %d", got.Name, got.Balance.Minor, tc.wantName, tc.wantBalance)
			}
			e.checkLedger()
		})
	}
}

func TestParseOverride(t *testing.T) {
	tests := []struct {
		in      string
		want    wallet.Override
		wantErr bool
	}{
		{"", "", false},
		{"none", "", false},
		{"NONE", "", false},
		{"  None ", "", false},
		{"ask", wallet.OverrideAsk, false},
		{" ASK ", wallet.OverrideAsk, false},
		{"risk_reject", wallet.Override(wallet.CodeRiskReject), false},
		{"User_Balance_Not_Enough", wallet.Override(wallet.CodeBalanceNotEnough), false},
		{"SUCCESS", "", true},
		{"PAYMENT_IN_PROCESS", "", true},
		{"ORDER_IS_CLOSED", "", true},
		{"USER_NOT_EXIST", "", true},
		{"asks", "", true},
		{"RISK REJECT", "", true},
	}
	for _, c := range wallet.DeclineCodes {
		tests = append(tests, struct {
			in      string
			want    wallet.Override
			wantErr bool
		}{string(c), wallet.Override(c), false})
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := wallet.ParseOverride(tc.in)
			if tc.wantErr {
				if err == nil {
					t.Errorf("ParseOverride(%q): got %q, want an error", tc.in, got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("ParseOverride(%q): got %q, %v, want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestCodeMessages(t *testing.T) {
	for _, c := range append([]wallet.Code{wallet.CodeSuccess, wallet.CodeInProcess, wallet.CodeOrderClosed}, wallet.DeclineCodes...) {
		if m := c.Message(); m == "" || m == string(c) {
			t.Errorf("%s.Message(): got %q, want an explanation", c, m)
		}
	}
	if got := wallet.Code("NEW_CODE").Message(); got != "NEW_CODE" {
		t.Errorf("unknown code Message: got %q, want the code itself", got)
	}
	err := wallet.Errorf(wallet.CodeParamIllegal, "amount %d", 5)
	if got, want := err.Error(), "PARAM_ILLEGAL: amount 5"; got != want {
		t.Errorf("Error(): got %q, want %q", got, want)
	}
	if got := wallet.ErrorCode(errors.New("plain")); got != "" {
		t.Errorf("ErrorCode of a plain error: got %q, want empty", got)
	}
}
