package e2e_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/mpp"
	"github.com/mppwallet/mppwallet/wallet"
)

// mpmPay does what the wallet does with a scanned order code: decode it
// with userInitiatedPay, debit the user, and notify the result.
func mpmPay(t *testing.T, n *network, code, customer string) (*alipayplus.UserInitiatedPayResponse, wallet.Payment) {
	t.Helper()
	ctx := context.Background()
	uip, err := n.client.UserInitiatedPay(ctx, &alipayplus.UserInitiatedPayRequest{CodeValue: code, CustomerID: customer})
	if err != nil {
		t.Fatalf("userInitiatedPay: %v", err)
	}
	payTo, _ := uip.PayToAmount.Money()
	amount, _ := uip.PaymentAmount.Money()
	p, err := n.svc.Pay(ctx, wallet.PayOrder{RequestID: uip.PaymentRequestID, CustomerID: customer, Mode: wallet.ModeMPM,
		CodeValue: code, Amount: payTo, PaymentAmount: amount})
	if err != nil {
		t.Fatalf("wallet pay: %v", err)
	}
	if _, err := n.client.NotifyPayment(ctx, mpp.NotifyRequestFor(p)); err != nil {
		t.Fatalf("notifyPayment: %v", err)
	}
	return uip, p
}

func TestMPMOrderCodeFlow(t *testing.T) {
	n := newNetwork(t, simulator.Timing{PaymentExpiry: 5 * time.Second})
	n.addUser("alice", "100.00", "USD", nil)
	o, err := n.sim.CreateOrder(context.Background(), simulator.OrderRequest{Amount: moneyOf(t, "13.50", "SGD"), Description: "Kopi x3",
		Merchant: simulator.Merchant{Name: "Kopi Corner", Region: "SG"}})
	if err != nil {
		t.Fatal(err)
	}
	uip, p := mpmPay(t, n, o.CodeValue, "alice")
	if uip.CodeType != "ORDER_CODE" || uip.PaymentAmount.String() != "13.50 SGD" || uip.Order.Merchant.MerchantName != "Kopi Corner" ||
		uip.PaymentFactor.InStorePaymentScenario != "OrderCode" || uip.PaymentQuote == nil || uip.PaymentQuote.QuoteCurrencyPair != "SGD/USD" {
		t.Errorf("userInitiatedPay answer %+v", uip)
	}
	// 13.50 SGD at 1.35 SGD/USD = 10.00 USD.
	if uip.PayToAmount.String() != "10.00 USD" || p.Status != wallet.StatusSucceeded {
		t.Errorf("payTo %s, wallet %s", uip.PayToAmount, p.Status)
	}
	exp, _ := alipayplus.ParseTime(uip.PaymentExpiryTime)
	if d := exp.Sub(n.clock.Now()); d > 6*time.Second || d <= 0 {
		t.Errorf("paymentExpiryTime %s is %s away; want within the configured expiry", uip.PaymentExpiryTime, d)
	}
	sp, ok := n.sim.Payment(uip.PaymentRequestID)
	if !ok || sp.Status != simulator.StatusSuccess || sp.PaymentID != p.PaymentID {
		t.Errorf("network payment %+v, want SUCCESS with the wallet's paymentId", sp)
	}
	var order simulator.Order
	for _, x := range n.sim.Orders() {
		if x.CodeValue == o.CodeValue {
			order = x
		}
	}
	if order.Status != simulator.OrderPaid {
		t.Errorf("order status %s, want PAID", order.Status)
	}
	// Scanning the paid order again: the same payment (idempotent by code).
	again, err := n.client.UserInitiatedPay(context.Background(), &alipayplus.UserInitiatedPayRequest{CodeValue: o.CodeValue, CustomerID: "alice"})
	if err != nil || again.PaymentRequestID != uip.PaymentRequestID {
		t.Errorf("rescan: got %+v, %v; want the same paymentRequestId", again, err)
	}
	// By someone else: inconsistent.
	_, err = n.client.UserInitiatedPay(context.Background(), &alipayplus.UserInitiatedPayRequest{CodeValue: o.CodeValue, CustomerID: "bob"})
	if code := apCode(err); code != "REPEAT_REQ_INCONSISTENT" {
		t.Errorf("scan by another customer: got %v, want REPEAT_REQ_INCONSISTENT", err)
	}
	// A repeated notification that disagrees is refused.
	bad := mpp.NotifyRequestFor(p)
	bad.PayToAmount = &alipayplus.Amount{Currency: "USD", Value: "1"}
	if _, err := n.client.NotifyPayment(context.Background(), bad); apCode(err) != "REPEAT_REQ_INCONSISTENT" {
		t.Errorf("inconsistent notify: got %v", err)
	}
}

func apCode(err error) string {
	var e *alipayplus.Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err != nil {
		return err.Error()
	}
	return "SUCCESS"
}

