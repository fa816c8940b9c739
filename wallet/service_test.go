package wallet_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/internal/clock"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
	"github.com/mppwallet/mppwallet/wallet/sqlite"
)

// This file holds the helpers the other test files share (a service over a
// real SQLite store with a hand-driven clock, the ledger invariant, state
// snapshots) and the tests of the Service as a whole.

// t0 is the time every test starts at: a Monday morning, UTC.
var t0 = time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)

// env is a Service over a fresh SQLite file whose clock only moves when the
// test moves it.
type env struct {
	t   *testing.T
	ctx context.Context
	st  *sqlite.Store
	svc *wallet.Service

	now *clock.Manual

	ids atomic.Int64
}

// newEnv opens a store in t's temporary directory and a Service over it with
// a clock set to t0 and ids W<date><counter>.
func newEnv(t *testing.T, opts ...wallet.Option) *env {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	e := &env{t: t, ctx: context.Background(), st: st, now: clock.New(t0)}
	base := []wallet.Option{
		wallet.WithClock(e.now),
		wallet.WithIDGenerator(func(now time.Time) string {
			return fmt.Sprintf("W%s%06d", now.UTC().Format("20060102"), e.ids.Add(1))
		}),
	}
	e.svc = wallet.NewService(st, append(base, opts...)...)
	return e
}

// clock returns the current test time.
func (e *env) clock() time.Time { return e.now.Now() }

// set moves the clock to t.
func (e *env) set(t time.Time) { e.now.Set(t) }

// advance moves the clock forward by d.
func (e *env) advance(d time.Duration) { e.now.Add(d) }

func moneyOf(cur string, minor int64) money.Money { return money.Money{Currency: cur, Minor: minor} }
func usd(minor int64) money.Money                 { return moneyOf("USD", minor) }
func jpy(minor int64) money.Money                 { return moneyOf("JPY", minor) }
func krw(minor int64) money.Money                 { return moneyOf("KRW", minor) }
func eur(minor int64) money.Money                 { return moneyOf("EUR", minor) }

// addUser adds an active, KYC-verified user with the balance, after
// applying mods, and fails the test on error.
func (e *env) addUser(id string, balance money.Money, mods ...func(*wallet.User)) wallet.User {
	e.t.Helper()
	u := wallet.User{ID: id, Name: "User " + id, Balance: balance, KYCVerified: true, Status: wallet.UserActive}
	for _, m := range mods {
		m(&u)
	}
	got, err := e.svc.AddUser(e.ctx, u)
	if err != nil {
		e.t.Fatalf("AddUser(%s): %v", id, err)
	}
	return got
}

// order returns a complete UPM pay request for amount from customer.
func (e *env) order(requestID, customer string, amount money.Money) wallet.PayOrder {
	return wallet.PayOrder{
		RequestID:        requestID,
		CustomerID:       customer,
		Mode:             wallet.ModeUPM,
		CodeValue:        "281012345678901234",
		Amount:           amount,
		Quote:            wallet.Quote{ID: "q-" + requestID, CurrencyPair: amount.Currency + "/" + amount.Currency, Price: "1"},
		Merchant:         wallet.Merchant{ID: "m1", Name: "Tea Shop", MCC: "5812", Region: "JP", StoreID: "s1", StoreName: "Ginza"},
		OrderID:          "order-" + requestID,
		OrderDescription: "Tea, 2 cups",
		AcquirerID:       "acq1",
		PSPID:            "psp1",
	}
}

// pay pays o and fails the test on an error.
func (e *env) pay(o wallet.PayOrder) wallet.Payment {
	e.t.Helper()
	p, err := e.svc.Pay(e.ctx, o)
	if err != nil {
		e.t.Fatalf("Pay(%s): %v", o.RequestID, err)
	}
	return p
}

