package alipayplus_test

import (
	"fmt"
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

// manyKeyBody is a hostile 1 MiB request of about 80,000 keys; with dup,
// its last key repeats an earlier one in another case.
func manyKeyBody(dup bool) []byte {
	b := []byte(`{"customerId":"alice"`)
	for i := 0; len(b) < 1<<20-40; i++ {
		b = fmt.Appendf(b, `,"k%d":"v"`, i)
	}
	if dup {
		b = append(b, `,"K1":"w"`...)
	}
	return append(b, '}')
}

// BenchmarkDecodeManyKeys decodes a 1 MiB body of ~80k keys (the
// duplicate-key check was quadratic: 8.2 s a body before, ~40 ms after).
func BenchmarkDecodeManyKeys(b *testing.B) {
	for _, dup := range []bool{false, true} {
		raw := manyKeyBody(dup)
		b.Run(fmt.Sprintf("duplicate=%v", dup), func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				var req alipayplus.GetPaymentCodeRequest
				if _, err := alipayplus.Decode(raw, &req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
