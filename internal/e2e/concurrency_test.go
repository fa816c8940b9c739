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
	"github.com/mppwallet/mppwallet/internal/testkit"
	"github.com/mppwallet/mppwallet/wallet"
)

func orderStatus(n *network, code string) simulator.OrderStatus {
	for _, o := range n.sim.Orders() {
		if o.CodeValue == code {
			return o.Status
		}
	}
	return ""
}

func countSteps(p simulator.Payment, prefix string) int {
	c := 0
	for _, s := range p.Steps {
		if strings.HasPrefix(s.What, prefix) {
			c++
		}
	}
	return c
}

// The wallet's notifyPayment arrives thirty times at once (its retries
// crossing): Alipay+ acknowledges each, settles the payment and the order
// once.
func TestConcurrentNotifySettlesOnce(t *testing.T) {
	n := newNetwork(t, simulator.Timing{PaymentExpiry: 30 * time.Second})
	n.addUser("alice", "100.00", "USD", nil)
	o, err := n.sim.CreateOrder(context.Background(), simulator.OrderRequest{Amount: moneyOf(t, "4.20", "USD")})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	uip, err := n.client.UserInitiatedPay(ctx, &alipayplus.UserInitiatedPayRequest{CodeValue: o.CodeValue, CustomerID: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	payTo, _ := uip.PayToAmount.Money()
	p, err := n.svc.Pay(ctx, wallet.PayOrder{RequestID: uip.PaymentRequestID, CustomerID: "alice", Mode: wallet.ModeMPM,
		CodeValue: o.CodeValue, Amount: payTo, PaymentAmount: payTo})
	if err != nil {
		t.Fatal(err)
	}
	const k = 30
	errs := make([]error, k)
	testkit.Parallel(k, func(i int) { _, errs[i] = n.client.NotifyPayment(context.Background(), mpp.NotifyRequestFor(p)) })
	for i, err := range errs {
		if err != nil {
			t.Errorf("notify %d: %v, want S", i, err)
		}
	}
	sp, _ := n.sim.Payment(uip.PaymentRequestID)
	if sp.Status != simulator.StatusSuccess || sp.PaymentID != p.PaymentID {
		t.Errorf("network payment %s paymentId %s, want SUCCESS with %s", sp.Status, sp.PaymentID, p.PaymentID)
	}
	if c := countSteps(sp, "notifyPayment ←"); c != 1 {
		t.Errorf("the network recorded %d notifications, want 1 (the rest are repeats)", c)
	}
	if c := countSteps(sp, "final:"); c != 1 {
		t.Errorf("the payment was finished %d times, want 1", c)
	}
	if s := orderStatus(n, o.CodeValue); s != simulator.OrderPaid {
		t.Errorf("order %s, want PAID", s)
	}
}

// A wallet that contradicts itself (S and F for one payment, at once): the
// first to arrive wins, every S answer agrees with it, the others are
// REPEAT_REQ_INCONSISTENT, and the order follows the winner.
func TestConcurrentContradictoryNotifies(t *testing.T) {
	n := newNetwork(t, simulator.Timing{PaymentExpiry: 30 * time.Second})
	n.addUser("alice", "100.00", "USD", func(u *wallet.User) { u.Override = wallet.OverrideAsk })
	o, err := n.sim.CreateOrder(context.Background(), simulator.OrderRequest{Amount: moneyOf(t, "4.20", "USD")})
	if err != nil {
		t.Fatal(err)
	}
	uip, err := n.client.UserInitiatedPay(context.Background(), &alipayplus.UserInitiatedPayRequest{CodeValue: o.CodeValue, CustomerID: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	ok := &alipayplus.NotifyPaymentRequest{PaymentRequestID: uip.PaymentRequestID, PaymentID: "P1",
		PaymentResult: &alipayplus.Result{ResultStatus: "S", ResultCode: "SUCCESS"}, PayToAmount: uip.PayToAmount}
	declined := &alipayplus.NotifyPaymentRequest{PaymentRequestID: uip.PaymentRequestID,
		PaymentResult: &alipayplus.Result{ResultStatus: "F", ResultCode: "USER_BALANCE_NOT_ENOUGH"}}
	const k = 30
	codes := make([]string, k)
	testkit.Parallel(k, func(i int) {
		req := ok
		if i%2 == 1 {
			req = declined
		}
		_, err := n.client.NotifyPayment(context.Background(), req)
		codes[i] = apCode(err)
	})
	sp, _ := n.sim.Payment(uip.PaymentRequestID)
	winner := sp.Result.ResultStatus
	for i, code := range codes {
		sent := "S"
		if i%2 == 1 {
			sent = "F"
		}
		switch {
		case sent == winner && code != "SUCCESS":
			t.Errorf("notify %d (%s, like the final result) answered %s, want SUCCESS", i, sent, code)
		case sent != winner && code != "REPEAT_REQ_INCONSISTENT":
			t.Errorf("notify %d (%s, against the final %s) answered %s, want REPEAT_REQ_INCONSISTENT", i, sent, winner, code)
		}
	}
	wantOrder := simulator.OrderPaid
	if winner == "F" {
		wantOrder = simulator.OrderClosed
	}
	if s := orderStatus(n, o.CodeValue); s != wantOrder || countSteps(sp, "final:") != 1 {
		t.Errorf("order %s after a final %s (finished %d times), want %s once", s, winner, countSteps(sp, "final:"), wantOrder)
	}
}

// Twenty scans of one order code at once by one customer are one payment;
// by two customers, one of them gets it and the other is refused.
func TestConcurrentScansOfOneOrder(t *testing.T) {
	n := newNetwork(t, simulator.Timing{PaymentExpiry: 30 * time.Second})
	n.addUser("alice", "100.00", "USD", nil)
	n.addUser("bob", "100.00", "USD", nil)
	for _, two := range []bool{false, true} {
		o, err := n.sim.CreateOrder(context.Background(), simulator.OrderRequest{Amount: moneyOf(t, "3.00", "USD")})
		if err != nil {
			t.Fatal(err)
		}
		const k = 20
		ids := make([]string, k)
		codes := make([]string, k)
		who := func(i int) string {
			if two && i%2 == 1 {
				return "bob"
			}
			return "alice"
		}
		testkit.Parallel(k, func(i int) {
			uip, err := n.client.UserInitiatedPay(context.Background(), &alipayplus.UserInitiatedPayRequest{CodeValue: o.CodeValue, CustomerID: who(i)})
			codes[i], ids[i] = apCode(err), uip.PaymentRequestID
		})
		payer, id := "", ""
		for i := range k {
			if codes[i] != "SUCCESS" {
				continue
			}
			if payer != "" && (who(i) != payer || ids[i] != id) {
				t.Errorf("two customers=%v: scans answered S for %s (%s) and %s (%s)", two, payer, id, who(i), ids[i])
			}
			payer, id = who(i), ids[i]
		}
		for i := range k {
			if codes[i] != "SUCCESS" && (who(i) == payer || codes[i] != "REPEAT_REQ_INCONSISTENT") {
				t.Errorf("two customers=%v: scan %d by %s answered %s (the payer is %s)", two, i, who(i), codes[i], payer)
			}
		}
		payments := 0
		for _, p := range n.sim.Payments() {
			if p.CodeValue == o.CodeValue {
				payments++
			}
		}
		if payer == "" || payments != 1 {
			t.Errorf("two customers=%v: %d payments for the code (payer %q), want 1", two, payments, payer)
		}
	}
}

// Twenty cashiers charge one payment code at once: one charge goes through
// and debits the user, the others are INVALID_CODE and never reach the
// wallet.
func TestConcurrentChargesOfOneCode(t *testing.T) {
	n := newNetwork(t, fastTiming)
	n.addUser("alice", "100.00", "USD", nil)
	code := n.codes("alice", 1)[0].PaymentCode
	const k = 20
	errs := make([]error, k)
	statuses := make([]simulator.PaymentStatus, k)
	testkit.Parallel(k, func(i int) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		p, err := n.sim.Charge(ctx, simulator.ChargeRequest{Code: code, Amount: moneyOf(t, "2.00", "USD")})
		errs[i], statuses[i] = err, p.Status
	})
	paid := 0
	for i, err := range errs {
		var ce *simulator.CodeError
		switch {
		case err == nil && statuses[i] == simulator.StatusSuccess:
			paid++
		case errors.As(err, &ce) && ce.Code == "INVALID_CODE":
		default:
			t.Errorf("charge %d: %s, %v", i, statuses[i], err)
		}
	}
	if paid != 1 {
		t.Errorf("%d charges paid, want 1", paid)
	}
	if got := n.balance("alice"); got.Minor != 9800 {
		t.Errorf("balance %s, want 98.00 USD", got)
	}
}

// The merchant refunds and cancels one paid payment many times at once:
// every refund the network recorded as S is in the wallet, and with the
// cancel's credit the user gets back exactly what was paid.
func TestConcurrentMerchantRefundsAndCancels(t *testing.T) {
	n := newNetwork(t, fastTiming)
	n.addUser("alice", "100.00", "USD", nil)
	p := charge(t, n, n.codes("alice", 1)[0].PaymentCode, "10.00", "USD")
	if p.Status != simulator.StatusSuccess {
		t.Fatalf("charge: %s", p.Status)
	}
	const k = 24
	errs := make([]error, k)
	testkit.Parallel(k, func(i int) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if i%4 == 0 {
			_, errs[i] = n.sim.Cancel(ctx, p.RequestID)
			return
		}
		_, err := n.sim.Refund(ctx, p.RequestID, moneyOf(t, "1.50", "USD"))
		if err != nil && !strings.Contains(err.Error(), "ORDER_STATUS_INVALID") && !strings.Contains(err.Error(), "REFUND_AMOUNT_EXCEED") &&
			!strings.Contains(err.Error(), "only a successful payment") {
			errs[i] = err
		}
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("call %d: %v", i, err)
		}
	}
	sp, _ := n.sim.Payment(p.RequestID)
	if sp.Status != simulator.StatusCancelled {
		t.Errorf("network payment %s, want CANCELLED", sp.Status)
	}
	refunds, err := n.store.Refunds(context.Background(), p.RequestID)
	if err != nil {
		t.Fatal(err)
	}
	inWallet := map[string]bool{}
	for _, r := range refunds {
		inWallet[r.RequestID] = true
	}
	for _, r := range sp.Refunds {
		if (r.Status == "S") != inWallet[r.RefundRequestID] {
			t.Errorf("refund %s: the network says %s %s, in the wallet: %v", r.RefundRequestID, r.Status, r.ResultCode, inWallet[r.RefundRequestID])
		}
	}
	if got := n.balance("alice"); got.Minor != 10000 {
		t.Errorf("balance %s, want 100.00 USD: refunds and the cancel give back the whole payment", got)
	}
}

// The merchant cancels while the pay is still on its way to the wallet (a
// fault holds it back): the payment ends CANCELLED, the late pay is
// refused with ORDER_IS_CLOSED when it arrives, and the user keeps the
// money.
func TestCancelWhilePayIsInFlight(t *testing.T) {
	n := newNetwork(t, fastTiming)
	n.addUser("alice", "100.00", "USD", nil)
	rule, err := simulator.ParseRule("pay:delay=300ms,count=1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.sim.Faults().Add(rule); err != nil {
		t.Fatal(err)
	}
	code := n.codes("alice", 1)[0].PaymentCode
	charged := make(chan simulator.Payment, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		p, _ := n.sim.Charge(ctx, simulator.ChargeRequest{Code: code, Amount: moneyOf(t, "7.00", "USD")})
		charged <- p
	}()
	var id string
	deadline := time.Now().Add(5 * time.Second)
	for id == "" && time.Now().Before(deadline) {
		for _, p := range n.sim.Payments() {
			if p.CodeValue == code {
				id = p.RequestID
			}
		}
		time.Sleep(time.Millisecond)
	}
	if id == "" {
		t.Fatal("the charge never started")
	}
	cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := n.sim.Cancel(cctx, id); err != nil {
		t.Fatalf("cancel: %v", err)
	}
	p := <-charged
	if p.Status != simulator.StatusCancelled {
		t.Errorf("charge ended %s, want CANCELLED", p.Status)
	}
	// Wait until the held pay has reached the wallet and been answered.
	sp, _ := n.sim.Payment(id)
	for time.Now().Before(deadline) && countSteps(sp, "pay →") == 0 {
		time.Sleep(5 * time.Millisecond)
		sp, _ = n.sim.Payment(id)
	}
	if !strings.Contains(strings.Join(stepTexts(sp), "\n"), "pay → F ORDER_IS_CLOSED") {
		t.Errorf("the late pay was not refused with ORDER_IS_CLOSED: %v", stepTexts(sp))
	}
	if got := n.balance("alice"); got.Minor != 10000 {
		t.Errorf("balance %s, want 100.00 USD", got)
	}
	wp, err := n.svc.Inquire(context.Background(), id)
	if err != nil || wp.Status != wallet.StatusCancelled {
		t.Errorf("the wallet has %s (%v), want CANCELLED", wp.Status, err)
	}
}

func stepTexts(p simulator.Payment) []string {
	var out []string
	for _, s := range p.Steps {
		out = append(out, s.What)
	}
	return out
}
