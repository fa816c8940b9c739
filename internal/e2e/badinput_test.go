package e2e_test

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/testkit"
	"github.com/mppwallet/mppwallet/wallet"
)

const otherClientID = "SANDBOX_OTHER_WALLET"

// rawReq shapes a hand-made protocol request to the simulator.
type rawReq struct {
	method      string
	clientID    string            // default: the registered wallet
	key         *rsa.PrivateKey   // default: the wallet's key
	header      map[string]string // set after signing ("" deletes)
	contentType string
	signTime    string // Request-Time signed (default: now)
}

// raw sends a hand-made request to the simulator and returns the result,
// after checking the answer is signed (by Alipay+, or the acquirer under
// /acquirer/).
func (n *network) raw(t testing.TB, path string, body []byte, o rawReq) alipayplus.Result {
	t.Helper()
	if o.clientID == "" {
		o.clientID = mppClientID
	}
	if o.key == nil {
		o.key = n.mppKey
	}
	if o.signTime == "" {
		o.signTime = alipayplus.FormatTime(n.clock.Now())
	}
	resp, b := testkit.Raw{Method: o.method, URL: n.simURL, Path: path, Body: body, ClientID: o.clientID, Key: o.key,
		Time: o.signTime, ContentType: o.contentType, Header: o.header}.Send(t)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("HTTP %d, want 200 with the result in the body", resp.StatusCode)
	}
	signer := &n.alipayKey.PublicKey
	if strings.HasPrefix(path, simulator.AcquirerPrefix) {
		signer = n.sim.AcquirerPublicKey()
	}
	// Every answer is signed: for the Client-Id it echoes, or, to a request
	// without one, for the simulator's own answer Client-Id.
	answerID := resp.Header.Get("Client-Id")
	switch want := resp.Request.Header.Get("Client-Id"); {
	case want != "" && answerID != want:
		t.Errorf("answer Client-Id %q, want the request's %q", answerID, want)
	case want == "" && answerID == "":
		t.Errorf("an answer to a request without Client-Id names no Client-Id")
	}
	if err := alipayplus.VerifyHeader(signer, resp.Header.Get("Signature"), http.MethodPost, path,
		answerID, resp.Header.Get("Response-Time"), b); err != nil {
		t.Errorf("the answer is not signed: %v", err)
	}
	var r alipayplus.Response
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("answer %q is not JSON: %v", b, err)
	}
	return r.Result
}

// admin sends a request to the admin API and returns the HTTP status and
// the body.
func (n *network) admin(t testing.TB, method, path string, body []byte) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, n.simURL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m
}

// simState is everything the simulator and the wallet remember, to prove a
// refused request changed nothing (the transcript records every exchange
// by design and is left out).
func (n *network) simState() string {
	n.t.Helper()
	users, err := n.store.Users(context.Background())
	if err != nil {
		n.t.Fatal(err)
	}
	payments, err := n.store.Payments(context.Background(), wallet.PaymentFilter{})
	if err != nil {
		n.t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"payments": n.sim.Payments(), "codes": n.sim.Codes(""), "orders": n.sim.Orders(),
		"faults": n.sim.Faults().List(), "users": users, "walletPayments": payments})
	return string(b)
}

