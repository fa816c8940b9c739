package e2e_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/mpp"
	"github.com/mppwallet/mppwallet/wallet"
)

// notification is one notifyPayment a merchant's server received.
type notification struct {
	body     map[string]any
	verified error
}

// notifyServer is a merchant's paymentNotifyUrl: it checks each
// notification's signature as the SDKs' WebhookTool does and acknowledges.
func notifyServer(t *testing.T, n *network, clientID string) (string, <-chan notification) {
	t.Helper()
	got := make(chan notification, 8)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var nt notification
		nt.verified = verifySDK(&n.alipayKey.PublicKey, r.URL.RequestURI(), r.Header.Get("Client-Id"), r.Header.Get("Request-Time"), raw, r.Header.Get("Signature"))
		if r.Header.Get("Client-Id") != clientID {
			nt.verified = errString("notification Client-Id " + r.Header.Get("Client-Id") + ", want " + clientID)
		}
		_ = json.Unmarshal(raw, &nt.body)
		got <- nt
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/antom/notify?shop=1", got
}

type errString string

func (e errString) Error() string { return string(e) }

// TestGatewayHeldPaymentAnswersUThenNotifies: the wallet holds the payment
// for the user's confirmation, so pay answers U PAYMENT_IN_PROCESS and
// inquiry PROCESSING; once the user approves, inquiry says SUCCESS and the
// merchant's paymentNotifyUrl gets a signed PAYMENT_RESULT. The transcript
// records every gateway exchange, without conformance findings for the
// SDK's epoch-millisecond Request-Time.
func TestGatewayHeldPaymentAnswersUThenNotifies(t *testing.T) {
	n := newNetwork(t, simulator.Timing{PaymentExpiry: 10 * time.Second, InquiryFirst: 20 * time.Millisecond, InquiryMax: 50 * time.Millisecond})
	n.addUser("alice", "100.00", "USD", func(u *wallet.User) { u.Override = wallet.OverrideAsk })
	pos := n.merchant(t, "POS_1")
	notifyURL, notes := notifyServer(t, n, "POS_1")
	events, stop := n.svc.Subscribe(8)
	defer stop()
	body := payBody("REQ-H", n.codes("alice", 1)[0].PaymentCode, "500", "USD")
	body["paymentNotifyUrl"] = notifyURL

	a := mustCall(t, pos, payPath, body)
	wantResult(t, "held pay", a, "U", "PAYMENT_IN_PROCESS")
	q := mustCall(t, pos, inquiryPath, map[string]any{"paymentRequestId": "REQ-H"})
	if q.str("paymentStatus") != "PROCESSING" {
		t.Fatalf("inquiry while held: %s, want PROCESSING", q.Raw)
	}
	var held wallet.Payment
	for e := range events {
		if e.Kind == wallet.EventReceived {
			held = e.Payment
			break
		}
	}
	if _, err := (&mpp.Confirmer{Wallet: n.svc, Client: n.client}).Confirm(context.Background(), held.RequestID, true); err != nil {
		t.Fatalf("confirm: %v", err)
	}
	select {
	case nt := <-notes:
		if nt.verified != nil {
			t.Errorf("notification signature: %v", nt.verified)
		}
		r, _ := nt.body["result"].(map[string]any)
		if nt.body["notifyType"] != "PAYMENT_RESULT" || r["resultStatus"] != "S" || nt.body["paymentId"] != a.str("paymentId") ||
			nt.body["paymentRequestId"] != "REQ-H" {
			t.Errorf("notification %v, want PAYMENT_RESULT S for %s", nt.body, a.str("paymentId"))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no notifyPayment reached the merchant")
	}
	q = mustCall(t, pos, inquiryPath, map[string]any{"paymentId": a.str("paymentId")})
	if q.str("paymentStatus") != "SUCCESS" {
		t.Errorf("inquiry after approval: %s, want SUCCESS", q.Raw)
	}
	if got := n.balance("alice"); got != moneyOf(t, "95.00", "USD") {
		t.Errorf("balance %s, want 95.00 USD", got)
	}
	seen := map[string]int{}
	for _, e := range n.sim.Transcript().Since(0) {
		seen[e.API]++
		if (e.API == simulator.APIGatewayPay || e.API == simulator.APIGatewayInquiry) && len(e.Findings) > 0 {
			t.Errorf("%s has conformance findings for a request the SDK sends: %+v", e.API, e.Findings)
		}
	}
	if seen[simulator.APIGatewayPay] != 1 || seen[simulator.APIGatewayInquiry] != 2 || seen[simulator.APIGatewayNotifyPayment] != 1 {
		t.Errorf("transcript APIs %v, want 1 gateway.pay, 2 gateway.inquiryPayment, 1 gateway.notifyPayment", seen)
	}
}

// TestGatewayFaultsAndMagicAmounts: fault rules name the gateway's APIs,
// and magic amounts decide gateway payments as they do admin charges.
func TestGatewayFaultsAndMagicAmounts(t *testing.T) {
	n := newNetwork(t, fastTiming)
	n.addUser("alice", "100.00", "USD", nil)
	pos := n.merchant(t, "POS_1")
	rule, err := simulator.ParseRule("gateway.pay:result=U/UNKNOWN_EXCEPTION,count=1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.sim.Faults().Add(rule); err != nil {
		t.Fatal(err)
	}
	code := n.codes("alice", 1)[0].PaymentCode
	wantResult(t, "faulted pay", mustCall(t, pos, payPath, payBody("REQ-1", code, "500", "USD")), "U", "UNKNOWN_EXCEPTION")
	if got := n.balance("alice"); got != moneyOf(t, "100.00", "USD") {
		t.Fatalf("the faulted pay charged: balance %s", got)
	}
	// The POS retries the same request: the fault is spent and the sale goes through.
	wantResult(t, "retried pay", mustCall(t, pos, payPath, payBody("REQ-1", code, "500", "USD")), "S", "SUCCESS")

	magic := mustCall(t, pos, payPath, payBody("REQ-2", n.codes("alice", 1)[0].PaymentCode, "151", "USD"))
	wantResult(t, "magic amount 1.51", magic, "F", "RISK_REJECT")
	if got := n.balance("alice"); got != moneyOf(t, "95.00", "USD") {
		t.Errorf("balance %s, want 95.00 USD", got)
	}
}