// paid pays amount from customer and fails the test unless it succeeded.
func (e *env) paid(requestID, customer string, amount money.Money) wallet.Payment {
	e.t.Helper()
	p := e.pay(e.order(requestID, customer, amount))
	if p.Status != wallet.StatusSucceeded {
		e.t.Fatalf("Pay(%s) status: got %s %s, want SUCCEEDED", requestID, p.Status, p.ResultCode)
	}
	return p
}

// refund refunds and fails the test on an error.
func (e *env) refund(o wallet.RefundOrder) wallet.Refund {
	e.t.Helper()
	r, err := e.svc.Refund(e.ctx, o)
	if err != nil {
		e.t.Fatalf("Refund(%s): %v", o.RequestID, err)
	}
	return r
}

// cancel cancels and fails the test on an error.
func (e *env) cancel(requestID string) (wallet.Payment, bool) {
	e.t.Helper()
	p, known, err := e.svc.Cancel(e.ctx, requestID)
	if err != nil {
		e.t.Fatalf("Cancel(%s): %v", requestID, err)
	}
	return p, known
}

// user reads a user and fails the test on an error.
func (e *env) user(id string) wallet.User {
	e.t.Helper()
	u, err := e.svc.User(e.ctx, id)
	if err != nil {
		e.t.Fatalf("User(%s): %v", id, err)
	}
	return u
}

// balance is a user's balance in minor units.
func (e *env) balance(id string) int64 {
	e.t.Helper()
	return e.user(id).Balance.Minor
}

// wantBalance fails the test unless the user's balance is want.
func (e *env) wantBalance(id string, want int64) {
	e.t.Helper()
	if got := e.balance(id); got != want {
		e.t.Errorf("balance of %s: got %d, want %d", id, got, want)
	}
}

// entries lists a user's ledger entries.
func (e *env) entries(id string) []wallet.Entry {
	e.t.Helper()
	es, err := e.st.Entries(e.ctx, id)
	if err != nil {
		e.t.Fatalf("Entries(%s): %v", id, err)
	}
	return es
}

// inquire reads a payment and fails the test on an error.
func (e *env) inquire(requestID string) wallet.Payment {
	e.t.Helper()
	p, err := e.svc.Inquire(e.ctx, requestID)
	if err != nil {
		e.t.Fatalf("Inquire(%s): %v", requestID, err)
	}
	return p
}

// refunds lists the refunds of a payment.
func (e *env) refunds(paymentRequestID string) []wallet.Refund {
	e.t.Helper()
	rs, err := e.st.Refunds(e.ctx, paymentRequestID)
	if err != nil {
		e.t.Fatalf("Refunds(%s): %v", paymentRequestID, err)
	}
	return rs
}

// state is everything the store holds, to prove an operation changed
// nothing.
type state struct {
	Users    []wallet.User
	Entries  map[string][]wallet.Entry
	Payments []wallet.Payment
	Refunds  []wallet.Refund
}

// snapshot reads the whole store.
func (e *env) snapshot() state {
	e.t.Helper()
	users, err := e.st.Users(e.ctx)
	if err != nil {
		e.t.Fatalf("Users: %v", err)
	}
	s := state{Users: users, Entries: map[string][]wallet.Entry{}}
	for _, u := range users {
		s.Entries[u.ID] = e.entries(u.ID)
	}
	if s.Payments, err = e.st.Payments(e.ctx, wallet.PaymentFilter{}); err != nil {
		e.t.Fatalf("Payments: %v", err)
	}
	s.Refunds = e.refunds("")
	return s
}

// wantUnchanged fails the test unless the store still holds before.
func (e *env) wantUnchanged(before state) {
	e.t.Helper()
	after := e.snapshot()
	if !reflect.DeepEqual(after, before) {
		e.t.Errorf("the store changed:\n got: %+v\nwant: %+v", after, before)
	}
}

