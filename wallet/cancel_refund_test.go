package wallet_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

func TestCancel(t *testing.T) {
	tests := []struct {
		name string
		// prep makes payment r1 (opening balance 100.00 USD).
		prep func(e *env)
		// wantBack is what the cancel returns to the user.
		wantBack int64
		// wantBalance is the balance after the cancel.
		wantBalance int64
	}{
		{"succeeded", func(e *env) { e.paid("r1", "u1", usd(2500)) }, 2500, 10000},
		{"partially refunded", func(e *env) {
			e.paid("r1", "u1", usd(2500))
			e.refund(wallet.RefundOrder{RequestID: "f1", PaymentRequestID: "r1", Amount: usd(1000)})
		}, 1500, 10000},
		{"refunded twice", func(e *env) {
			e.paid("r1", "u1", usd(2500))
			e.refund(wallet.RefundOrder{RequestID: "f1", PaymentRequestID: "r1", Amount: usd(1000)})
			e.refund(wallet.RefundOrder{RequestID: "f2", PaymentRequestID: "r1", Amount: usd(1)})
		}, 1499, 10000},
		{"fully refunded", func(e *env) {
			e.paid("r1", "u1", usd(2500))
			e.refund(wallet.RefundOrder{RequestID: "f1", PaymentRequestID: "r1", Amount: usd(2500)})
		}, 0, 10000},
		{"held for confirmation", func(e *env) {
			if _, err := e.svc.UpdateUser(e.ctx, "u1", func(u *wallet.User) error { u.Override = wallet.OverrideAsk; return nil }); err != nil {
				e.t.Fatal(err)
			}
			e.pay(e.order("r1", "u1", usd(2500)))
		}, 0, 10000},
		{"failed", func(e *env) { e.pay(e.order("r1", "u1", usd(20000))) }, 0, 10000},
		{"after other payments", func(e *env) {
			e.paid("r0", "u1", usd(3000))
			e.paid("r1", "u1", usd(2500))
			e.paid("r2", "u1", usd(500))
		}, 2500, 6500},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.addUser("u1", usd(10000))
			tc.prep(e)
			e.advance(time.Minute)
			entries := len(e.entries("u1"))
			was := e.inquire("r1")

			p, known := e.cancel("r1")
			if !known {
				t.Errorf("Cancel: got known=false, want true")
			}
			if p.Status != wallet.StatusCancelled || p.ResultCode != wallet.CodeOrderClosed || !p.UpdatedAt.Equal(e.clock()) {
				t.Errorf("Cancel: got %s %s updated %v, want CANCELLED ORDER_IS_CLOSED updated %v",
					p.Status, p.ResultCode, p.UpdatedAt, e.clock())
			}
			if p.PaymentID != was.PaymentID || p.Amount != was.Amount || p.Refunded != was.Refunded {
				t.Errorf("Cancel: got %+v, want the payment %+v closed", p, was)
			}
			wantPayment(t, e.inquire("r1"), p)
			e.wantBalance("u1", tc.wantBalance)

			es := e.entries("u1")
			if tc.wantBack == 0 {
				if len(es) != entries {
					t.Errorf("entries: got %d new, want none (no money moved)", len(es)-entries)
				}
			} else {
				if len(es) != entries+1 {
					t.Fatalf("entries: got %d new, want one CANCEL entry", len(es)-entries)
				}
				x := es[len(es)-1]
				if x.Kind != wallet.EntryCancel || x.Amount != usd(tc.wantBack) || x.Ref != "r1" ||
					x.BalanceAfter != tc.wantBalance || !x.At.Equal(e.clock()) {
					t.Errorf("cancel entry: got %+v, want CANCEL of %d for r1 leaving %d at %v", x, tc.wantBack, tc.wantBalance, e.clock())
				}
			}
			e.checkLedger()

			// A repeat changes nothing and answers the same.
			before := e.snapshot()
			e.advance(time.Minute)
			again, known := e.cancel("r1")
			if !known {
				t.Errorf("repeat Cancel: got known=false, want true")
			}
			wantPayment(t, again, p)
			e.wantUnchanged(before)

			// A closed payment can be neither refunded nor decided.
			_, err := e.svc.Refund(e.ctx, wallet.RefundOrder{RequestID: "late", PaymentRequestID: "r1", Amount: usd(1)})
			wantCode(t, err, wallet.CodeOrderStatusInvalid)
			_, err = e.svc.Decide(e.ctx, "r1", true, "")
			wantCode(t, err, wallet.CodeOrderClosed)
			e.wantUnchanged(before)
		})
	}
}

