package mpp_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/testkit"
)

// The protocol has no nonce, and the wallet does not refuse an old
// Request-Time: Alipay+ repeats the identical signed request while an
// outcome is unknown, and clocks drift. What makes a captured request
// harmless to replay is idempotency: pay and cancelPayment by
// paymentRequestId, refund by refundRequestId, inquiryPayment reads only.
// A replay gets the answer the original got (or, after a cancel, the
// payment's final state) and changes nothing; a replay with a new
// Request-Time cannot be made without the key (INVALID_SIGNATURE).
func TestReplayedRequestsAreHarmless(t *testing.T) {
	h := newHarness(t)
	h.addUser("u1", "50000", "KRW", nil)

	// signed captures a request as it crossed the network.
	type captured struct {
		path   string
		body   []byte
		header http.Header
	}
	capture := func(path string, v any) captured {
		body := mustJSON(t, v)
		at := alipayplus.FormatTime(h.clock.Now())
		sig, err := alipayplus.Signer{ClientID: testClientID, Key: h.alipayKey}.SignatureHeader(http.MethodPost, path, at, body)
		if err != nil {
			t.Fatal(err)
		}
		hd := http.Header{}
		hd.Set("Content-Type", "application/json; charset=UTF-8")
		hd.Set("Client-Id", testClientID)
		hd.Set("Request-Time", at)
		hd.Set("Signature", sig)
		return captured{path, body, hd}
	}
	send := func(c captured) map[string]any {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, h.srv.URL+c.path, bytes.NewReader(c.body))
		req.Header = c.header.Clone()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %q is not JSON", c.path, b)
		}
		return m
	}
	same := func(what string, a, b map[string]any) {
		t.Helper()
		if ja, jb := string(mustJSON(t, a)), string(mustJSON(t, b)); ja != jb {
			t.Errorf("%s replayed: got %s, the original got %s", what, jb, ja)
		}
	}

	pay := capture(alipayplus.PathPay, testkit.PayRequest("PR-1", "u1"))
	first := send(pay)
	if first["paymentId"] == nil {
		t.Fatalf("pay: %v", first)
	}
	refund := capture(alipayplus.PathRefund, refundReq("PR-1", first["paymentId"].(string), "RF-1", "100"))
	firstRefund := send(refund)
	before := h.snapshot()

	// An hour, then a day later: the same bytes again.
	for _, later := range []time.Duration{time.Hour, 24 * time.Hour} {
		h.clock.Add(later)
		same("pay", first, send(pay))
		same("refund", firstRefund, send(refund))
		if after := h.snapshot(); after.String() != before.String() {
			t.Errorf("a replay %s later changed the ledger", later)
		}
	}
	// A new Request-Time needs a new signature, which needs the key.
	moved := pay
	moved.header = pay.header.Clone()
	moved.header.Set("Request-Time", alipayplus.FormatTime(h.clock.Now()))
	if got := send(moved)["result"].(map[string]any)["resultCode"]; got != "INVALID_SIGNATURE" {
		t.Errorf("pay replayed with a new Request-Time: %v, want INVALID_SIGNATURE", got)
	}

	// A captured cancel replayed changes nothing either, and the replayed pay
	// then reports the payment's final state: closed, no second debit.
	cancel := capture(alipayplus.PathCancelPayment, h.cancelReq("PR-1"))
	send(cancel)
	afterCancel := h.snapshot()
	h.clock.Add(time.Hour)
	send(cancel)
	res := send(pay)["result"].(map[string]any)
	if res["resultCode"] != "ORDER_IS_CLOSED" {
		t.Errorf("pay replayed after the cancel: %v, want ORDER_IS_CLOSED", res)
	}
	if after := h.snapshot(); after.String() != afterCancel.String() {
		t.Errorf("replayed cancel and pay changed the ledger")
	}
	if got := h.balance("u1"); got != 50000 {
		t.Errorf("balance %d, want 50000", got)
	}
}