// wantCode fails the test unless err is a *wallet.Error with code want.
func wantCode(t *testing.T, err error, want wallet.Code) {
	t.Helper()
	var we *wallet.Error
	if !errors.As(err, &we) {
		t.Fatalf("got error %v (%T), want a *wallet.Error %s", err, err, want)
	}
	if we.Code != want {
		t.Fatalf("got code %s (%v), want %s", we.Code, err, want)
	}
	if got := wallet.ErrorCode(err); got != want {
		t.Fatalf("ErrorCode: got %s, want %s", got, want)
	}
}

// wantPayment fails the test unless two payments are the same.
func wantPayment(t *testing.T, got, want wallet.Payment) {
	t.Helper()
	if !reflect.DeepEqual(normPayment(got), normPayment(want)) {
		t.Errorf("payment:\n got: %+v\nwant: %+v", got, want)
	}
}

// normPayment puts the times of p in UTC so payments compare by instant.
func normPayment(p wallet.Payment) wallet.Payment {
	for _, t := range []*time.Time{&p.CreatedAt, &p.UpdatedAt, &p.PaidAt, &p.ExpiresAt} {
		if !t.IsZero() {
			*t = t.UTC()
		}
	}
	return p
}

// checkLedger asserts the ledger invariant for every user:
//
//   - the first entry is the opening balance and every entry's BalanceAfter
//     is the running sum of the entries, ending at the balance;
//   - no entry ever leaves the balance negative;
//   - balance = opening + top-ups - what successful payments still hold
//     (amount - refunded); a cancelled payment holds nothing;
//   - every payment has the debit, refund and cancel entries its state
//     implies, and its Refunded equals the sum of its refunds.
func (e *env) checkLedger() {
	e.t.Helper()
	t := e.t
	users, err := e.st.Users(e.ctx)
	if err != nil {
		t.Fatalf("Users: %v", err)
	}
	for _, u := range users {
		es := e.entries(u.ID)
		if len(es) == 0 || es[0].Kind != wallet.EntryOpening {
			t.Errorf("ledger of %s: got first entries %+v, want an OPENING entry first", u.ID, es)
			continue
		}
		var sum, topups int64
		byRef := map[string][]wallet.Entry{}
		for i, x := range es {
			if i > 0 && x.Kind == wallet.EntryOpening {
				t.Errorf("ledger of %s: got a second OPENING entry %+v", u.ID, x)
			}
			if x.Amount.Currency != u.Currency() {
				t.Errorf("ledger of %s: entry %+v in %s, want %s", u.ID, x, x.Amount.Currency, u.Currency())
			}
			sum += x.Amount.Minor
			if x.BalanceAfter != sum {
				t.Errorf("ledger of %s: entry %d BalanceAfter got %d, want running sum %d", u.ID, i, x.BalanceAfter, sum)
			}
			if x.BalanceAfter < 0 {
				t.Errorf("ledger of %s: entry %d left the balance negative (%d)", u.ID, i, x.BalanceAfter)
			}
			if x.Kind == wallet.EntryTopUp {
				topups += x.Amount.Minor
			}
			byRef[x.Ref] = append(byRef[x.Ref], x)
		}
		if sum != u.Balance.Minor {
			t.Errorf("ledger of %s: sum of entries got %d, want balance %d", u.ID, sum, u.Balance.Minor)
		}
		if u.Balance.Minor < 0 {
			t.Errorf("balance of %s: got %d, want >= 0", u.ID, u.Balance.Minor)
		}

		ps, err := e.st.Payments(e.ctx, wallet.PaymentFilter{CustomerID: u.ID})
		if err != nil {
			t.Fatalf("Payments(%s): %v", u.ID, err)
		}
		want := es[0].Amount.Minor + topups
		for _, p := range ps {
			var refunded int64
			for _, r := range e.refunds(p.RequestID) {
				refunded += r.Amount.Minor
				if rs := byRef[r.RequestID]; len(rs) != 1 || rs[0].Kind != wallet.EntryRefund || rs[0].Amount.Minor != r.Amount.Minor {
					t.Errorf("refund %s of %s: got entries %+v, want one REFUND entry of %d", r.RequestID, p.RequestID, rs, r.Amount.Minor)
				}
			}
			if refunded != p.Refunded {
				t.Errorf("payment %s: Refunded got %d, want the sum of its refunds %d", p.RequestID, p.Refunded, refunded)
			}
			var debit, back int64
			for _, x := range byRef[p.RequestID] {
				switch x.Kind {
				case wallet.EntryDebit:
					debit -= x.Amount.Minor
				case wallet.EntryCancel:
					back += x.Amount.Minor
				default:
					t.Errorf("payment %s: unexpected entry %+v", p.RequestID, x)
				}
			}
			switch p.Status {
			case wallet.StatusSucceeded:
				if debit != p.Amount.Minor || back != 0 {
					t.Errorf("payment %s SUCCEEDED: got debit %d and cancel %d, want debit %d and no cancel", p.RequestID, debit, back, p.Amount.Minor)
				}
				want -= p.Amount.Minor - p.Refunded
			case wallet.StatusCancelled:
				if debit != 0 && debit != p.Amount.Minor {
					t.Errorf("payment %s CANCELLED: got debit %d, want 0 or %d", p.RequestID, debit, p.Amount.Minor)
				}
				if debit-refunded != back {
					t.Errorf("payment %s CANCELLED: got cancel credit %d, want debit %d - refunded %d", p.RequestID, back, debit, refunded)
				}
			default:
				if debit != 0 || back != 0 || refunded != 0 {
					t.Errorf("payment %s %s: got debit %d, cancel %d, refunds %d, want no money moved", p.RequestID, p.Status, debit, back, refunded)
				}
			}
		}
		if u.Balance.Minor != want {
			t.Errorf("balance of %s: got %d, want opening+top-ups-held payments %d", u.ID, u.Balance.Minor, want)
		}
	}
}