func TestCancelUnknownClosesTheRequest(t *testing.T) {
	e := newEnv(t)
	e.addUser("u1", usd(10000))
	before := e.snapshot()

	p, known := e.cancel("r1")
	if known || p != (wallet.Payment{}) {
		t.Errorf("Cancel: got %+v, known=%v, want no payment and known=false", p, known)
	}
	_, err := e.svc.Pay(e.ctx, e.order("r1", "u1", usd(100)))
	wantCode(t, err, wallet.CodeOrderClosed)
	if got := e.inquire("r1"); got.Status != wallet.StatusCancelled || got.ResultCode != wallet.CodeOrderClosed {
		t.Errorf("Inquire: got %s %s, want CANCELLED ORDER_IS_CLOSED", got.Status, got.ResultCode)
	}
	if _, known := e.cancel("r1"); known {
		t.Errorf("repeat Cancel: got known=true, want false")
	}
	_, err = e.svc.Pay(e.ctx, e.order("r1", "u1", usd(100)))
	wantCode(t, err, wallet.CodeOrderClosed)
	e.wantUnchanged(before)

	// Other requests are not affected.
	if p := e.pay(e.order("r2", "u1", usd(100))); p.Status != wallet.StatusSucceeded {
		t.Errorf("Pay(r2): got %s, want SUCCEEDED", p.Status)
	}
}

func TestCancelNeedsARequestID(t *testing.T) {
	e := newEnv(t)
	_, known, err := e.svc.Cancel(e.ctx, "")
	wantCode(t, err, wallet.CodeParamIllegal)
	if known {
		t.Errorf("known: got true, want false")
	}
}

// refundEnv has user u1 (100.00 USD) who paid r1: 30.00 USD for 4500 JPY.
func refundEnv(t *testing.T) *env {
	e := newEnv(t)
	e.addUser("u1", usd(10000))
	o := e.order("r1", "u1", usd(3000))
	o.PaymentAmount = jpy(4500)
	if p := e.pay(o); p.Status != wallet.StatusSucceeded {
		t.Fatalf("Pay: got %s, want SUCCEEDED", p.Status)
	}
	e.advance(time.Minute)
	return e
}

func TestRefundInTheUserCurrency(t *testing.T) {
	tests := []struct {
		name    string
		amounts []int64
	}{
		{"full", []int64{3000}},
		{"two parts", []int64{1000, 2000}},
		{"many parts", []int64{1, 999, 500, 1500}},
		{"one part", []int64{1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := refundEnv(t)
			paymentID := e.inquire("r1").PaymentID
			var total int64
			for i, a := range tc.amounts {
				id := fmt.Sprintf("f%d", i)
				o := wallet.RefundOrder{RequestID: id, PaymentRequestID: "r1", Amount: usd(a)}
				if i%2 == 1 {
					o.PaymentID = paymentID // may be given, and then must match
				}
				r := e.refund(o)
				total += a
				if r.RequestID != id || r.PaymentRequestID != "r1" || r.Amount != usd(a) || r.RefundAmount != usd(a) ||
					r.RefundID == "" || !r.CreatedAt.Equal(e.clock()) {
					t.Errorf("Refund: got %+v, want %d USD credited for r1 at %v with an id", r, a, e.clock())
				}
				e.wantBalance("u1", 7000+total)
				if p := e.inquire("r1"); p.Refunded != total || p.Refundable() != 3000-total || p.Status != wallet.StatusSucceeded {
					t.Errorf("payment: got refunded %d, refundable %d, %s, want %d, %d, SUCCEEDED",
						p.Refunded, p.Refundable(), p.Status, total, 3000-total)
				}
				es := e.entries("u1")
				if x := es[len(es)-1]; x.Kind != wallet.EntryRefund || x.Amount != usd(a) || x.Ref != id || x.BalanceAfter != 7000+total {
					t.Errorf("refund entry: got %+v, want REFUND of %d for %s", x, a, id)
				}
				e.advance(time.Minute)
			}
			if got := len(e.refunds("r1")); got != len(tc.amounts) {
				t.Errorf("refunds: got %d, want %d", got, len(tc.amounts))
			}
			e.checkLedger()

			// Nothing is left: another cent exceeds.
			if total == 3000 {
				before := e.snapshot()
				_, err := e.svc.Refund(e.ctx, wallet.RefundOrder{RequestID: "more", PaymentRequestID: "r1", Amount: usd(1)})
				wantCode(t, err, wallet.CodeRefundAmountExceed)
				e.wantUnchanged(before)
			}
		})
	}
}

