package mpp_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/testkit"
)

// TestBadInputChangesNothing sends malformed and hostile requests to every
// wallet endpoint: each gets the protocol's result code, a signed answer,
// and leaves the ledger exactly as it was.
func TestBadInputChangesNothing(t *testing.T) {
	h := newHarness(t)
	h.addUser("u1", "50000", "KRW", nil)
	h.addUser("u2", "10", "USD", nil)
	// One real payment so refunds and cancels have something to aim at.
	good, err := h.alipay.Pay(t.Context(), testkit.PayRequest("PR-ok", "u1"))
	if err != nil {
		t.Fatal(err)
	}

	payJSON := func(edit func(m map[string]any)) []byte {
		var m map[string]any
		b := mustJSON(t, testkit.PayRequest("PR-bad", "u1"))
		if err := jsonUnmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			edit(m)
		}
		return mustJSON(t, m)
	}
	sub := func(m map[string]any, key string) map[string]any { return m[key].(map[string]any) }
	pay := alipayplus.PathPay
	otherKey := h.mppKey // a key Alipay+ does not have
	validPay := payJSON(nil)
	refundJSON := func(edit func(m map[string]any)) []byte {
		m := map[string]any{"acquirerId": "a", "pspId": "p", "paymentRequestId": "PR-ok", "paymentId": good.PaymentID,
			"refundRequestId": "RF-bad", "refundAmount": map[string]any{"currency": "KRW", "value": "100"}}
		if edit != nil {
			edit(m)
		}
		return mustJSON(t, m)
	}

	cases := []struct {
		name string
		path string
		body []byte
		opts rawOpts
		want string
	}{
		// Signatures and headers.
		{"missing signature", pay, validPay, rawOpts{header: map[string]string{"Signature": ""}}, "INVALID_SIGNATURE"},
		{"signed by another key", pay, validPay, rawOpts{key: otherKey}, "INVALID_SIGNATURE"},
		{"wrong URI signed", pay, validPay, rawOpts{signPath: alipayplus.PathInquiryPayment}, "INVALID_SIGNATURE"},
		{"body changed after signing", pay, validPay, rawOpts{signBody: payJSON(func(m map[string]any) { sub(m, "payToAmount")["value"] = "1" })}, "INVALID_SIGNATURE"},
		{"Request-Time changed after signing", pay, validPay, rawOpts{header: map[string]string{"Request-Time": "2026-11-25T12:00:01+08:00"}}, "INVALID_SIGNATURE"},
		{"garbage signature header", pay, validPay, rawOpts{header: map[string]string{"Signature": "garbage"}}, "INVALID_SIGNATURE"},
		{"unsupported algorithm", pay, validPay, rawOpts{header: map[string]string{"Signature": "algorithm=RSA512,keyVersion=1,signature=YWJj"}}, "INVALID_SIGNATURE"},
		{"empty signature value", pay, validPay, rawOpts{header: map[string]string{"Signature": "algorithm=RSA256,keyVersion=1,signature="}}, "INVALID_SIGNATURE"},
		{"missing Client-Id", pay, validPay, rawOpts{header: map[string]string{"Client-Id": ""}}, "INVALID_CLIENT"},
		{"unknown Client-Id", pay, validPay, rawOpts{header: map[string]string{"Client-Id": "SANDBOX_SOMEONE_ELSE"}}, "INVALID_CLIENT"},
		{"missing Request-Time", pay, validPay, rawOpts{header: map[string]string{"Request-Time": ""}}, "PARAM_ILLEGAL"},
		{"unparseable Request-Time", pay, validPay, rawOpts{header: map[string]string{"Request-Time": "yesterday"}}, "PARAM_ILLEGAL"},
		// Transport.
		{"GET", pay, nil, rawOpts{method: http.MethodGet}, "METHOD_NOT_SUPPORTED"},
		{"PUT", pay, validPay, rawOpts{method: http.MethodPut}, "METHOD_NOT_SUPPORTED"},
		{"unknown path", "/aps/api/v1/payments/payy", validPay, rawOpts{}, "NO_INTERFACE_DEF"},
		{"root path", "/", validPay, rawOpts{}, "NO_INTERFACE_DEF"},
		{"text/plain", pay, validPay, rawOpts{contentType: "text/plain"}, "MEDIA_TYPE_NOT_ACCEPTABLE"},
		{"form encoded", pay, validPay, rawOpts{contentType: "application/x-www-form-urlencoded"}, "MEDIA_TYPE_NOT_ACCEPTABLE"},
		{"5 MB body", pay, bytes.Repeat([]byte(" "), 5<<20), rawOpts{}, "PARAM_ILLEGAL"},
		// Bodies.
		{"not JSON", pay, []byte("hello"), rawOpts{}, "PARAM_ILLEGAL"},
		{"empty body", pay, []byte{}, rawOpts{}, "PARAM_ILLEGAL"},
		{"JSON array", pay, []byte(`[1,2]`), rawOpts{}, "PARAM_ILLEGAL"},
		{"truncated JSON", pay, validPay[:len(validPay)/2], rawOpts{}, "PARAM_ILLEGAL"},
		{"two JSON objects", pay, append(append([]byte{}, validPay...), validPay...), rawOpts{}, "PARAM_ILLEGAL"},
		{"missing paymentRequestId", pay, payJSON(func(m map[string]any) { delete(m, "paymentRequestId") }), rawOpts{}, "PARAM_ILLEGAL"},
		{"paymentRequestId only in another case", pay, payJSON(func(m map[string]any) { m["PaymentRequestId"] = m["paymentRequestId"]; delete(m, "paymentRequestId") }), rawOpts{}, "PARAM_ILLEGAL"},
		{"customerId only in another case", pay, payJSON(func(m map[string]any) {
			pm := sub(m, "paymentMethod")
			pm["customerid"] = pm["customerId"]
			delete(pm, "customerId")
		}), rawOpts{}, "PARAM_ILLEGAL"},
		{"missing payToAmount", pay, payJSON(func(m map[string]any) { delete(m, "payToAmount") }), rawOpts{}, "PARAM_ILLEGAL"},
		{"missing paymentAmount", pay, payJSON(func(m map[string]any) { delete(m, "paymentAmount") }), rawOpts{}, "PARAM_ILLEGAL"},
		{"missing paymentMethod", pay, payJSON(func(m map[string]any) { delete(m, "paymentMethod") }), rawOpts{}, "PARAM_ILLEGAL"},
		{"missing customerId", pay, payJSON(func(m map[string]any) { delete(sub(m, "paymentMethod"), "customerId") }), rawOpts{}, "PARAM_ILLEGAL"},
		{"missing order", pay, payJSON(func(m map[string]any) { delete(m, "order") }), rawOpts{}, "PARAM_ILLEGAL"},
		{"missing acquirerId", pay, payJSON(func(m map[string]any) { delete(m, "acquirerId") }), rawOpts{}, "PARAM_ILLEGAL"},
		{"null pspId", pay, payJSON(func(m map[string]any) { m["pspId"] = nil }), rawOpts{}, "PARAM_ILLEGAL"},
		{"paymentRequestId over 64", pay, payJSON(func(m map[string]any) { m["paymentRequestId"] = strings.Repeat("9", 65) }), rawOpts{}, "PARAM_ILLEGAL"},
		{`"" optional paymentNotifyUrl`, pay, payJSON(func(m map[string]any) { m["paymentNotifyUrl"] = "" }), rawOpts{}, "PARAM_ILLEGAL"},
		{`"" optional orderDescription`, pay, payJSON(func(m map[string]any) { sub(m, "order")["orderDescription"] = "" }), rawOpts{}, "PARAM_ILLEGAL"},
		{`"" required paymentRequestId`, pay, payJSON(func(m map[string]any) { m["paymentRequestId"] = "" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"object for a string", pay, payJSON(func(m map[string]any) { m["paymentRequestId"] = map[string]any{"a": "b"} }), rawOpts{}, "PARAM_ILLEGAL"},
		{"string for an object", pay, payJSON(func(m map[string]any) { m["payToAmount"] = "1000 KRW" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"decimal amount", pay, payJSON(func(m map[string]any) { sub(m, "payToAmount")["value"] = "10.5" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"negative amount", pay, payJSON(func(m map[string]any) { sub(m, "payToAmount")["value"] = "-1000" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"zero amount", pay, payJSON(func(m map[string]any) { sub(m, "payToAmount")["value"] = "0" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"huge amount", pay, payJSON(func(m map[string]any) { sub(m, "payToAmount")["value"] = "99999999999999999999" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"unknown currency", pay, payJSON(func(m map[string]any) { sub(m, "payToAmount")["currency"] = "XYZ" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"lower-case currency", pay, payJSON(func(m map[string]any) { sub(m, "paymentAmount")["currency"] = "jpy" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"bad paymentExpiryTime", pay, payJSON(func(m map[string]any) { m["paymentExpiryTime"] = "tomorrow" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"paymentExpiryTime without a zone", pay, payJSON(func(m map[string]any) { m["paymentExpiryTime"] = "2026-11-25T12:05:00" }), rawOpts{}, "PARAM_ILLEGAL"},
		// Amounts are whole minor units as a string of ASCII digits: on the
		// wire "more decimals than the currency allows" is any decimal point,
		// whatever the currency's exponent (JPY 0, KRW 0, USD 2).
		{"JPY amount 100.0", pay, payJSON(func(m map[string]any) { sub(m, "paymentAmount")["value"] = "100.0" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"KRW amount as a JSON number 1000.5", pay, payJSON(func(m map[string]any) { sub(m, "payToAmount")["value"] = 1000.5 }), rawOpts{}, "PARAM_ILLEGAL"},
		{"amount +1000", pay, payJSON(func(m map[string]any) { sub(m, "payToAmount")["value"] = "+1000" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"amount 1e3", pay, payJSON(func(m map[string]any) { sub(m, "payToAmount")["value"] = "1e3" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"amount with a space", pay, payJSON(func(m map[string]any) { sub(m, "payToAmount")["value"] = " 1000" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"amount in full-width digits", pay, payJSON(func(m map[string]any) { sub(m, "payToAmount")["value"] = "１０００" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"amount without a value", pay, payJSON(func(m map[string]any) { delete(sub(m, "payToAmount"), "value") }), rawOpts{}, "PARAM_ILLEGAL"},
		{"amount without a currency", pay, payJSON(func(m map[string]any) { delete(sub(m, "payToAmount"), "currency") }), rawOpts{}, "PARAM_ILLEGAL"},
		{"zero paymentAmount", pay, payJSON(func(m map[string]any) { sub(m, "paymentAmount")["value"] = "0" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"customerId over 64", pay, payJSON(func(m map[string]any) { sub(m, "paymentMethod")["customerId"] = strings.Repeat("u", 65) }), rawOpts{}, "PARAM_ILLEGAL"},
		{"paymentMethodId over 128", pay, payJSON(func(m map[string]any) { sub(m, "paymentMethod")["paymentMethodId"] = strings.Repeat("2", 129) }), rawOpts{}, "PARAM_ILLEGAL"},
		{"orderDescription over 256", pay, payJSON(func(m map[string]any) { sub(m, "order")["orderDescription"] = strings.Repeat("d", 257) }), rawOpts{}, "PARAM_ILLEGAL"},
		{"UTF-8 BOM before the JSON", pay, append([]byte("\xef\xbb\xbf"), validPay...), rawOpts{}, "PARAM_ILLEGAL"},
		{"null", pay, []byte("null"), rawOpts{}, "PARAM_ILLEGAL"},
		{"JSON nested 100000 deep", pay, []byte(strings.Repeat("[", 100000) + strings.Repeat("]", 100000)), rawOpts{}, "PARAM_ILLEGAL"},
		{"100 KB Signature header", pay, validPay, rawOpts{header: map[string]string{"Signature": "algorithm=RSA256,keyVersion=1,signature=" + strings.Repeat("A", 100<<10)}}, "INVALID_SIGNATURE"},
		{"100 KB Client-Id", pay, validPay, rawOpts{header: map[string]string{"Client-Id": strings.Repeat("C", 100<<10)}}, "INVALID_CLIENT"},
		{"signature of another request replayed", pay, validPay, rawOpts{signBody: mustJSON(t, testkit.PayRequest("PR-ok", "u1"))}, "INVALID_SIGNATURE"},
		// Business rules that refuse before anything is stored.
		{"not CONNECT_WALLET", pay, payJSON(func(m map[string]any) { sub(m, "paymentMethod")["paymentMethodType"] = "CARD" }), rawOpts{}, "UNAVAILABLE_PAYMENT_METHOD"},
		{"unknown user", pay, payJSON(func(m map[string]any) { sub(m, "paymentMethod")["customerId"] = "ghost" }), rawOpts{}, "USER_NOT_EXIST"},
		{"expired order", pay, payJSON(func(m map[string]any) { m["paymentExpiryTime"] = "2026-11-25T11:59:59+08:00" }), rawOpts{}, "ORDER_IS_CLOSED"},
		{"same id, other amount", pay, payJSON(func(m map[string]any) {
			m["paymentRequestId"] = "PR-ok"
			sub(m, "payToAmount")["value"] = "999"
		}), rawOpts{}, "REPEAT_REQ_INCONSISTENT"},
		// The other endpoints.
		{"inquiry without id", alipayplus.PathInquiryPayment, []byte(`{"acquirerId":"a","pspId":"p"}`), rawOpts{}, "PARAM_ILLEGAL"},
		{"inquiry unknown id", alipayplus.PathInquiryPayment, []byte(`{"acquirerId":"a","pspId":"p","paymentRequestId":"nope"}`), rawOpts{}, "ORDER_NOT_EXIST"},
		{"inquiry bad signature", alipayplus.PathInquiryPayment, []byte(`{"acquirerId":"a","pspId":"p","paymentRequestId":"PR-ok"}`), rawOpts{key: otherKey}, "INVALID_SIGNATURE"},
		{"cancel without id", alipayplus.PathCancelPayment, []byte(`{"acquirerId":"a","pspId":"p"}`), rawOpts{}, "PARAM_ILLEGAL"},
		{"cancel bad signature", alipayplus.PathCancelPayment, []byte(`{"acquirerId":"a","pspId":"p","paymentRequestId":"PR-ok"}`), rawOpts{key: otherKey}, "INVALID_SIGNATURE"},
		{"cancel signed for refund", alipayplus.PathCancelPayment, []byte(`{"acquirerId":"a","pspId":"p","paymentRequestId":"PR-ok"}`), rawOpts{signPath: alipayplus.PathRefund}, "INVALID_SIGNATURE"},
		{"refund without refundRequestId", alipayplus.PathRefund, refundJSON(func(m map[string]any) { delete(m, "refundRequestId") }), rawOpts{}, "PARAM_ILLEGAL"},
		{"refund without paymentId", alipayplus.PathRefund, refundJSON(func(m map[string]any) { delete(m, "paymentId") }), rawOpts{}, "PARAM_ILLEGAL"},
		{"refund decimal amount", alipayplus.PathRefund, refundJSON(func(m map[string]any) { sub(m, "refundAmount")["value"] = "1.5" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"refund more than paid", alipayplus.PathRefund, refundJSON(func(m map[string]any) { sub(m, "refundAmount")["value"] = "1001" }), rawOpts{}, "REFUND_AMOUNT_EXCEED"},
		{"refund other currency", alipayplus.PathRefund, refundJSON(func(m map[string]any) { sub(m, "refundAmount")["currency"] = "USD" }), rawOpts{}, "CURRENCY_NOT_SUPPORT"},
		{"refund unknown payment", alipayplus.PathRefund, refundJSON(func(m map[string]any) { m["paymentRequestId"] = "nope" }), rawOpts{}, "ORDER_NOT_EXIST"},
		{"refund wrong paymentId", alipayplus.PathRefund, refundJSON(func(m map[string]any) { m["paymentId"] = "123" }), rawOpts{}, "ORDER_NOT_EXIST"},
		{"refund bad signature", alipayplus.PathRefund, refundJSON(nil), rawOpts{key: otherKey}, "INVALID_SIGNATURE"},
		{"refund zero", alipayplus.PathRefund, refundJSON(func(m map[string]any) { sub(m, "refundAmount")["value"] = "0" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"refund negative", alipayplus.PathRefund, refundJSON(func(m map[string]any) { sub(m, "refundAmount")["value"] = "-100" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"refund huge", alipayplus.PathRefund, refundJSON(func(m map[string]any) { sub(m, "refundAmount")["value"] = "99999999999999999999" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"refund unknown currency", alipayplus.PathRefund, refundJSON(func(m map[string]any) { sub(m, "refundAmount")["currency"] = "KRX" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"refund amount a string", alipayplus.PathRefund, refundJSON(func(m map[string]any) { m["refundAmount"] = "100 KRW" }), rawOpts{}, "PARAM_ILLEGAL"},
		{`refund "" refundFromAmount`, alipayplus.PathRefund, refundJSON(func(m map[string]any) { m["refundFromAmount"] = "" }), rawOpts{}, "PARAM_ILLEGAL"},
		{"refundRequestId over 64", alipayplus.PathRefund, refundJSON(func(m map[string]any) { m["refundRequestId"] = strings.Repeat("r", 65) }), rawOpts{}, "PARAM_ILLEGAL"},
		{"refund truncated JSON", alipayplus.PathRefund, refundJSON(nil)[:40], rawOpts{}, "PARAM_ILLEGAL"},
		{"refund unknown Client-Id", alipayplus.PathRefund, refundJSON(nil), rawOpts{header: map[string]string{"Client-Id": "SANDBOX_X"}}, "INVALID_CLIENT"},
		{"inquiry id over 64", alipayplus.PathInquiryPayment, []byte(`{"acquirerId":"a","pspId":"p","paymentRequestId":"` + strings.Repeat("9", 65) + `"}`), rawOpts{}, "PARAM_ILLEGAL"},
		{`inquiry "" pspId`, alipayplus.PathInquiryPayment, []byte(`{"acquirerId":"a","pspId":"","paymentRequestId":"PR-ok"}`), rawOpts{}, "PARAM_ILLEGAL"},
		{"inquiry id an object", alipayplus.PathInquiryPayment, []byte(`{"acquirerId":"a","pspId":"p","paymentRequestId":{"id":"PR-ok"}}`), rawOpts{}, "PARAM_ILLEGAL"},
		{"inquiry truncated JSON", alipayplus.PathInquiryPayment, []byte(`{"acquirerId":"a","pspId":"p","paymentReq`), rawOpts{}, "PARAM_ILLEGAL"},
		{"inquiry GET", alipayplus.PathInquiryPayment, nil, rawOpts{method: http.MethodGet}, "METHOD_NOT_SUPPORTED"},
		{"cancel id over 64", alipayplus.PathCancelPayment, []byte(`{"acquirerId":"a","pspId":"p","paymentRequestId":"` + strings.Repeat("9", 65) + `"}`), rawOpts{}, "PARAM_ILLEGAL"},
		{`cancel "" acquirerId`, alipayplus.PathCancelPayment, []byte(`{"acquirerId":"","pspId":"p","paymentRequestId":"PR-ok"}`), rawOpts{}, "PARAM_ILLEGAL"},
		{"cancel truncated JSON", alipayplus.PathCancelPayment, []byte(`{"acquirerId":"a","pspId":"p","paymentRequestId":"PR-`), rawOpts{}, "PARAM_ILLEGAL"},
		{"cancel unknown Client-Id", alipayplus.PathCancelPayment, []byte(`{"acquirerId":"a","pspId":"p","paymentRequestId":"PR-ok"}`), rawOpts{header: map[string]string{"Client-Id": "SANDBOX_X"}}, "INVALID_CLIENT"},
		{"cancel text/plain", alipayplus.PathCancelPayment, []byte(`{"acquirerId":"a","pspId":"p","paymentRequestId":"PR-ok"}`), rawOpts{contentType: "text/plain"}, "MEDIA_TYPE_NOT_ACCEPTABLE"},
	}
	if len(cases) < 90 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := h.snapshot()
			res, httpResp := h.raw(c.path, c.body, c.opts)
			if res.ResultCode != c.want || res.ResultStatus != "F" {
				t.Errorf("got %s %s (%s), want F %s", res.ResultStatus, res.ResultCode, res.ResultMessage, c.want)
			}
			if res.ResultMessage == "" {
				t.Errorf("a failure should say why; resultMessage is empty")
			}
			if httpResp.StatusCode != http.StatusOK {
				t.Errorf("HTTP status %d, want 200 with the result in the body", httpResp.StatusCode)
			}
			if after := h.snapshot(); after.String() != before.String() {
				t.Errorf("the ledger changed:\n got %s\nwant %s", after, before)
			}
		})
	}
	// The server is still serving correctly after all of that.
	if _, err := h.alipay.Pay(t.Context(), testkit.PayRequest("PR-after", "u1")); err != nil {
		t.Errorf("a good pay after the bad ones: %v", err)
	}
}

// TestLenientNumbers: numbers and booleans where strings belong are
// accepted (Alipay+ documents strings, but peers are not always strict).
func TestLenientNumbers(t *testing.T) {
	h := newHarness(t)
	h.addUser("u1", "50000", "KRW", nil)
	body := []byte(`{"acquirerId":"a","pspId":"p","order":{"merchant":{"merchantName":"UGG"}},"paymentRequestId":"PR-n",` +
		`"paymentAmount":{"currency":"JPY","value":100},"payToAmount":{"currency":"KRW","value":1000},` +
		`"paymentMethod":{"paymentMethodType":"CONNECT_WALLET","paymentMethodId":"2810","customerId":"u1"},` +
		`"paymentFactor":{"isInStorePayment":true}}`)
	res, _ := h.raw(alipayplus.PathPay, body, rawOpts{})
	if res.ResultCode != "SUCCESS" {
		t.Fatalf("got %+v, want SUCCESS", res)
	}
	if got := h.balance("u1"); got != 49000 {
		t.Errorf("balance %d, want 49000", got)
	}
}
