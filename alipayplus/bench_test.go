package alipayplus_test

import (
	"net/http"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/testkit"
)

// BenchmarkSign is one RSA-2048 SHA256withRSA signature of a pay request:
// the unit of the benchmark's ceiling (mppwallet bench).
func BenchmarkSign(b *testing.B) {
	key := testkit.Key(b, "private.pem")
	s := alipayplus.Signer{ClientID: testClientID, Key: key}
	body, _ := alipayplus.Encode(testkit.PayRequest("PR-1", "u1"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.SignatureHeader(http.MethodPost, alipayplus.PathPay, "2026-11-25T12:00:00+08:00", body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify is the check of one such signature.
func BenchmarkVerify(b *testing.B) {
	key := testkit.Key(b, "private.pem")
	s := alipayplus.Signer{ClientID: testClientID, Key: key}
	body, _ := alipayplus.Encode(testkit.PayRequest("PR-1", "u1"))
	const at = "2026-11-25T12:00:00+08:00"
	h, err := s.SignatureHeader(http.MethodPost, alipayplus.PathPay, at, body)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := alipayplus.VerifyHeader(&key.PublicKey, h, http.MethodPost, alipayplus.PathPay, testClientID, at, body); err != nil {
			b.Fatal(err)
		}
	}
}