func TestServiceNowFollowsTheClock(t *testing.T) {
	e := newEnv(t)
	if got := e.svc.Now(); !got.Equal(t0) {
		t.Errorf("Now: got %v, want %v", got, t0)
	}
	e.advance(90 * time.Minute)
	if got, want := e.svc.Now(), t0.Add(90*time.Minute); !got.Equal(want) {
		t.Errorf("Now after 90m: got %v, want %v", got, want)
	}
	if e.svc.Store() == nil {
		t.Errorf("Store: got nil, want the store")
	}
}

func TestDefaultPaymentIDsAreDatedAndUnique(t *testing.T) {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	defer st.Close()
	now := t0
	svc := wallet.NewService(st, wallet.WithClock(wallet.ClockFunc(func() time.Time { return now })))
	ctx := context.Background()
	if _, err := svc.AddUser(ctx, wallet.User{ID: "u1", Balance: usd(10000), KYCVerified: true}); err != nil {
		t.Fatalf("AddUser: %v", err)
	}
	seen := map[string]bool{}
	for i := range 20 {
		o := wallet.PayOrder{RequestID: fmt.Sprintf("r%d", i), CustomerID: "u1", Amount: usd(1)}
		p, err := svc.Pay(ctx, o)
		if err != nil {
			t.Fatalf("Pay: %v", err)
		}
		id := p.PaymentID
		if len(id) != 28 || strings.Trim(id, "0123456789") != "" || !strings.HasPrefix(id, "20250602") {
			t.Errorf("PaymentID: got %q, want 28 digits starting with the date 20250602", id)
		}
		if seen[id] {
			t.Errorf("PaymentID %q: got it twice, want unique ids", id)
		}
		seen[id] = true
	}
}

