package mpm_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/coderules"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

// TestPayAnOrderCode: order code → identify (the network's rules) →
// userInitiatedPay → confirm → debit → notifyPayment; the simulator's
// order is paid and the ledger agrees. Scanning again is the same payment.
func TestPayAnOrderCode(t *testing.T) {
	w := newWorld(t, simulator.Timing{})
	w.addUser("alice", "100.00", "USD", nil)
	code := w.order("13.50", "SGD").CodeValue
	// With only the embedded sandbox set the simulator's order codes are not
	// Alipay+'s; the network's rules know them.
	if s := w.payer.Identify(code); s.Decision.Supported || !strings.HasPrefix(s.Rules, "embedded sandbox set") {
		t.Fatalf("before the rules are fetched: %+v from %s", s.Decision, s.Rules)
	}
	if _, err := w.payer.Rules.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s := w.payer.Identify(code); s.Rules != "network "+simulator.RulesVersion || s.Decision.Priority != 9000 {
		t.Fatalf("identify: %+v from %s", s.Decision, s.Rules)
	}

	o := w.open("alice", code)
	// The confirmation: merchant, store, amount, FX.
	if o.Merchant.Name != "Kopi Corner" || o.Merchant.StoreName != "Tiong Bahru" || o.PaymentAmount.String() != "13.50 SGD" ||
		o.Amount.String() != "10.00 USD" || !o.Converted() || o.Quote.CurrencyPair != "SGD/USD" || o.Quote.Price == "" ||
		o.OrderDescription != "Kopi x3" || o.ExpiresAt.IsZero() || o.Previous != nil {
		t.Errorf("order to confirm: %+v", o)
	}
	if w.balance("alice") != "100.00 USD" || w.payments("alice") != 0 {
		t.Errorf("opening an order moved money: %s", w.balance("alice"))
	}
	r := w.finish(o, true)
	if r.Payment.Status != wallet.StatusSucceeded || !r.Notified || r.Repeat || r.NotifyErr != nil {
		t.Fatalf("finish: %+v", r)
	}
	if w.balance("alice") != "90.00 USD" {
		t.Errorf("balance %s, want 90.00 USD", w.balance("alice"))
	}
	np := w.network(o.RequestID)
	if np.Status != simulator.StatusSuccess || np.PaymentID != r.Payment.PaymentID || np.PayToAmount.String() != "10.00 USD" {
		t.Errorf("the network's payment: %+v\n%s", np, steps(np))
	}
	if st := w.orderStatus(code); st != simulator.OrderPaid {
		t.Errorf("the merchant's order is %s, want PAID", st)
	}

	// Scanned again within its validity: the same payment, no second debit,
	// even if the user says no this time.
	again := w.open("alice", code)
	if again.RequestID != o.RequestID || again.Previous == nil || again.Previous.Status != wallet.StatusSucceeded {
		t.Fatalf("rescan: %+v", again)
	}
	for _, approve := range []bool{true, false} {
		r2 := w.finish(again, approve)
		if !r2.Repeat || r2.Payment.PaymentID != r.Payment.PaymentID || r2.Payment.Status != wallet.StatusSucceeded || !r2.Notified {
			t.Errorf("rescan finish(%v): %+v", approve, r2)
		}
	}
	if w.balance("alice") != "90.00 USD" || w.payments("alice") != 1 {
		t.Errorf("after the rescans: balance %s, %d payments", w.balance("alice"), w.payments("alice"))
	}
	// By someone else: the acquirer's reason.
	w.addUser("bob", "100.00", "USD", nil)
	if _, err := w.payer.Open(context.Background(), "bob", code); apCode(err) != "F REPEAT_REQ_INCONSISTENT" {
		t.Errorf("bob scanning alice's order: %v", err)
	}
}

func apCode(err error) string {
	var e *alipayplus.Error
	if errors.As(err, &e) {
		return e.Status + " " + e.Code
	}
	if err != nil {
		return err.Error()
	}
	return "no error"
}

