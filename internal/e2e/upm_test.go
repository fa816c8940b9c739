package e2e_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/mpp"
	"github.com/mppwallet/mppwallet/wallet"
)

func TestCodesValidityAndOverlap(t *testing.T) {
	n := newNetwork(t, fastTiming)
	before := n.clock.Now()
	codes := n.codes("alice", 3)
	if len(codes) != 3 {
		t.Fatalf("got %d codes, want 3", len(codes))
	}
	var prevStart time.Time
	for i, c := range codes {
		if len(c.PaymentCode) != 24 || !strings.HasPrefix(c.PaymentCode, simulator.CodeIssuer+"02") {
			t.Errorf("code %q: want 24 digits starting %s02", c.PaymentCode, simulator.CodeIssuer)
		}
		start, err1 := alipayplus.ParseTime(c.CodeValidityStartTime)
		end, err2 := alipayplus.ParseTime(c.CodeExpiryTime)
		if err1 != nil || err2 != nil {
			t.Fatalf("times %q %q: %v %v", c.CodeValidityStartTime, c.CodeExpiryTime, err1, err2)
		}
		if end.Sub(start) != time.Minute {
			t.Errorf("code %d valid %s, want 1m", i, end.Sub(start))
		}
		if i == 0 && start.Before(before.Truncate(time.Second)) {
			t.Errorf("first code starts %s, before the request at %s", start, before)
		}
		if i > 0 && start.Sub(prevStart) != 30*time.Second {
			t.Errorf("code %d starts %s after the previous one, want 30s (a 30 s overlap)", i, start.Sub(prevStart))
		}
		prevStart = start
	}
}

func TestChargeDebitsOnceAndBothSidesAgree(t *testing.T) {
	n := newNetwork(t, fastTiming)
	n.addUser("alice", "100.00", "USD", nil)
	code := n.codes("alice", 1)[0].PaymentCode
	p := charge(t, n, code, "12.34", "USD")
	if p.Status != simulator.StatusSuccess || p.PaymentID == "" {
		t.Fatalf("payment %+v, want SUCCESS with the wallet's paymentId", p)
	}
	if got := n.balance("alice"); got.Minor != 8766 {
		t.Errorf("balance %s, want 87.66 USD", got)
	}
	wp, err := n.svc.Inquire(context.Background(), p.RequestID)
	if err != nil || wp.PaymentID != p.PaymentID || wp.Status != wallet.StatusSucceeded || wp.Merchant.Name != "UGG" {
		t.Errorf("the wallet's record %+v (%v) does not match the network's %+v", wp, err, p)
	}
	// The same code again: used, refused before the wallet is called.
	_, err = n.sim.Charge(context.Background(), simulator.ChargeRequest{Code: code, Amount: moneyOf(t, "1.00", "USD")})
	var ce *simulator.CodeError
	if !errors.As(err, &ce) || ce.Code != "INVALID_CODE" || !strings.Contains(ce.Message, "already used") {
		t.Errorf("reused code: got %v, want INVALID_CODE already used", err)
	}
	if got := n.balance("alice"); got.Minor != 8766 {
		t.Errorf("balance after refused reuse %s, want 87.66 USD", got)
	}
}

func TestRefusedCodesNeverReachTheWallet(t *testing.T) {
	n := newNetwork(t, fastTiming)
	n.addUser("alice", "100.00", "USD", nil)
	codes := n.codes("alice", 3)
	cases := []struct {
		name    string
		code    string
		advance time.Duration
		want    string
	}{
		{"unknown", "259999020000000000000000", 0, "INVALID_CODE"},
		{"not yet valid", codes[2].PaymentCode, 0, "INVALID_CODE"},
		{"expired", codes[0].PaymentCode, 61 * time.Second, "EXPIRED_CODE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n.clock.Add(c.advance)
			_, err := n.sim.Charge(context.Background(), simulator.ChargeRequest{Code: c.code, Amount: moneyOf(t, "1.00", "USD")})
			var ce *simulator.CodeError
			if !errors.As(err, &ce) || ce.Code != c.want {
				t.Errorf("got %v, want %s", err, c.want)
			}
		})
	}
	for _, e := range n.sim.Transcript().Entries() {
		if e.API == simulator.APIPay {
			t.Errorf("the wallet was called: %+v", e)
		}
	}
	if got := n.balance("alice"); got.Minor != 10000 {
		t.Errorf("balance %s, want 100.00 USD", got)
	}
}