func TestRefundInTheMerchantCurrency(t *testing.T) {
	tests := []struct {
		name        string
		paymentAmt  money.Money // what the merchant asked for
		payTo       money.Money // what the user paid
		refunds     []money.Money
		wantCredits []int64
	}{
		{"half", jpy(100), krw(1000), []money.Money{jpy(50)}, []int64{500}},
		{"full", jpy(100), krw(1000), []money.Money{jpy(100)}, []int64{1000}},
		{"two halves", jpy(100), krw(1000), []money.Money{jpy(50), jpy(50)}, []int64{500, 500}},
		{"rounds down, never credits more", jpy(300), krw(1000), []money.Money{jpy(100)}, []int64{333}},
		{"full at an uneven rate", jpy(300), krw(1000), []money.Money{jpy(300)}, []int64{1000}},
		{"merchant USD, user JPY", usd(1000), jpy(1500), []money.Money{usd(333)}, []int64{499}},
		{"both currencies mixed", jpy(100), krw(1000), []money.Money{krw(300), jpy(50), krw(200)}, []int64{300, 500, 200}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			opening := moneyOf(tc.payTo.Currency, 1000000)
			e.addUser("u1", opening)
			o := e.order("r1", "u1", tc.payTo)
			o.PaymentAmount = tc.paymentAmt
			if p := e.pay(o); p.Status != wallet.StatusSucceeded {
				t.Fatalf("Pay: got %s, want SUCCEEDED", p.Status)
			}
			var total int64
			for i, amt := range tc.refunds {
				r := e.refund(wallet.RefundOrder{RequestID: fmt.Sprintf("f%d", i), PaymentRequestID: "r1", Amount: amt})
				total += tc.wantCredits[i]
				if want := moneyOf(tc.payTo.Currency, tc.wantCredits[i]); r.Amount != want || r.RefundAmount != amt {
					t.Errorf("refund of %v: got credit %v for %v, want credit %v", amt, r.Amount, r.RefundAmount, want)
				}
				e.wantBalance("u1", opening.Minor-tc.payTo.Minor+total)
			}
			if p := e.inquire("r1"); p.Refunded != total {
				t.Errorf("Refunded: got %d, want %d", p.Refunded, total)
			}
			e.checkLedger()
		})
	}
}

// payMerchantCurrency pays r1 for user u1 (1,000,000 KRW): payTo in KRW for
// paymentAmount in JPY.
func payMerchantCurrency(t *testing.T, paymentAmt, payTo money.Money) *env {
	e := newEnv(t)
	e.addUser("u1", krw(1000000))
	o := e.order("r1", "u1", payTo)
	o.PaymentAmount = paymentAmt
	if p := e.pay(o); p.Status != wallet.StatusSucceeded {
		t.Fatalf("Pay: got %s, want SUCCEEDED", p.Status)
	}
	return e
}

func TestRefundPartsAddingUpToTheMerchantAmountReturnEverything(t *testing.T) {
	e := payMerchantCurrency(t, jpy(300), krw(1000))
	for i := range 3 {
		e.refund(wallet.RefundOrder{RequestID: fmt.Sprintf("f%d", i), PaymentRequestID: "r1", Amount: jpy(100)})
	}
	if p := e.inquire("r1"); p.Refunded != 1000 || p.Refundable() != 0 {
		t.Errorf("after refunding 3 x 100 of 300 JPY: got refunded %d, refundable %d, want 1000, 0", p.Refunded, p.Refundable())
	}
	e.wantBalance("u1", 1000000)
}

func TestRefundsNeverExceedTheMerchantAmountInTotal(t *testing.T) {
	e := refundEnv(t) // r1: 30.00 USD for 4500 JPY
	e.refund(wallet.RefundOrder{RequestID: "f1", PaymentRequestID: "r1", Amount: jpy(1500)})
	before := e.snapshot()
	_, err := e.svc.Refund(e.ctx, wallet.RefundOrder{RequestID: "f2", PaymentRequestID: "r1", Amount: jpy(3001)})
	wantCode(t, err, wallet.CodeRefundAmountExceed)
	e.wantUnchanged(before)
}

