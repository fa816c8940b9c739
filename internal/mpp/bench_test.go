package mpp_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/testkit"
)

// BenchmarkPayHandler is the wallet server's part of a payment, without
// the network: verify the request, decode and validate it, debit the
// ledger (one committed transaction), encode and sign the answer. The
// requests are signed before the timer starts.
func BenchmarkPayHandler(b *testing.B) {
	h := newHarness(b)
	h.addUser("u1", "100000000000", "KRW", nil)
	handler := h.srv.Config.Handler
	signer := alipayplus.Signer{ClientID: testClientID, Key: h.alipayKey}
	at := alipayplus.FormatTime(h.clock.Now())
	type req struct {
		body []byte
		sig  string
	}
	reqs := make([]req, b.N)
	for i := range reqs {
		body, _ := alipayplus.Encode(testkit.PayRequest(fmt.Sprintf("PR-%d", i), "u1"))
		sig, err := signer.SignatureHeader(http.MethodPost, alipayplus.PathPay, at, body)
		if err != nil {
			b.Fatal(err)
		}
		reqs[i] = req{body, sig}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := httptest.NewRequestWithContext(context.Background(), http.MethodPost, alipayplus.PathPay, bytes.NewReader(reqs[i].body))
		r.Header.Set("Content-Type", "application/json; charset=UTF-8")
		r.Header.Set("Client-Id", testClientID)
		r.Header.Set("Request-Time", at)
		r.Header.Set("Signature", reqs[i].sig)
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		if !bytes.Contains(w.Body.Bytes(), []byte(`"resultStatus":"S"`)) {
			b.Fatalf("answer: %s", w.Body.Bytes())
		}
	}
}

// BenchmarkPayRoundTrip is a whole pay over loopback HTTP as Alipay+ makes
// it: sign the request, the wallet's part, verify the signed answer (two
// signatures per payment).
func BenchmarkPayRoundTrip(b *testing.B) {
	h := newHarness(b)
	h.addUser("u1", "100000000000", "KRW", nil)
	ctx := context.Background()
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		if _, err := h.alipay.Pay(ctx, testkit.PayRequest(fmt.Sprintf("PR-%d", i), "u1")); err != nil {
			b.Fatal(err)
		}
	}
}
