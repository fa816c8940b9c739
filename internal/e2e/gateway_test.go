package e2e_test

import (
	"context"
	"sync"
	"testing"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/internal/testkit"
)

// merchant registers a merchant client on the network's gateway and
// returns an SDK-style client for it.
func (n *network) merchant(t testing.TB, clientID string) *sdkClient {
	t.Helper()
	key := testkit.Key(t, "private.pem")
	if err := n.sim.RegisterMerchantClient(clientID, &key.PublicKey); err != nil {
		t.Fatal(err)
	}
	return &sdkClient{gateway: n.simURL, clientID: clientID, key: key, peer: &n.alipayKey.PublicKey}
}

// payBody is a payment-code pay as a POS built on the SDK sends it.
func payBody(requestID, code, value, currency string) map[string]any {
	amount := map[string]any{"currency": currency, "value": value}
	return map[string]any{
		"productCode": "IN_STORE_PAYMENT", "paymentRequestId": requestID,
		"order": map[string]any{"referenceOrderId": "ORDER-" + requestID, "orderDescription": "two coffees", "orderAmount": amount,
			"merchant": map[string]any{"referenceMerchantId": "M-POS-1", "merchantName": "Corner Cafe", "merchantMCC": "5814",
				"store": map[string]any{"referenceStoreId": "S-1", "storeName": "Corner Cafe Shibuya", "storeTerminalId": "T-9"}}},
		"paymentAmount": amount,
		"paymentMethod": map[string]any{"paymentMethodType": "CONNECT_WALLET", "paymentMethodId": code},
		"paymentFactor": map[string]any{"inStorePaymentScenario": "PaymentCode"},
	}
}

func mustCall(t testing.TB, c *sdkClient, path string, body any) sdkAnswer {
	t.Helper()
	a, err := c.execute(path, body)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return a
}

func wantResult(t testing.TB, what string, a sdkAnswer, status, code string) {
	t.Helper()
	if s, c := a.result(); s != status || c != code {
		t.Fatalf("%s: result %s %s, want %s %s (answer %s)", what, s, c, status, code, a.Raw)
	}
}