func TestCancelRacingRefundsReturnsExactlyThePayment(t *testing.T) {
	for round := range 5 {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			e := newEnv(t)
			e.addUser("u1", usd(10000))
			e.paid("r1", "u1", usd(9000))
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range 4 {
				wg.Go(func() {
					<-start
					_, err := e.svc.Refund(e.ctx, wallet.RefundOrder{RequestID: fmt.Sprintf("f%d", i), PaymentRequestID: "r1", Amount: usd(3000)})
					if c := wallet.ErrorCode(err); err != nil && c != wallet.CodeRefundAmountExceed && c != wallet.CodeOrderStatusInvalid {
						t.Errorf("Refund: got %v, want success, REFUND_AMOUNT_EXCEED or ORDER_STATUS_INVALID", err)
					}
				})
			}
			wg.Go(func() {
				<-start
				if _, _, err := e.svc.Cancel(e.ctx, "r1"); err != nil {
					t.Errorf("Cancel: %v", err)
				}
			})
			close(start)
			wg.Wait()
			if p := e.inquire("r1"); p.Status != wallet.StatusCancelled {
				t.Errorf("status: got %s, want CANCELLED", p.Status)
			}
			e.wantBalance("u1", 10000)
			e.checkLedger()
		})
	}
}

func TestRefundIsIdempotent(t *testing.T) {
	e := refundEnv(t)
	o := wallet.RefundOrder{RequestID: "f1", PaymentRequestID: "r1", Amount: jpy(1500)}
	first := e.refund(o)
	if first.Amount != usd(1000) {
		t.Fatalf("Refund: got credit %v, want 10.00 USD", first.Amount)
	}
	tests := []struct {
		name    string
		between func()
	}{
		{"at once", func() {}},
		{"an hour later", func() { e.advance(time.Hour) }},
		{"after another refund", func() {
			e.refund(wallet.RefundOrder{RequestID: "f2", PaymentRequestID: "r1", Amount: usd(2000)})
		}},
		{"after the payment is cancelled", func() { e.cancel("r1") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.between()
			before := e.snapshot()
			again := e.refund(o)
			if again != first {
				t.Errorf("repeat Refund: got %+v, want %+v", again, first)
			}
			e.wantUnchanged(before)
			e.checkLedger()
		})
	}
	if got := len(e.refunds("r1")); got != 2 {
		t.Errorf("refunds stored: got %d, want 2", got)
	}
}