// TestDeclineNotifiesF: the user says no: F to Alipay+, no debit, the
// merchant's order closed.
func TestDeclineNotifiesF(t *testing.T) {
	w := newWorld(t, simulator.Timing{})
	w.addUser("alice", "100.00", "USD", nil)
	w.payer.Rules.Refresh(context.Background())
	code := w.order("4.00", "USD").CodeValue
	o := w.open("alice", code)
	r := w.finish(o, false)
	if r.Payment.Status != wallet.StatusFailed || r.Payment.ResultCode != wallet.CodeVerificationFailed || !r.Notified {
		t.Fatalf("decline: %+v", r)
	}
	if w.balance("alice") != "100.00 USD" {
		t.Errorf("balance %s after a decline", w.balance("alice"))
	}
	np := w.network(o.RequestID)
	if np.Status != simulator.StatusFail || np.Result.ResultCode != string(wallet.CodeVerificationFailed) {
		t.Errorf("the network's payment: %s %s\n%s", np.Status, np.Result.ResultCode, steps(np))
	}
	if st := w.orderStatus(code); st != simulator.OrderClosed {
		t.Errorf("the merchant's order is %s, want CLOSED", st)
	}
}

// TestDebitFailuresNotifyTheReason: when the wallet's checks decline, Alipay+
// is told F with the reason, and no money moves.
func TestDebitFailuresNotifyTheReason(t *testing.T) {
	cases := []struct {
		name   string
		amount string
		edit   func(*wallet.User)
		want   wallet.Code
	}{
		{"balance", "150.00", nil, wallet.CodeBalanceNotEnough},
		{"per-payment limit", "20.00", func(u *wallet.User) { u.Limits.PerPayment = 1000 }, wallet.CodeAmountExceedLimit},
		{"daily amount", "10.00", func(u *wallet.User) { u.Limits.DailyAmount = 500 }, wallet.CodeUserAmountExceedLimit},
		{"KYC", "1.00", func(u *wallet.User) { u.KYCVerified = false }, wallet.CodeKYCNotQualified},
		{"frozen", "1.00", func(u *wallet.User) { u.Status = wallet.UserFrozen }, wallet.CodeUserStatusAbnormal},
		{"override", "1.00", func(u *wallet.User) { u.Override = wallet.Override(wallet.CodeRiskReject) }, wallet.CodeRiskReject},
		{"ask override pays at once", "1.00", func(u *wallet.User) { u.Override = wallet.OverrideAsk }, wallet.CodeSuccess},
	}
	w := newWorld(t, simulator.Timing{})
	w.payer.Rules.Refresh(context.Background())
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id := "u" + string(rune('a'+i))
			w.addUser(id, "100.00", "USD", c.edit)
			o := w.open(id, w.order(c.amount, "USD").CodeValue)
			r := w.finish(o, true)
			if r.Payment.ResultCode != c.want || !r.Notified {
				t.Fatalf("finish: %s %s notified %v %v", r.Payment.Status, r.Payment.ResultCode, r.Notified, r.NotifyErr)
			}
			np := w.network(o.RequestID)
			if np.Result.ResultCode != string(c.want) {
				t.Errorf("Alipay+ was told %s %s, want %s", np.Result.ResultStatus, np.Result.ResultCode, c.want)
			}
			want := "100.00 USD"
			if c.want == wallet.CodeSuccess {
				want = "99.00 USD"
			}
			if got := w.balance(id); got != want {
				t.Errorf("balance %s, want %s", got, want)
			}
		})
	}
}

// TestRefusedCodes: expired or closed orders show the acquirer's reason
// and nothing is recorded.
func TestRefusedCodes(t *testing.T) {
	w := newWorld(t, simulator.Timing{})
	w.addUser("alice", "100.00", "USD", nil)
	w.payer.Rules.Refresh(context.Background())
	expired := w.order("2.00", "USD").CodeValue
	w.clock.Add(11 * time.Minute) // orders are valid 10 minutes
	cases := []struct{ name, code, want string }{
		{"expired order", expired, "F EXPIRED_CODE"},
		{"closed order (magic 82)", w.order("2.82", "USD").CodeValue, "F ORDER_IS_CLOSED"},
		{"expired order (magic 81)", w.order("2.81", "USD").CodeValue, "F EXPIRED_CODE"},
		{"unknown order", simulator.DefaultOrderDomain + "/2819990400010000000000000000", "F INVALID_CODE"},
		{"acquirer never answers (magic 86)", w.order("2.86", "USD").CodeValue, "U UNKNOWN_EXCEPTION"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := w.payer.Open(context.Background(), "alice", c.code)
			if got := apCode(err); got != c.want {
				t.Errorf("open: %s (%v), want %s", got, err, c.want)
			}
		})
	}
	if w.payments("alice") != 0 || w.balance("alice") != "100.00 USD" {
		t.Errorf("refused codes left %d payments, balance %s", w.payments("alice"), w.balance("alice"))
	}
}