func TestDailyLimitsCountInTheServiceLocation(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	// 14:30 UTC is 23:30 in Tokyo; two hours later it is the next day there
	// but still the same day in UTC.
	start := time.Date(2025, 6, 2, 14, 30, 0, 0, time.UTC)
	tests := []struct {
		name       string
		opts       []wallet.Option
		wantStatus wallet.Status
		wantCode   wallet.Code
	}{
		{"UTC by default: same day", nil, wallet.StatusFailed, wallet.CodeCountExceedLimit},
		{"Tokyo: next day", []wallet.Option{wallet.WithLocation(tokyo)}, wallet.StatusSucceeded, wallet.CodeSuccess},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.opts...)
			e.set(start)
			e.addUser("u1", usd(10000), func(u *wallet.User) { u.Limits.DailyCount = 1 })
			e.paid("r1", "u1", usd(100))
			e.advance(2 * time.Hour)
			p := e.pay(e.order("r2", "u1", usd(100)))
			if p.Status != tc.wantStatus || p.ResultCode != tc.wantCode {
				t.Errorf("second payment: got %s %s, want %s %s", p.Status, p.ResultCode, tc.wantStatus, tc.wantCode)
			}
			e.checkLedger()
		})
	}
}

// TestLedgerStaysConsistent runs a mixed history over several users and
// days and checks the ledger invariant after every step.
func TestLedgerStaysConsistent(t *testing.T) {
	e := newEnv(t)
	e.addUser("alice", usd(50000), func(u *wallet.User) { u.Limits = wallet.Limits{DailyAmount: 30000, DailyCount: 5} })
	e.addUser("bob", krw(100000), func(u *wallet.User) { u.Override = wallet.OverrideAsk })
	e.addUser("carol", jpy(0))

	steps := []struct {
		name string
		do   func()
	}{
		{"alice pays", func() { e.paid("a1", "alice", usd(12000)) }},
		{"alice pays again", func() { e.paid("a2", "alice", usd(8000)) }},
		{"alice over her daily amount", func() { e.pay(e.order("a3", "alice", usd(10001))) }},
		{"alice refund", func() { e.refund(wallet.RefundOrder{RequestID: "ra1", PaymentRequestID: "a1", Amount: usd(2000)}) }},
		{"alice cancels a refunded payment", func() { e.cancel("a1") }},
		{"bob holds", func() {
			o := e.order("b1", "bob", krw(30000))
			o.PaymentAmount = jpy(3000)
			e.pay(o)
		}},
		{"bob approves", func() {
			if _, err := e.svc.Decide(e.ctx, "b1", true, ""); err != nil {
				t.Fatalf("Decide: %v", err)
			}
		}},
		{"bob refund in JPY", func() { e.refund(wallet.RefundOrder{RequestID: "rb1", PaymentRequestID: "b1", Amount: jpy(1000)}) }},
		{"bob holds and declines", func() {
			e.pay(e.order("b2", "bob", krw(5000)))
			if _, err := e.svc.Decide(e.ctx, "b2", false, ""); err != nil {
				t.Fatalf("Decide: %v", err)
			}
		}},
		{"carol has nothing", func() { e.pay(e.order("c1", "carol", jpy(1))) }},
		{"carol tops up", func() {
			if _, err := e.svc.TopUp(e.ctx, "carol", jpy(5000)); err != nil {
				t.Fatalf("TopUp: %v", err)
			}
		}},
		{"carol pays", func() { e.paid("c2", "carol", jpy(4999)) }},
		{"next day", func() { e.advance(24 * time.Hour) }},
		{"alice pays the next day", func() { e.paid("a4", "alice", usd(25000)) }},
		{"alice full refund", func() { e.refund(wallet.RefundOrder{RequestID: "ra4", PaymentRequestID: "a4", Amount: usd(25000)}) }},
		{"cancel unknown", func() { e.cancel("zz") }},
		{"cancel failed", func() { e.cancel("a3") }},
	}
	for _, s := range steps {
		s.do()
		e.checkLedger()
		if t.Failed() {
			t.Fatalf("ledger broken after %q", s.name)
		}
	}
	e.wantBalance("alice", 50000-8000)
	e.wantBalance("bob", 100000-30000+10000)
	e.wantBalance("carol", 1)
}