// TestSimulatorBadInputChangesNothing sends malformed and hostile requests
// to every endpoint of the simulator: the Alipay+ APIs the wallet calls,
// the acquirer's, and the admin API. Each gets the protocol's result code
// (or, on the admin API, an HTTP error with a message), changes nothing,
// and the simulator keeps serving.
func TestSimulatorBadInputChangesNothing(t *testing.T) {
	n := newNetwork(t, simulator.Timing{PaymentExpiry: time.Minute, InquiryFirst: time.Minute})
	n.addUser("alice", "100.00", "USD", nil)
	n.sim.Register(simulator.MPP{ClientID: otherClientID, PublicKey: &n.alipayKey.PublicKey, URL: "http://127.0.0.1:1"})
	ctx := context.Background()
	// A settled MPM payment, an open one, and a paid UPM charge to aim at.
	settledOrder, _ := n.sim.CreateOrder(ctx, simulator.OrderRequest{Amount: moneyOf(t, "2.00", "USD")})
	settled, settledPay := mpmPay(t, n, settledOrder.CodeValue, "alice")
	openOrder, _ := n.sim.CreateOrder(ctx, simulator.OrderRequest{Amount: moneyOf(t, "3.00", "USD")})
	open, err := n.client.UserInitiatedPay(ctx, &alipayplus.UserInitiatedPayRequest{CodeValue: openOrder.CodeValue, CustomerID: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	upm := charge(t, n, n.codes("alice", 1)[0].PaymentCode, "5.00", "USD")
	fresh := n.codes("alice", 1)[0].PaymentCode // issued, never charged

	js := func(v any) []byte { b, _ := json.Marshal(v); return b }
	getCode := func(edit func(m map[string]any)) []byte {
		m := map[string]any{"customerId": "alice", "codeQuantity": "2", "region": "JP",
			"env": map[string]any{"deviceTokenId": "d1", "terminalType": "APP", "osType": "IOS"}}
		if edit != nil {
			edit(m)
		}
		return js(m)
	}
	env := func(m map[string]any) map[string]any { return m["env"].(map[string]any) }
	uip := func(edit func(m map[string]any)) []byte {
		m := map[string]any{"codeValue": openOrder.CodeValue, "customerId": "alice"}
		if edit != nil {
			edit(m)
		}
		return js(m)
	}
	notify := func(id string, edit func(m map[string]any)) []byte {
		m := map[string]any{"paymentRequestId": id, "paymentId": "P-1", "customerId": "alice",
			"paymentResult": map[string]any{"resultStatus": "S", "resultCode": "SUCCESS"},
			"payToAmount":   map[string]any{"currency": "USD", "value": "300"}}
		if edit != nil {
			edit(m)
		}
		return js(m)
	}
	amt := func(m map[string]any, key string) map[string]any { return m[key].(map[string]any) }
	acqUIP := func(edit func(m map[string]any)) []byte {
		m := map[string]any{"acquirerId": simulator.DefaultAcquirerID, "pspId": simulator.DefaultPSPID,
			"codeValue": "https://qr.mppwallet.test/2819990400019999999999999999", "customerId": "alice"}
		if edit != nil {
			edit(m)
		}
		return js(m)
	}
	acq := rawReq{clientID: simulator.DefaultAcquirerClientID, key: n.alipayKey}
	gpc, icr := alipayplus.PathGetPaymentCode, alipayplus.PathInquiryCodeRules
	uipPath, notifyPath := alipayplus.PathUserInitiatedPay, alipayplus.PathNotifyPayment
	acqPath := simulator.AcquirerPrefix + alipayplus.PathUserInitiatedPay
	later := alipayplus.FormatTime(n.clock.Now().Add(time.Hour))

	protocol := []struct {
		name string
		path string
		body []byte
		opts rawReq
		want string
	}{
		// getPaymentCode.
		{"getPaymentCode unsigned", gpc, getCode(nil), rawReq{header: map[string]string{"Signature": ""}}, "INVALID_SIGNATURE"},
		{"getPaymentCode signed by another key", gpc, getCode(nil), rawReq{key: n.alipayKey}, "INVALID_SIGNATURE"},
		{"getPaymentCode replayed with a new Request-Time", gpc, getCode(nil), rawReq{header: map[string]string{"Request-Time": later}}, "INVALID_SIGNATURE"},
		{"getPaymentCode garbage signature", gpc, getCode(nil), rawReq{header: map[string]string{"Signature": "algorithm=RSA256,keyVersion=1,signature=%%%"}}, "INVALID_SIGNATURE"},
		{"getPaymentCode 100 KB signature", gpc, getCode(nil), rawReq{header: map[string]string{"Signature": "algorithm=RSA256,keyVersion=1,signature=" + strings.Repeat("A", 100<<10)}}, "INVALID_SIGNATURE"},
		{"getPaymentCode unknown Client-Id", gpc, getCode(nil), rawReq{clientID: "SANDBOX_NOBODY"}, "INVALID_CLIENT"},
		{"getPaymentCode no Client-Id", gpc, getCode(nil), rawReq{header: map[string]string{"Client-Id": ""}}, "INVALID_CLIENT"},
		{"getPaymentCode bad Request-Time", gpc, getCode(nil), rawReq{signTime: "2026-13-45T99:00:00+08:00"}, "PARAM_ILLEGAL"},
		{"getPaymentCode GET", gpc, nil, rawReq{method: http.MethodGet}, "METHOD_NOT_SUPPORTED"},
		{"getPaymentCode text/plain", gpc, getCode(nil), rawReq{contentType: "text/plain"}, "MEDIA_TYPE_NOT_ACCEPTABLE"},
		{"getPaymentCode 2 MB body", gpc, bytes.Repeat([]byte(" "), 2<<20), rawReq{}, "PARAM_ILLEGAL"},
		{"getPaymentCode truncated JSON", gpc, getCode(nil)[:20], rawReq{}, "PARAM_ILLEGAL"},
		{"getPaymentCode JSON array", gpc, []byte(`[{"customerId":"alice"}]`), rawReq{}, "PARAM_ILLEGAL"},
		{"getPaymentCode null", gpc, []byte(`null`), rawReq{}, "PARAM_ILLEGAL"},
		{"getPaymentCode no customerId", gpc, getCode(func(m map[string]any) { delete(m, "customerId") }), rawReq{}, "PARAM_ILLEGAL"},
		{"getPaymentCode customerId over 64", gpc, getCode(func(m map[string]any) { m["customerId"] = strings.Repeat("a", 65) }), rawReq{}, "PARAM_ILLEGAL"},
		{"getPaymentCode codeQuantity 0", gpc, getCode(func(m map[string]any) { m["codeQuantity"] = "0" }), rawReq{}, "PARAM_ILLEGAL"},
		{"getPaymentCode codeQuantity 11", gpc, getCode(func(m map[string]any) { m["codeQuantity"] = "11" }), rawReq{}, "PARAM_ILLEGAL"},
		{"getPaymentCode codeQuantity -1", gpc, getCode(func(m map[string]any) { m["codeQuantity"] = "-1" }), rawReq{}, "PARAM_ILLEGAL"},
		{"getPaymentCode codeQuantity 1.5", gpc, getCode(func(m map[string]any) { m["codeQuantity"] = 1.5 }), rawReq{}, "PARAM_ILLEGAL"},
		{"getPaymentCode codeQuantity huge", gpc, getCode(func(m map[string]any) { m["codeQuantity"] = "99999999999999999999" }), rawReq{}, "PARAM_ILLEGAL"},
		{"getPaymentCode codeQuantity object", gpc, getCode(func(m map[string]any) { m["codeQuantity"] = map[string]any{"n": 1} }), rawReq{}, "PARAM_ILLEGAL"},
		{`getPaymentCode "" region`, gpc, getCode(func(m map[string]any) { m["region"] = "" }), rawReq{}, "PARAM_ILLEGAL"},
		{"getPaymentCode region JPN", gpc, getCode(func(m map[string]any) { m["region"] = "JPN" }), rawReq{}, "PARAM_ILLEGAL"},
		{"getPaymentCode no env", gpc, getCode(func(m map[string]any) { delete(m, "env") }), rawReq{}, "PARAM_ILLEGAL"},
		{"getPaymentCode env a string", gpc, getCode(func(m map[string]any) { m["env"] = "APP" }), rawReq{}, "PARAM_ILLEGAL"},
		{"getPaymentCode unknown terminalType", gpc, getCode(func(m map[string]any) { env(m)["terminalType"] = "PHONE" }), rawReq{}, "PARAM_ILLEGAL"},
		{"getPaymentCode userAgent over 1024", gpc, getCode(func(m map[string]any) { env(m)["userAgent"] = strings.Repeat("u", 1025) }), rawReq{}, "PARAM_ILLEGAL"},
		{"getPaymentCode misspelt path", gpc + "s", getCode(nil), rawReq{}, "NO_INTERFACE_DEF"},
		// inquiryCodeRules takes unsigned and empty requests, not broken ones.
		{"inquiryCodeRules truncated JSON", icr, []byte(`{"a":`), rawReq{}, "PARAM_ILLEGAL"},
		{"inquiryCodeRules JSON array", icr, []byte(`[]`), rawReq{}, "PARAM_ILLEGAL"},
		{`inquiryCodeRules "" field`, icr, []byte(`{"version":""}`), rawReq{}, "PARAM_ILLEGAL"},
		{"inquiryCodeRules PUT", icr, []byte(`{}`), rawReq{method: http.MethodPut}, "METHOD_NOT_SUPPORTED"},
		// userInitiatedPay.
		{"userInitiatedPay bad signature", uipPath, uip(nil), rawReq{key: n.alipayKey}, "INVALID_SIGNATURE"},
		{"userInitiatedPay unknown Client-Id", uipPath, uip(nil), rawReq{clientID: "SANDBOX_NOBODY"}, "INVALID_CLIENT"},
		{"userInitiatedPay no Client-Id", uipPath, uip(nil), rawReq{header: map[string]string{"Client-Id": ""}}, "INVALID_CLIENT"},
		{"gateway pay no Client-Id", "/ams/api/v1/payments/pay", []byte(`{}`), rawReq{header: map[string]string{"Client-Id": ""}}, "INVALID_CLIENT"},
		{"gateway pay unknown Client-Id", "/ams/sandbox/api/v1/payments/pay", []byte(`{}`), rawReq{clientID: "SANDBOX_NOBODY"}, "INVALID_CLIENT"},
		{"userInitiatedPay no codeValue", uipPath, uip(func(m map[string]any) { delete(m, "codeValue") }), rawReq{}, "PARAM_ILLEGAL"},
		{"userInitiatedPay no customerId", uipPath, uip(func(m map[string]any) { delete(m, "customerId") }), rawReq{}, "PARAM_ILLEGAL"},
		{"userInitiatedPay codeValue over 512", uipPath, uip(func(m map[string]any) { m["codeValue"] = openOrder.CodeValue + strings.Repeat("9", 512) }), rawReq{}, "PARAM_ILLEGAL"},
		{"userInitiatedPay codeValue an array", uipPath, uip(func(m map[string]any) { m["codeValue"] = []string{openOrder.CodeValue} }), rawReq{}, "PARAM_ILLEGAL"},
		{`userInitiatedPay "" acquirerId`, uipPath, uip(func(m map[string]any) { m["acquirerId"] = "" }), rawReq{}, "PARAM_ILLEGAL"},
		{"userInitiatedPay unknown order code", uipPath, uip(func(m map[string]any) { m["codeValue"] = openOrder.CodeValue[:len(openOrder.CodeValue)-1] + "x" }), rawReq{}, "INVALID_CODE"},
		{"userInitiatedPay another network's code", uipPath, uip(func(m map[string]any) { m["codeValue"] = "https://qr.alipay.com/bax01234" }), rawReq{}, "INVALID_CODE"},
		{"userInitiatedPay the open order by someone else", uipPath, uip(func(m map[string]any) { m["customerId"] = "mallory" }), rawReq{}, "REPEAT_REQ_INCONSISTENT"},
		{"userInitiatedPay truncated JSON", uipPath, uip(nil)[:10], rawReq{}, "PARAM_ILLEGAL"},
		// notifyPayment.
		{"notifyPayment bad signature", notifyPath, notify(open.PaymentRequestID, nil), rawReq{key: n.alipayKey}, "INVALID_SIGNATURE"},
		{"notifyPayment replayed with a new Request-Time", notifyPath, notify(open.PaymentRequestID, nil), rawReq{header: map[string]string{"Request-Time": later}}, "INVALID_SIGNATURE"},
		{"notifyPayment by another wallet", notifyPath, notify(open.PaymentRequestID, nil), rawReq{clientID: otherClientID, key: n.alipayKey}, "ORDER_NOT_EXIST"},
		{"notifyPayment unknown payment", notifyPath, notify("20260101000000000000000000", nil), rawReq{}, "ORDER_NOT_EXIST"},
		{"notifyPayment U", notifyPath, notify(open.PaymentRequestID, func(m map[string]any) { amt(m, "paymentResult")["resultStatus"] = "U" }), rawReq{}, "PARAM_ILLEGAL"},
		{"notifyPayment status X", notifyPath, notify(open.PaymentRequestID, func(m map[string]any) { amt(m, "paymentResult")["resultStatus"] = "X" }), rawReq{}, "PARAM_ILLEGAL"},
		{"notifyPayment no paymentResult", notifyPath, notify(open.PaymentRequestID, func(m map[string]any) { delete(m, "paymentResult") }), rawReq{}, "PARAM_ILLEGAL"},
		{"notifyPayment no resultCode", notifyPath, notify(open.PaymentRequestID, func(m map[string]any) { delete(amt(m, "paymentResult"), "resultCode") }), rawReq{}, "PARAM_ILLEGAL"},
		{"notifyPayment decimal payToAmount", notifyPath, notify(open.PaymentRequestID, func(m map[string]any) { amt(m, "payToAmount")["value"] = "3.00" }), rawReq{}, "PARAM_ILLEGAL"},
		{"notifyPayment negative payToAmount", notifyPath, notify(open.PaymentRequestID, func(m map[string]any) { amt(m, "payToAmount")["value"] = "-300" }), rawReq{}, "PARAM_ILLEGAL"},
		{"notifyPayment huge payToAmount", notifyPath, notify(open.PaymentRequestID, func(m map[string]any) { amt(m, "payToAmount")["value"] = "99999999999999999999" }), rawReq{}, "PARAM_ILLEGAL"},
		{"notifyPayment unknown currency", notifyPath, notify(open.PaymentRequestID, func(m map[string]any) { amt(m, "payToAmount")["currency"] = "ABC" }), rawReq{}, "PARAM_ILLEGAL"},
		{"notifyPayment bad paymentTime", notifyPath, notify(open.PaymentRequestID, func(m map[string]any) { m["paymentTime"] = "now" }), rawReq{}, "PARAM_ILLEGAL"},
		{`notifyPayment "" paymentId`, notifyPath, notify(open.PaymentRequestID, func(m map[string]any) { m["paymentId"] = "" }), rawReq{}, "PARAM_ILLEGAL"},
		{"notifyPayment paymentRequestId over 64", notifyPath, notify(strings.Repeat("1", 65), nil), rawReq{}, "PARAM_ILLEGAL"},
		{"notifyPayment contradicting the settled one", notifyPath, notify(settled.PaymentRequestID, func(m map[string]any) {
			m["paymentId"] = settledPay.PaymentID
			m["paymentResult"] = map[string]any{"resultStatus": "F", "resultCode": "USER_BALANCE_NOT_ENOUGH"}
		}), rawReq{}, "REPEAT_REQ_INCONSISTENT"},
		// The acquirer's userInitiatedPay, called by Alipay+.
		{"acquirer signed by the wallet", acqPath, acqUIP(nil), rawReq{clientID: simulator.DefaultAcquirerClientID}, "INVALID_SIGNATURE"},
		{"acquirer called as the wallet", acqPath, acqUIP(nil), rawReq{}, "INVALID_CLIENT"},
		{"acquirer unknown order", acqPath, acqUIP(nil), acq, "INVALID_CODE"},
		{"acquirer no codeValue", acqPath, acqUIP(func(m map[string]any) { delete(m, "codeValue") }), acq, "PARAM_ILLEGAL"},
		{"acquirer truncated JSON", acqPath, acqUIP(nil)[:15], acq, "PARAM_ILLEGAL"},
		{"acquirer form encoded", acqPath, []byte("codeValue=x"), rawReq{clientID: acq.clientID, key: acq.key, contentType: "application/x-www-form-urlencoded"}, "MEDIA_TYPE_NOT_ACCEPTABLE"},
	}
	for _, c := range protocol {
		t.Run(c.name, func(t *testing.T) {
			before := n.simState()
			r := n.raw(t, c.path, c.body, c.opts)
			if r.ResultStatus != "F" || r.ResultCode != c.want || r.ResultMessage == "" {
				t.Errorf("got %s %s (%q), want F %s with a message", r.ResultStatus, r.ResultCode, r.ResultMessage, c.want)
			}
			if after := n.simState(); after != before {
				t.Errorf("the state changed: %s", stateDiff(before, after))
			}
		})
	}

	admin := []struct {
		name, method, path string
		body               string
		want               int
	}{
		{"charge truncated JSON", "POST", "/sim/charge", `{"code":`, 400},
		{"charge unknown field", "POST", "/sim/charge", `{"code":"1","amount":"1.00","tip":"1"}`, 400},
		{"charge 12.345 USD", "POST", "/sim/charge", `{"code":"259999021234567890123456","amount":"12.345","currency":"USD"}`, 400},
		{"charge 1.5 JPY", "POST", "/sim/charge", `{"code":"259999021234567890123456","amount":"1.5","currency":"JPY"}`, 400},
		{"charge 100.0 KRW", "POST", "/sim/charge", `{"code":"259999021234567890123456","amount":"100.0","currency":"KRW"}`, 400},
		{"charge negative", "POST", "/sim/charge", `{"code":"259999021234567890123456","amount":"-1.00"}`, 400},
		{"charge zero", "POST", "/sim/charge", `{"code":"259999021234567890123456","amount":"0.00"}`, 400},
		{"charge 1e3", "POST", "/sim/charge", `{"code":"259999021234567890123456","amount":"1e3"}`, 400},
		{"charge huge", "POST", "/sim/charge", `{"code":"259999021234567890123456","amount":"999999999999999999999"}`, 400},
		{"charge unknown currency", "POST", "/sim/charge", `{"code":"259999021234567890123456","amount":"1.00","currency":"XYZ"}`, 400},
		{"charge amount a number", "POST", "/sim/charge", `{"code":"259999021234567890123456","amount":12.34}`, 400},
		{"charge no code", "POST", "/sim/charge", `{"amount":"1.00"}`, 400},
		{"charge unknown code", "POST", "/sim/charge", `{"code":"259999020000000000000000","amount":"1.00"}`, 422},
		{"charge a used code", "POST", "/sim/charge", `{"code":"` + upm.CodeValue + `","amount":"1.00"}`, 422},
		{"charge description over 256", "POST", "/sim/charge", `{"code":"` + fresh + `","amount":"1.00","description":"` + strings.Repeat("d", 257) + `"}`, 400},
		{"charge merchant name over 256", "POST", "/sim/charge", `{"code":"` + fresh + `","amount":"1.00","merchant":{"merchantName":"` + strings.Repeat("m", 257) + `"}}`, 400},
		{"charge negative waitSeconds", "POST", "/sim/charge", `{"code":"` + fresh + `","amount":"1.00","waitSeconds":-1}`, 400},
		{"charge waitSeconds past the write timeout", "POST", "/sim/charge", `{"code":"` + fresh + `","amount":"1.00","waitSeconds":600}`, 400},
		{"charge 2 MB body", "POST", "/sim/charge", `{"code":"` + strings.Repeat("9", 2<<20) + `"}`, 413},
		{"order 1.234 USD", "POST", "/sim/orders", `{"amount":"1.234","currency":"USD"}`, 400},
		{"order no amount", "POST", "/sim/orders", `{"currency":"USD"}`, 400},
		{"order negative validity", "POST", "/sim/orders", `{"amount":"1.00","validitySeconds":-5}`, 400},
		{"order validity over 24h", "POST", "/sim/orders", `{"amount":"1.00","validitySeconds":90000}`, 400},
		{"order description over 256", "POST", "/sim/orders", `{"amount":"1.00","description":"` + strings.Repeat("d", 257) + `"}`, 400},
		{"order amount zero", "POST", "/sim/orders", `{"amount":"0"}`, 400},
		{"order not JSON", "POST", "/sim/orders", `amount=1`, 400},
		{"payment unknown", "GET", "/sim/payments/nope", ``, 404},
		{"payment wait=abc", "GET", "/sim/payments/" + upm.RequestID + "?wait=abc", ``, 400},
		{"payment wait=5m, past the write timeout", "GET", "/sim/payments/" + upm.RequestID + "?wait=5m", ``, 400},
		{"payment wait=-1s", "GET", "/sim/payments/" + upm.RequestID + "?wait=-1s", ``, 400},
		{"refund unknown payment", "POST", "/sim/payments/nope/refund", `{"amount":"1.00"}`, 404},
		{"refund 0.001 USD", "POST", "/sim/payments/" + upm.RequestID + "/refund", `{"amount":"0.001"}`, 400},
		{"refund not JSON", "POST", "/sim/payments/" + upm.RequestID + "/refund", `1.00`, 400},
		{"cancel unknown payment", "POST", "/sim/payments/nope/cancel", ``, 404},
		{"fault bad spec", "POST", "/sim/faults", `{"spec":"pay:explode"}`, 400},
		{"fault unknown API", "POST", "/sim/faults", `{"spec":"payy:drop"}`, 400},
		{"fault negative count", "POST", "/sim/faults", `{"spec":"pay:drop,count=-1"}`, 400},
		{"fault truncated JSON", "POST", "/sim/faults", `{"spec":`, 400},
		{"remove fault abc", "DELETE", "/sim/faults/abc", ``, 404},
		{"remove fault 999", "DELETE", "/sim/faults/999", ``, 404},
		{"unknown admin path", "GET", "/sim/nope", ``, 404},
	}
	for _, c := range admin {
		t.Run("admin "+c.name, func(t *testing.T) {
			before := n.simState()
			status, body := n.admin(t, c.method, c.path, []byte(c.body))
			if status != c.want || body["error"] == nil || body["error"] == "" {
				t.Errorf("HTTP %d %v, want %d with an error message", status, body, c.want)
			}
			if after := n.simState(); after != before {
				t.Errorf("the state changed: %s", stateDiff(before, after))
			}
		})
	}
	if got := len(protocol) + len(admin); got < 50 {
		t.Errorf("only %d cases", got)
	}

	// Still serving: codes, a charge and a notification go through.
	p := charge(t, n, n.codes("alice", 1)[0].PaymentCode, "1.00", "USD")
	if p.Status != simulator.StatusSuccess {
		t.Errorf("a good charge after the bad requests: %s", p.Status)
	}
	if status, _ := n.admin(t, "GET", "/sim/health", nil); status != 200 {
		t.Errorf("health: HTTP %d", status)
	}
}

// stateDiff shows where two state dumps part.
func stateDiff(before, after string) string {
	i := 0
	for i < len(before) && i < len(after) && before[i] == after[i] {
		i++
	}
	from := max(0, i-120)
	return "before …" + before[from:min(len(before), i+120)] + "…\n after …" + after[from:min(len(after), i+120)] + "…"
}

// TestUnsignedInquiryCodeRulesAnswerIsSigned: inquiryCodeRules answers a
// request without Client-Id or signature (Alipay+'s own SDK sends such),
// and that answer is signed too (raw checks the signature).
func TestUnsignedInquiryCodeRulesAnswerIsSigned(t *testing.T) {
	n := newNetwork(t, fastTiming)
	r := n.raw(t, alipayplus.PathInquiryCodeRules, []byte(`{}`), rawReq{header: map[string]string{"Client-Id": "", "Signature": ""}})
	if r.ResultStatus != "S" {
		t.Errorf("inquiryCodeRules without Client-Id: %+v, want S", r)
	}
}