// TestNotifyRetriedUntilAcknowledged: magic 87 answers the first
// notifyPayment U, magic 88 loses its answer; the result is resent and
// acknowledged once, with one debit.
func TestNotifyRetriedUntilAcknowledged(t *testing.T) {
	w := newWorld(t, simulator.Timing{})
	w.addUser("alice", "100.00", "USD", nil)
	w.payer.Rules.Refresh(context.Background())
	for _, amount := range []string{"1.87", "1.88"} {
		t.Run(amount, func(t *testing.T) {
			before := w.balance("alice")
			o := w.open("alice", w.order(amount, "USD").CodeValue)
			r := w.finish(o, true)
			if !r.Notified || r.Payment.Status != wallet.StatusSucceeded {
				t.Fatalf("finish: %+v", r)
			}
			np := w.network(o.RequestID)
			if np.Status != simulator.StatusSuccess {
				t.Errorf("the network's payment %s\n%s", np.Status, steps(np))
			}
			if n := w.notifies(o.RequestID); n != 2 {
				t.Errorf("%d notifyPayment exchanges, want 2 (the faulted one and the retry)", n)
			}
			b, _ := money.Parse(strings.TrimSuffix(before, " USD"), "USD")
			if want := (money.Money{Currency: "USD", Minor: b.Minor - o.Amount.Minor}).String(); w.balance("alice") != want {
				t.Errorf("balance %s, want %s (one debit)", w.balance("alice"), want)
			}
		})
	}
}

// TestNotifyNeverAcknowledged: when Alipay+ keeps answering U the payer
// gives up after NotifyFor and says so; the payment stays paid, Alipay+
// learns it by inquiryPayment at the expiry, and scanning again resends
// the result.
func TestNotifyNeverAcknowledged(t *testing.T) {
	w := newWorld(t, simulator.Timing{PaymentExpiry: 2 * time.Second, InquiryFirst: 20 * time.Millisecond, InquiryMax: 50 * time.Millisecond})
	w.addUser("alice", "100.00", "USD", nil)
	w.payer.Rules.Refresh(context.Background())
	w.payer.NotifyFor = 300 * time.Millisecond
	rule, err := simulator.ParseRule("notifyPayment:result=U/UNKNOWN_EXCEPTION")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.sim.Faults().Add(rule); err != nil {
		t.Fatal(err)
	}
	code := w.order("5.00", "USD").CodeValue
	o := w.open("alice", code)
	r := w.finish(o, true)
	if r.Notified || r.NotifyErr == nil || !strings.Contains(r.NotifyErr.Error(), "not acknowledged") || r.Payment.Status != wallet.StatusSucceeded {
		t.Fatalf("finish: %+v", r)
	}
	if w.notifies(o.RequestID) < 2 {
		t.Errorf("notifyPayment was sent %d times, want it resent", w.notifies(o.RequestID))
	}
	// Alipay+ inquires at the expiry and learns the truth.
	if np := w.network(o.RequestID); np.Status != simulator.StatusSuccess || np.PaymentID != r.Payment.PaymentID {
		t.Errorf("the network's payment: %s\n%s", np.Status, steps(np))
	}
	w.sim.Faults().Clear()
	again := w.open("alice", code)
	if r2 := w.finish(again, true); !r2.Notified || !r2.Repeat {
		t.Errorf("the rescan did not resend the result: %+v", r2)
	}
	if w.balance("alice") != "95.00 USD" {
		t.Errorf("balance %s, want 95.00 USD", w.balance("alice"))
	}
}