func TestMPMRefusals(t *testing.T) {
	cases := []struct {
		name   string
		amount string
		edit   func(n *network, code string) string
		want   string
	}{
		{"unknown order code", "1.00", func(_ *network, code string) string { return code[:len(code)-1] + "x" }, "INVALID_CODE"},
		{"not this network's code", "1.00", func(_ *network, _ string) string { return "https://aps.testacquirer.com/abc" }, "INVALID_CODE"},
		{"expired order", "1.00", func(n *network, code string) string { n.clock.Add(11 * time.Minute); return code }, "EXPIRED_CODE"},
		{"magic 81", "1.81", nil, "EXPIRED_CODE"},
		{"magic 82", "1.82", nil, "ORDER_IS_CLOSED"},
		{"magic 83", "1.83", nil, "PAYMENT_AMOUNT_INVALID"},
		{"magic 84", "1.84", nil, "MERCHANT_NOT_REGISTERED"},
		{"magic 85", "1.85", nil, "CURRENCY_NOT_SUPPORT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := newNetwork(t, fastTiming)
			o, err := n.sim.CreateOrder(context.Background(), simulator.OrderRequest{Amount: moneyOf(t, c.amount, "USD")})
			if err != nil {
				t.Fatal(err)
			}
			code := o.CodeValue
			if c.edit != nil {
				code = c.edit(n, code)
			}
			_, err = n.client.UserInitiatedPay(context.Background(), &alipayplus.UserInitiatedPayRequest{CodeValue: code, CustomerID: "alice"})
			var apErr *alipayplus.Error
			if !errors.As(err, &apErr) || apErr.Code != c.want || apErr.Status != "F" {
				t.Errorf("got %v, want F %s", err, c.want)
			}
		})
	}
}

func TestMPMMagicUnknownAndNotifyFaults(t *testing.T) {
	n := newNetwork(t, simulator.Timing{PaymentExpiry: 5 * time.Second})
	n.addUser("alice", "100.00", "USD", nil)
	ctx := context.Background()
	// 86: the acquirer answers U; the wallet's client retries and still
	// gets U (every decode of this order is unknown).
	o86, _ := n.sim.CreateOrder(ctx, simulator.OrderRequest{Amount: moneyOf(t, "1.86", "USD")})
	_, err := n.client.UserInitiatedPay(ctx, &alipayplus.UserInitiatedPayRequest{CodeValue: o86.CodeValue, CustomerID: "alice"})
	if !errors.Is(err, alipayplus.ErrUnknown) {
		t.Errorf("magic 86: got %v, want an unknown outcome", err)
	}
	// 87: the first notifyPayment is answered U; the client's retry lands.
	o87, _ := n.sim.CreateOrder(ctx, simulator.OrderRequest{Amount: moneyOf(t, "1.87", "USD")})
	uip, _ := mpmPay(t, n, o87.CodeValue, "alice")
	if sp, _ := n.sim.Payment(uip.PaymentRequestID); sp.Status != simulator.StatusSuccess {
		t.Errorf("magic 87: network payment %s, want SUCCESS after the retried notify\n%s", sp.Status, stepText(sp))
	}
	// 88: the first notifyPayment answer is lost; the retry is a consistent
	// repeat and gets S.
	o88, _ := n.sim.CreateOrder(ctx, simulator.OrderRequest{Amount: moneyOf(t, "1.88", "USD")})
	uip, _ = mpmPay(t, n, o88.CodeValue, "alice")
	if sp, _ := n.sim.Payment(uip.PaymentRequestID); sp.Status != simulator.StatusSuccess {
		t.Errorf("magic 88: network payment %s, want SUCCESS\n%s", sp.Status, stepText(sp))
	}
	notifies := 0
	for _, e := range n.sim.Transcript().Entries() {
		if e.API == simulator.APINotifyPayment {
			notifies++
		}
	}
	if notifies != 4 {
		t.Errorf("%d notifyPayment exchanges, want 4 (two per faulted payment)", notifies)
	}
}

func TestMPMNoNotifyIsCancelledAtExpiry(t *testing.T) {
	n := newNetwork(t, fastTiming)
	n.addUser("alice", "100.00", "USD", nil)
	ctx := context.Background()
	o, _ := n.sim.CreateOrder(ctx, simulator.OrderRequest{Amount: moneyOf(t, "2.00", "USD")})
	uip, err := n.client.UserInitiatedPay(ctx, &alipayplus.UserInitiatedPayRequest{CodeValue: o.CodeValue, CustomerID: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	payTo, _ := uip.PayToAmount.Money()
	// The wallet debits but never notifies (it crashed, say).
	if _, err := n.svc.Pay(ctx, wallet.PayOrder{RequestID: uip.PaymentRequestID, CustomerID: "alice", Mode: wallet.ModeMPM,
		CodeValue: o.CodeValue, Amount: payTo, PaymentAmount: payTo}); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	sp, ok := n.sim.Wait(wctx.Done(), uip.PaymentRequestID)
	if !ok {
		t.Fatalf("not final: %+v", sp)
	}
	// At the expiry Alipay+ inquires once: the wallet says S, so it is paid.
	if sp.Status != simulator.StatusSuccess {
		t.Errorf("network payment %s, want SUCCESS found by the last inquiry\n%s", sp.Status, stepText(sp))
	}
}