func TestRefundErrors(t *testing.T) {
	tests := []struct {
		name  string
		prep  func(e *env)
		order wallet.RefundOrder
		want  wallet.Code
	}{
		{name: "unknown payment", order: wallet.RefundOrder{RequestID: "f9", PaymentRequestID: "nope", Amount: usd(100)},
			want: wallet.CodeOrderNotExist},
		{name: "payment cancelled before it arrived", prep: func(e *env) { e.cancel("early") },
			order: wallet.RefundOrder{RequestID: "f9", PaymentRequestID: "early", Amount: usd(100)}, want: wallet.CodeOrderNotExist},
		{name: "wrong payment id", order: wallet.RefundOrder{RequestID: "f9", PaymentRequestID: "r1", PaymentID: "W0", Amount: usd(100)},
			want: wallet.CodeOrderNotExist},
		{name: "failed payment", order: wallet.RefundOrder{RequestID: "f9", PaymentRequestID: "failed", Amount: usd(100)},
			want: wallet.CodeOrderStatusInvalid},
		{name: "held payment", order: wallet.RefundOrder{RequestID: "f9", PaymentRequestID: "held", Amount: usd(100)},
			want: wallet.CodeOrderStatusInvalid},
		{name: "cancelled payment", prep: func(e *env) { e.cancel("r1") },
			order: wallet.RefundOrder{RequestID: "f9", PaymentRequestID: "r1", Amount: usd(100)}, want: wallet.CodeOrderStatusInvalid},
		{name: "other currency", order: wallet.RefundOrder{RequestID: "f9", PaymentRequestID: "r1", Amount: eur(100)},
			want: wallet.CodeCurrencyNotSupport},
		{name: "merchant currency of a payment without one", order: wallet.RefundOrder{RequestID: "f9", PaymentRequestID: "plain", Amount: jpy(100)},
			want: wallet.CodeCurrencyNotSupport},
		{name: "more than paid", order: wallet.RefundOrder{RequestID: "f9", PaymentRequestID: "r1", Amount: usd(3001)},
			want: wallet.CodeRefundAmountExceed},
		{name: "more than left", prep: func(e *env) {
			e.refund(wallet.RefundOrder{RequestID: "f1", PaymentRequestID: "r1", Amount: usd(1000)})
		}, order: wallet.RefundOrder{RequestID: "f9", PaymentRequestID: "r1", Amount: usd(2001)}, want: wallet.CodeRefundAmountExceed},
		{name: "more than paid in the merchant currency", order: wallet.RefundOrder{RequestID: "f9", PaymentRequestID: "r1", Amount: jpy(4501)},
			want: wallet.CodeRefundAmountExceed},
		{name: "more than left in the merchant currency", prep: func(e *env) {
			e.refund(wallet.RefundOrder{RequestID: "f1", PaymentRequestID: "r1", Amount: jpy(1500)})
		}, order: wallet.RefundOrder{RequestID: "f9", PaymentRequestID: "r1", Amount: jpy(3003)}, want: wallet.CodeRefundAmountExceed},
		{name: "same id, other amount", prep: func(e *env) {
			e.refund(wallet.RefundOrder{RequestID: "f1", PaymentRequestID: "r1", Amount: usd(1000)})
		}, order: wallet.RefundOrder{RequestID: "f1", PaymentRequestID: "r1", Amount: usd(1001)}, want: wallet.CodeRepeatInconsistent},
		{name: "same id, other payment", prep: func(e *env) {
			e.refund(wallet.RefundOrder{RequestID: "f1", PaymentRequestID: "r1", Amount: usd(100)})
		}, order: wallet.RefundOrder{RequestID: "f1", PaymentRequestID: "plain", Amount: usd(100)}, want: wallet.CodeRepeatInconsistent},
		{name: "same id, other currency", prep: func(e *env) {
			e.refund(wallet.RefundOrder{RequestID: "f1", PaymentRequestID: "r1", Amount: usd(1500)})
		}, order: wallet.RefundOrder{RequestID: "f1", PaymentRequestID: "r1", Amount: jpy(1500)}, want: wallet.CodeRepeatInconsistent},
		{name: "no refund id", order: wallet.RefundOrder{PaymentRequestID: "r1", Amount: usd(100)}, want: wallet.CodeParamIllegal},
		{name: "no payment id", order: wallet.RefundOrder{RequestID: "f9", Amount: usd(100)}, want: wallet.CodeParamIllegal},
		{name: "zero amount", order: wallet.RefundOrder{RequestID: "f9", PaymentRequestID: "r1", Amount: usd(0)}, want: wallet.CodeParamIllegal},
		{name: "negative amount", order: wallet.RefundOrder{RequestID: "f9", PaymentRequestID: "r1", Amount: usd(-100)}, want: wallet.CodeParamIllegal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := refundEnv(t)
			e.addUser("asker", usd(10000), func(u *wallet.User) { u.Override = wallet.OverrideAsk })
			e.paid("plain", "u1", usd(100))
			e.pay(e.order("failed", "u1", usd(100000)))
			e.pay(e.order("held", "asker", usd(100)))
			if tc.prep != nil {
				tc.prep(e)
			}
			before := e.snapshot()
			r, err := e.svc.Refund(e.ctx, tc.order)
			wantCode(t, err, tc.want)
			if r != (wallet.Refund{}) {
				t.Errorf("Refund: got %+v with the error, want none", r)
			}
			e.wantUnchanged(before)
			e.checkLedger()
		})
	}
}

func TestRefundConcurrentNeverExceedsThePayment(t *testing.T) {
	e := newEnv(t)
	e.addUser("u1", usd(10000))
	e.paid("r1", "u1", usd(10000))

	const n = 10 // ten refunds of 20.00 for a 100.00 payment: five fit
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			_, errs[i] = e.svc.Refund(e.ctx, wallet.RefundOrder{RequestID: fmt.Sprintf("f%d", i), PaymentRequestID: "r1", Amount: usd(2000)})
		})
	}
	close(start)
	wg.Wait()

	ok := 0
	for i, err := range errs {
		if err == nil {
			ok++
			continue
		}
		if wallet.ErrorCode(err) != wallet.CodeRefundAmountExceed {
			t.Errorf("Refund %d: got %v, want success or REFUND_AMOUNT_EXCEED", i, err)
		}
	}
	if ok != 5 {
		t.Errorf("successful refunds: got %d, want 5", ok)
	}
	e.wantBalance("u1", 10000)
	e.checkLedger()
}