// reconcile checks the ledger to the cent: the balance is the sum of
// every ledger entry (the opening deposit first), and equals want.
func (n *network) reconcile(t testing.TB, user string, want money.Money) {
	t.Helper()
	entries, err := n.store.Entries(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, e := range entries {
		sum += e.Amount.Minor
	}
	got := n.balance(user)
	if got != want || sum != got.Minor {
		t.Fatalf("ledger: balance %s, entries add up to %d, want %s", got, sum, want)
	}
}

const payPath, inquiryPath, cancelPath, refundPath = "/ams/api/v1/payments/pay", "/ams/api/v1/payments/inquiryPayment",
	"/ams/api/v1/payments/cancel", "/ams/api/v1/payments/refund"

// TestGatewaySDKMerchantFullSale is the POS loop a merchant backend on
// Alipay's SDK runs: pay a live code, inquire, repeat the pay (idempotent),
// change it (refused), refund part, repeat the refund, refund too much
// (refused), cancel (the rest comes back), and the ledger reconciles.
func TestGatewaySDKMerchantFullSale(t *testing.T) {
	for _, clientID := range []string{"POS_PRODUCTION_1", "SANDBOX_POS_1"} { // production and sandbox paths
		t.Run(clientID, func(t *testing.T) {
			n := newNetwork(t, fastTiming)
			n.addUser("alice", "100.00", "USD", nil)
			opening := moneyOf(t, "100.00", "USD")
			pos := n.merchant(t, clientID)
			code := n.codes("alice", 1)[0].PaymentCode
			pay := payBody("REQ-1", code, "1234", "USD")

			a := mustCall(t, pos, payPath, pay)
			wantResult(t, "pay", a, "S", "SUCCESS")
			paymentID := a.str("paymentId")
			if paymentID == "" || a.str("paymentRequestId") != "REQ-1" || a.str("paymentTime") == "" {
				t.Fatalf("pay answer lacks ids or time: %s", a.Raw)
			}
			if psp, _ := a.Body["pspCustomerInfo"].(map[string]any); psp["pspCustomerId"] != "alice" {
				t.Errorf("pspCustomerInfo %v, want the wallet's customer alice", a.Body["pspCustomerInfo"])
			}
			if got := n.balance("alice"); got != moneyOf(t, "87.66", "USD") {
				t.Fatalf("balance after pay %s, want 87.66 USD", got)
			}
			if rt := a.Header.Get("Response-Time"); rt == "" || a.Header.Get("Client-Id") != clientID {
				t.Errorf("answer headers Client-Id %q Response-Time %q", a.Header.Get("Client-Id"), rt)
			}

			for _, q := range []map[string]any{{"paymentRequestId": "REQ-1"}, {"paymentId": paymentID}} {
				a = mustCall(t, pos, inquiryPath, q)
				wantResult(t, "inquiry", a, "S", "SUCCESS")
				if a.str("paymentStatus") != "SUCCESS" || a.str("paymentId") != paymentID {
					t.Errorf("inquiry %v: %s, want paymentStatus SUCCESS for %s", q, a.Raw, paymentID)
				}
			}

			// The same request again: the same answer, one debit.
			a = mustCall(t, pos, payPath, pay)
			wantResult(t, "repeated pay", a, "S", "SUCCESS")
			if a.str("paymentId") != paymentID {
				t.Errorf("repeated pay answered paymentId %s, want %s", a.str("paymentId"), paymentID)
			}
			// The same id with another amount: refused, no debit.
			changed := payBody("REQ-1", code, "9999", "USD")
			a = mustCall(t, pos, payPath, changed)
			wantResult(t, "changed pay", a, "F", "REPEAT_REQ_INCONSISTENT")
			if got := n.balance("alice"); got != moneyOf(t, "87.66", "USD") {
				t.Fatalf("balance after repeats %s, want 87.66 USD (one debit)", got)
			}

			refund := map[string]any{"refundRequestId": "RF-1", "paymentId": paymentID, "refundAmount": map[string]any{"currency": "USD", "value": "200"}}
			a = mustCall(t, pos, refundPath, refund)
			wantResult(t, "refund", a, "S", "SUCCESS")
			refundID := a.str("refundId")
			a = mustCall(t, pos, refundPath, refund)
			wantResult(t, "repeated refund", a, "S", "SUCCESS")
			if a.str("refundId") != refundID || refundID == "" {
				t.Errorf("repeated refund answered refundId %q, want %q", a.str("refundId"), refundID)
			}
			if got := n.balance("alice"); got != moneyOf(t, "89.66", "USD") {
				t.Fatalf("balance after refund %s, want 89.66 USD (refunded once)", got)
			}
			a = mustCall(t, pos, refundPath, map[string]any{"refundRequestId": "RF-1", "paymentId": paymentID,
				"refundAmount": map[string]any{"currency": "USD", "value": "300"}})
			wantResult(t, "changed refund", a, "F", "REPEAT_REQ_INCONSISTENT")
			a = mustCall(t, pos, refundPath, map[string]any{"refundRequestId": "RF-2", "paymentId": paymentID,
				"refundAmount": map[string]any{"currency": "USD", "value": "1035"}})
			wantResult(t, "refund beyond the rest", a, "F", "REFUND_AMOUNT_EXCEED")

			a = mustCall(t, pos, cancelPath, map[string]any{"paymentRequestId": "REQ-1"})
			wantResult(t, "cancel", a, "S", "SUCCESS")
			if a.str("cancelTime") == "" {
				t.Errorf("cancel answer has no cancelTime: %s", a.Raw)
			}
			a = mustCall(t, pos, cancelPath, map[string]any{"paymentRequestId": "REQ-1"})
			wantResult(t, "repeated cancel", a, "S", "SUCCESS")
			a = mustCall(t, pos, inquiryPath, map[string]any{"paymentRequestId": "REQ-1"})
			if a.str("paymentStatus") != "CANCELLED" {
				t.Errorf("inquiry after cancel: %s, want CANCELLED", a.Raw)
			}
			a = mustCall(t, pos, refundPath, map[string]any{"refundRequestId": "RF-3", "paymentId": paymentID,
				"refundAmount": map[string]any{"currency": "USD", "value": "100"}})
			wantResult(t, "refund after cancel", a, "F", "ORDER_STATUS_INVALID")
			n.reconcile(t, "alice", opening)
		})
	}
}

// TestGatewayRefusesForgedAndUnknownClients: a request signed with another
// key, or from a Client-Id nobody registered, is refused with a signed
// answer and charges nothing; the code still pays afterwards.
func TestGatewayRefusesForgedAndUnknownClients(t *testing.T) {
	n := newNetwork(t, fastTiming)
	n.addUser("alice", "100.00", "USD", nil)
	pos := n.merchant(t, "POS_1")
	code := n.codes("alice", 1)[0].PaymentCode
	before := n.simState()

	forged := *pos
	forged.key = testkit.Key(t, "other_private.pem")
	a := mustCall(t, &forged, payPath, payBody("REQ-F", code, "500", "USD"))
	wantResult(t, "forged key", a, "F", "INVALID_SIGNATURE")
	stranger := *pos
	stranger.clientID = "NOBODY"
	a = mustCall(t, &stranger, payPath, payBody("REQ-F", code, "500", "USD"))
	wantResult(t, "unknown client", a, "F", "INVALID_CLIENT")
	if after := n.simState(); after != before {
		t.Fatalf("a refused request changed state:\nbefore %s\nafter  %s", before, after)
	}
	a = mustCall(t, pos, payPath, payBody("REQ-F", code, "500", "USD"))
	wantResult(t, "genuine pay", a, "S", "SUCCESS")
}

// TestGatewayBadScansChargeNothing: codes the network did not issue, used
// codes and codes not valid yet are refused with the code's result, and
// their answers repeat.
func TestGatewayBadScansChargeNothing(t *testing.T) {
	n := newNetwork(t, fastTiming)
	n.addUser("alice", "100.00", "USD", nil)
	pos := n.merchant(t, "POS_1")
	codes := n.codes("alice", 2) // the second is valid from 30 s on
	wantResult(t, "good scan", mustCall(t, pos, payPath, payBody("REQ-OK", codes[0].PaymentCode, "500", "USD")), "S", "SUCCESS")
	cases := []struct{ name, id, code, want string }{
		{"used", "REQ-USED", codes[0].PaymentCode, "INVALID_CODE"},
		{"not issued", "REQ-ALIEN", "281234567890123456", "INVALID_CODE"},
		{"not valid yet", "REQ-EARLY", codes[1].PaymentCode, "INVALID_CODE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for try := 0; try < 2; try++ {
				a := mustCall(t, pos, payPath, payBody(c.id, c.code, "500", "USD"))
				wantResult(t, c.name, a, "F", c.want)
				q := mustCall(t, pos, inquiryPath, map[string]any{"paymentRequestId": c.id})
				if q.str("paymentStatus") != "FAIL" || q.str("paymentResultCode") != c.want {
					t.Errorf("inquiry: %s, want FAIL %s", q.Raw, c.want)
				}
			}
		})
	}
	if got := n.balance("alice"); got != moneyOf(t, "95.00", "USD") {
		t.Errorf("balance %s, want 95.00 USD: only the good scan charged", got)
	}
}

// TestGatewayConcurrentRepeatsDebitOnce: a POS that times out and resends
// the same pay at once, five times over, is charged once.
func TestGatewayConcurrentRepeatsDebitOnce(t *testing.T) {
	n := newNetwork(t, fastTiming)
	n.addUser("alice", "100.00", "USD", nil)
	pos := n.merchant(t, "POS_1")
	code := n.codes("alice", 1)[0].PaymentCode
	var wg sync.WaitGroup
	ids := make([]string, 5)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := pos.execute(payPath, payBody("REQ-X", code, "700", "USD"))
			if err != nil {
				t.Error(err)
				return
			}
			if s, c := a.result(); s != "S" {
				t.Errorf("pay %d: %s %s", i, s, c)
			}
			ids[i] = a.str("paymentId")
		}()
	}
	wg.Wait()
	for _, id := range ids[1:] {
		if id != ids[0] {
			t.Errorf("paymentIds %v: want one payment", ids)
		}
	}
	if got := n.balance("alice"); got != moneyOf(t, "93.00", "USD") {
		t.Errorf("balance %s, want 93.00 USD (one debit)", got)
	}
}