func TestChargeWithFX(t *testing.T) {
	n := newNetwork(t, fastTiming)
	n.addUser("alice", "100.00", "USD", nil)
	p := charge(t, n, n.codes("alice", 1)[0].PaymentCode, "1500", "JPY")
	if p.Status != simulator.StatusSuccess {
		t.Fatalf("payment %+v", p)
	}
	// 1500 JPY at 150 JPY/USD = 10.00 USD.
	if p.PayToAmount.String() != "10.00 USD" || p.Quote == nil || p.Quote.QuoteCurrencyPair != "JPY/USD" {
		t.Errorf("payTo %s quote %+v, want 10.00 USD with a JPY/USD quote", p.PayToAmount, p.Quote)
	}
	if got := n.balance("alice"); got.Minor != 9000 {
		t.Errorf("balance %s, want 90.00 USD", got)
	}
	wp, _ := n.svc.Inquire(context.Background(), p.RequestID)
	if wp.PaymentAmount.String() != "1500 JPY" || wp.Quote.CurrencyPair != "JPY/USD" {
		t.Errorf("the wallet got paymentAmount %s quote %+v", wp.PaymentAmount, wp.Quote)
	}
}

func TestHeldPaymentSettledByNotify(t *testing.T) {
	n := newNetwork(t, simulator.Timing{PaymentExpiry: 5 * time.Second, InquiryFirst: 20 * time.Millisecond, InquiryMax: 50 * time.Millisecond})
	n.addUser("alice", "100.00", "USD", func(u *wallet.User) { u.Override = wallet.OverrideAsk })
	code := n.codes("alice", 1)[0].PaymentCode
	events, stop := n.svc.Subscribe(8)
	defer stop()
	done := make(chan simulator.Payment, 1)
	go func() { done <- charge(t, n, code, "5.00", "USD") }()
	// The wallet holds the payment; the user approves it in the app.
	var held wallet.Payment
	for e := range events {
		if e.Kind == wallet.EventReceived {
			held = e.Payment
			break
		}
	}
	conf := &mpp.Confirmer{Wallet: n.svc, Client: n.client}
	if _, err := conf.Confirm(context.Background(), held.RequestID, true); err != nil {
		t.Fatalf("confirm: %v", err)
	}
	p := <-done
	if p.Status != simulator.StatusSuccess || p.PaymentID != held.PaymentID {
		t.Errorf("payment %+v, want SUCCESS with paymentId %s", p, held.PaymentID)
	}
	// Confirm has returned, so the notification is recorded (an inquiry may
	// have found the result first). The pay's own answer may still be on
	// its way back: the notification can overtake it.
	var steps string
	for deadline := time.Now().Add(5 * time.Second); ; {
		sp, _ := n.sim.Payment(p.RequestID)
		steps = stepText(sp)
		if strings.Contains(steps, "pay → U PAYMENT_IN_PROCESS") || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !strings.Contains(steps, "pay → U PAYMENT_IN_PROCESS") || !strings.Contains(steps, "notifyPayment ← S SUCCESS") {
		t.Errorf("steps:\n%s\nwant pay U and a notifyPayment", steps)
	}
	if got := n.balance("alice"); got.Minor != 9500 {
		t.Errorf("balance %s, want 95.00", got)
	}
}

func TestHeldPaymentSettledByInquiry(t *testing.T) {
	n := newNetwork(t, simulator.Timing{PaymentExpiry: 5 * time.Second, InquiryFirst: 20 * time.Millisecond, InquiryMax: 50 * time.Millisecond})
	n.addUser("alice", "100.00", "USD", func(u *wallet.User) { u.Override = wallet.OverrideAsk })
	code := n.codes("alice", 1)[0].PaymentCode
	events, stop := n.svc.Subscribe(8)
	defer stop()
	done := make(chan simulator.Payment, 1)
	go func() { done <- charge(t, n, code, "5.00", "USD") }()
	for e := range events {
		if e.Kind == wallet.EventReceived {
			// Decided in the wallet, but never notified: the inquiry finds it.
			if _, err := n.svc.Decide(context.Background(), e.Payment.RequestID, false, wallet.CodeRiskReject); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	p := <-done
	if p.Status != simulator.StatusFail || p.Result.ResultCode != "RISK_REJECT" {
		t.Errorf("payment %+v, want FAIL RISK_REJECT found by inquiry", p)
	}
	if !strings.Contains(stepText(p), "inquiryPayment → paymentResult F RISK_REJECT") {
		t.Errorf("steps:\n%s", stepText(p))
	}
}

func TestNoAnswerUntilExpiryThenCancelRefunds(t *testing.T) {
	n := newNetwork(t, fastTiming)
	n.addUser("alice", "100.00", "USD", nil)
	// Magic amount ending in 64: the pay answer and every inquiry answer
	// are lost, so Alipay+ cancels at the expiry.
	p := charge(t, n, n.codes("alice", 1)[0].PaymentCode, "1.64", "USD")
	if p.Status != simulator.StatusCancelled {
		t.Fatalf("payment %+v\nsteps:\n%s\nwant CANCELLED", p, stepText(p))
	}
	if got := n.balance("alice"); got.Minor != 10000 {
		t.Errorf("balance %s after cancel, want 100.00 (the debit returned)", got)
	}
	wp, err := n.svc.Inquire(context.Background(), p.RequestID)
	if err != nil || wp.Status != wallet.StatusCancelled {
		t.Errorf("wallet payment %+v, %v; want CANCELLED", wp, err)
	}
}

func TestMagicAmountsUPM(t *testing.T) {
	cases := []struct {
		amount     string
		wantStatus simulator.PaymentStatus
		wantCode   string
		wantPays   int // pay requests the wallet received
		balance    int64
	}{
		{"1.51", simulator.StatusFail, "RISK_REJECT", 0, 10000},
		{"1.52", simulator.StatusFail, "PAYMENT_AMOUNT_EXCEED_LIMIT", 0, 10000},
		{"1.61", simulator.StatusSuccess, "SUCCESS", 2, 9839},
		{"1.62", simulator.StatusSuccess, "SUCCESS", 1, 9838},
		{"1.63", simulator.StatusFail, "INVALID_SIGNATURE", 1, 10000},
		{"1.00", simulator.StatusSuccess, "SUCCESS", 1, 9900},
	}
	for _, c := range cases {
		t.Run(c.amount, func(t *testing.T) {
			n := newNetwork(t, fastTiming)
			n.addUser("alice", "100.00", "USD", nil)
			p := charge(t, n, n.codes("alice", 1)[0].PaymentCode, c.amount, "USD")
			if p.Status != c.wantStatus || p.Result.ResultCode != c.wantCode {
				t.Errorf("payment %s %s, want %s %s\nsteps:\n%s", p.Status, p.Result.ResultCode, c.wantStatus, c.wantCode, stepText(p))
			}
			pays := 0
			for _, e := range n.sim.Transcript().Entries() {
				if e.API == simulator.APIPay {
					pays++
				}
			}
			if pays != c.wantPays {
				t.Errorf("%d pay requests, want %d", pays, c.wantPays)
			}
			if got := n.balance("alice"); got.Minor != c.balance {
				t.Errorf("balance %s, want %d cents", got, c.balance)
			}
		})
	}
}

func stepText(p simulator.Payment) string {
	var b strings.Builder
	for _, s := range p.Steps {
		b.WriteString(s.What + "\n")
	}
	return b.String()
}

func TestChargeTooSmallToConvertIsRefusedAndKeepsTheCode(t *testing.T) {
	n := newNetwork(t, fastTiming)
	n.addUser("alice", "100.00", "USD", nil)
	code := n.codes("alice", 1)[0].PaymentCode
	_, err := n.sim.Charge(context.Background(), simulator.ChargeRequest{Code: code, Amount: moneyOf(t, "0", "KRW")})
	if err == nil {
		t.Fatal("a zero charge was accepted")
	}
	_, err = n.sim.Charge(context.Background(), simulator.ChargeRequest{Code: code, Amount: moneyOf(t, "1", "KRW")})
	if err == nil || !strings.Contains(err.Error(), "converts to 0.00 USD") {
		t.Fatalf("1 KRW to a USD wallet: got %v, want a refusal", err)
	}
	if p := charge(t, n, code, "1350", "KRW"); p.Status != simulator.StatusSuccess || p.PayToAmount.String() != "1.00 USD" {
		t.Errorf("the code should still work: %+v", p)
	}
}