// TestConfirmingTooLate: the user confirms after Alipay+ closed the order
// at its expiry; the wallet refuses with ORDER_IS_CLOSED and moves no money.
func TestConfirmingTooLate(t *testing.T) {
	w := newWorld(t, simulator.Timing{PaymentExpiry: 300 * time.Millisecond, InquiryFirst: 20 * time.Millisecond, InquiryMax: 50 * time.Millisecond})
	w.addUser("alice", "100.00", "USD", nil)
	w.payer.Rules.Refresh(context.Background())
	o := w.open("alice", w.order("3.00", "USD").CodeValue)
	if np := w.network(o.RequestID); np.Status != simulator.StatusCancelled {
		t.Fatalf("the network's payment: %s\n%s", np.Status, steps(np))
	}
	r := w.finish(o, true)
	if r.Payment.Status != wallet.StatusFailed || r.Payment.ResultCode != wallet.CodeOrderClosed || r.Reason == "" {
		t.Errorf("finish: %+v", r)
	}
	if w.balance("alice") != "100.00 USD" {
		t.Errorf("balance %s", w.balance("alice"))
	}
}

// TestAlipayPlusFollowUpsOnAnMPMPayment: inquiryPayment, refund and
// cancelPayment from Alipay+ work on a payment made by scanning.
func TestAlipayPlusFollowUpsOnAnMPMPayment(t *testing.T) {
	w := newWorld(t, simulator.Timing{})
	w.addUser("alice", "100.00", "USD", nil)
	w.payer.Rules.Refresh(context.Background())
	o := w.open("alice", w.order("10.00", "USD").CodeValue)
	r := w.finish(o, true)
	if r.Payment.Status != wallet.StatusSucceeded {
		t.Fatalf("finish: %+v", r)
	}
	ctx := context.Background()
	inq, err := w.alipay.InquiryPayment(ctx, &alipayplus.InquiryPaymentRequest{AcquirerID: o.AcquirerID, PSPID: o.PSPID, PaymentRequestID: o.RequestID})
	if err != nil || inq.PaymentResult == nil || inq.PaymentResult.ResultStatus != "S" || inq.PaymentID != r.Payment.PaymentID ||
		inq.PayToAmount.String() != "10.00 USD" {
		t.Fatalf("inquiryPayment: %+v %v", inq, err)
	}
	// The merchant refunds 2.50 through Alipay+.
	if _, err := w.sim.Refund(ctx, o.RequestID, w.moneyOf("2.50", "USD")); err != nil {
		t.Fatalf("refund: %v", err)
	}
	if w.balance("alice") != "92.50 USD" {
		t.Errorf("after the refund: %s, want 92.50 USD", w.balance("alice"))
	}
	// Alipay+ cancels: the rest comes back.
	if _, err := w.alipay.CancelPayment(ctx, &alipayplus.CancelPaymentRequest{AcquirerID: o.AcquirerID, PSPID: o.PSPID, PaymentRequestID: o.RequestID}); err != nil {
		t.Fatalf("cancelPayment: %v", err)
	}
	if w.balance("alice") != "100.00 USD" {
		t.Errorf("after the cancel: %s, want 100.00 USD", w.balance("alice"))
	}
	inq, err = w.alipay.InquiryPayment(ctx, &alipayplus.InquiryPaymentRequest{AcquirerID: o.AcquirerID, PSPID: o.PSPID, PaymentRequestID: o.RequestID})
	if err != nil || inq.PaymentResult.ResultCode != "ORDER_IS_CLOSED" {
		t.Errorf("inquiry after the cancel: %+v %v", inq.PaymentResult, err)
	}
}

// TestIdentifyOutcomes: what the rules say before any network call.
func TestIdentifyOutcomes(t *testing.T) {
	w := newWorld(t, simulator.Timing{})
	for _, c := range []struct {
		code      string
		supported bool
		action    coderules.Action
		url       string
	}{
		{"hello", false, "", ""},
		{"https://aps.testacquirer.com/order/1", true, coderules.Decode, ""},
		{"https://render.alipay.com/p/w/ac-fe-adaptor/x", true, coderules.OpenURL, "https://render.alipay.com/p/w/ac-fe-adaptor/x"},
	} {
		s := w.payer.Identify(c.code)
		d := s.Decision
		if d.Supported != c.supported || d.Action != c.action || d.URL != c.url || s.RulesVersion != "c_16_ignet_25" {
			t.Errorf("Identify(%q) = %+v (rules %s %s)", c.code, d, s.Rules, s.RulesVersion)
		}
		if !c.supported && d.Reason == "" {
			t.Errorf("Identify(%q): no reason given", c.code)
		}
	}
	if n := len(w.sim.Transcript().Entries()); n != 0 {
		t.Errorf("identifying made %d exchanges", n)
	}
}
