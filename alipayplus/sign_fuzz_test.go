package alipayplus

import (
	"bytes"
	"crypto/rsa"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Fuzz targets for the Signature header parser and the verifier. Run one
// with, e.g.:
//
//	go test ./alipayplus -run '^$' -fuzz '^FuzzParseSignatureHeader$' -fuzztime 10m -parallel 1
//
// Without -fuzz, go test runs the seed corpus below (and testdata/fuzz/)
// as ordinary tests.

// fuzzTestdata reads a file of testdata/sign.
func fuzzTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "sign", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// fuzzVectorSig is the openssl-made signature of the test vector in raw
// standard base64 (it has '+', '/' and '=' padding).
func fuzzVectorSig(tb testing.TB) string {
	return strings.TrimSpace(string(fuzzTestdata(tb, "signature.b64")))
}

// signatureHeaderSeeds are real header values: the forms Alipay+, its SDKs
// and the docs send, and the shapes the parser's tests pin.
func signatureHeaderSeeds(sigB64 string) []string {
	enc := url.QueryEscape(sigB64)
	return []string{
		"algorithm=RSA256,keyVersion=1,signature=" + enc,              // SDKs, no spaces
		"algorithm=RSA256, keyVersion=1, signature=" + enc,            // docs, comma-space
		"algorithm=RSA256, keyVersion=2, signature=testing_signature", // the MPP SDK's dummy (protocol.md §3.2)
		"  algorithm = RSA256 ,  keyVersion = 0 ,  signature = " + enc + "  ",
		"KeyVersion=1,ALGORITHM=RSA256,Signature=" + enc,
		"signature=" + enc + ",algorithm=RSA256,keyVersion=1",
		"algorithm=RSA256,keyVersion=1,signature=" + sigB64,
		"algorithm=RSA256,keyVersion=1,signature=abcd%2B%2Fe%3D",
		"signature=QUJD, keyVersion=3",
		"algorithm=RSA256,signature=QUJD,foo=bar",
		"algorithm=RSA256,foo=bar,keyVersion=1,signature=" + enc + ",",
		"algorithm=RSA2048,keyVersion=1,signature=" + enc,
		"algorithm=RSA256,algorithm=RSA256,signature=" + enc,
		"algorithm=RSA256,keyVersion=1,signature=",
		"algorithm=RSA256,keyVersion=1,signature=abc%zz",
		"signature=" + enc + ",algorithm=HS256",
		"garbage",
		"",
	}
}

// FuzzParseSignatureHeader: the parser never panics; what it accepts has a
// decodable signature, an RSA256 (or absent) algorithm, and survives a
// round trip through SignatureHeader.String unchanged.
func FuzzParseSignatureHeader(f *testing.F) {
	for _, s := range signatureHeaderSeeds(fuzzVectorSig(f)) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		got, err := ParseSignatureHeader(h)
		if err != nil {
			if got != (SignatureHeader{}) {
				t.Fatalf("error %v with a non-zero header %+v", err, got)
			}
			if !errors.Is(err, ErrSignatureMissing) && !errors.Is(err, ErrSignatureMalformed) && !errors.Is(err, ErrUnsupportedAlgorithm) {
				t.Fatalf("error %v matches no sentinel", err)
			}
			return
		}
		if got.Signature == "" || got.Signature != strings.TrimSpace(got.Signature) {
			t.Fatalf("accepted signature %q: empty or untrimmed", got.Signature)
		}
		if got.Algorithm != "" && !strings.EqualFold(got.Algorithm, AlgorithmRSA256) {
			t.Fatalf("accepted algorithm %q", got.Algorithm)
		}
		sig, err := decodeSignatureValue(got.Signature)
		if err != nil || len(sig) == 0 {
			t.Fatalf("accepted signature %q does not decode: %v", got.Signature, err)
		}
		// Re-format and re-parse: same signature, and the same algorithm
		// and key version once String's defaults are applied.
		again, err := ParseSignatureHeader(got.String())
		if err != nil {
			t.Fatalf("re-parse of %q: %v", got.String(), err)
		}
		want := got
		if want.Algorithm == "" {
			want.Algorithm = AlgorithmRSA256
		}
		if want.KeyVersion == "" {
			want.KeyVersion = defaultKeyVersion
		}
		if again != want {
			t.Fatalf("round trip of %q: got %+v, want %+v", h, again, want)
		}
	})
}

// verifyFuzzVector is the signed message the verifier target mutates.
type verifyFuzzVector struct {
	pub, otherPub *rsa.PublicKey
	content       []byte // what was signed
	sig           []byte // the signature bytes
}

func loadVerifyFuzzVector(tb testing.TB) verifyFuzzVector {
	tb.Helper()
	priv, err := ParsePrivateKey(fuzzTestdata(tb, "private.pem"))
	if err != nil {
		tb.Fatal(err)
	}
	other, err := ParsePublicKey(fuzzTestdata(tb, "other_public.pem"))
	if err != nil {
		tb.Fatal(err)
	}
	sig, err := decodeSignatureValue(fuzzVectorSig(tb))
	if err != nil {
		tb.Fatal(err)
	}
	content := fuzzTestdata(tb, "content.bin")
	if err := Verify(&priv.PublicKey, content, fuzzVectorSig(tb)); err != nil {
		tb.Fatalf("test vector does not verify: %v", err)
	}
	return verifyFuzzVector{pub: &priv.PublicKey, otherPub: other, content: content, sig: sig}
}

// FuzzVerifyHeader feeds the verifier a message (method, URI, Client-Id,
// time, body) and a Signature header, starting from the openssl-signed test
// vector. It must never panic, and it must accept exactly when the content
// is byte-identical to what the key signed and the header carries that
// signature (in any of the accepted encodings): a mutation of the message
// or of the signature bytes must fail, and the other key never verifies.
func FuzzVerifyHeader(f *testing.F) {
	v := loadVerifyFuzzVector(f)
	body := fuzzTestdata(f, "body.json")
	sigB64 := fuzzVectorSig(f)
	for _, h := range signatureHeaderSeeds(sigB64) {
		f.Add(vecMethod, vecURI, vecClientID, vecTime, body, h)
	}
	header := "algorithm=RSA256,keyVersion=1,signature=" + url.QueryEscape(sigB64)
	for _, m := range []struct{ method, uri, client, time string }{
		{"post", vecURI, vecClientID, vecTime},
		{vecMethod, vecURI + "?x=1", vecClientID, vecTime},
		{vecMethod, "/aps/api/v1/payments/inquiryPayment", vecClientID, vecTime},
		{vecMethod, vecURI, vecClientID + ".2019-05-28T12:12:12+08:00", ""},
		{vecMethod, vecURI, "TEST_5X00000000000001", vecTime},
		{vecMethod, vecURI, vecClientID, "2019-05-28T12:12:13+08:00"},
	} {
		f.Add(m.method, m.uri, m.client, m.time, body, header)
	}
	f.Add(vecMethod, vecURI, vecClientID, vecTime, append(bytes.Clone(body), '\n'), header)
	f.Add(vecMethod, vecURI, vecClientID, vecTime, []byte{}, header)
	f.Add(vecMethod, vecURI, vecClientID, vecTime, body, "algorithm=RSA256,keyVersion=1,signature="+strings.ReplaceAll(sigB64, "+", " "))
	f.Add(vecMethod, vecURI, vecClientID, vecTime, body, "signature="+strings.TrimRight(sigB64, "="))

	f.Fuzz(func(t *testing.T, method, uri, clientID, timestamp string, body []byte, header string) {
		content := SignContent(method, uri, clientID, timestamp, body)
		err := VerifyHeader(v.pub, header, method, uri, clientID, timestamp, body)
		if err != nil && !errors.Is(err, ErrSignatureMissing) && !errors.Is(err, ErrSignatureMalformed) &&
			!errors.Is(err, ErrSignatureMismatch) && !errors.Is(err, ErrUnsupportedAlgorithm) {
			t.Fatalf("error %v matches no sentinel", err)
		}
		var sig []byte
		if h, perr := ParseSignatureHeader(header); perr == nil {
			sig, _ = decodeSignatureValue(h.Signature)
		}
		genuine := bytes.Equal(content, v.content) && bytes.Equal(sig, v.sig)
		switch {
		case err == nil && !genuine:
			t.Fatalf("accepted a signature the key did not make:\ncontent %q\nheader %q", content, header)
		case err != nil && genuine:
			t.Fatalf("rejected the genuine signature in header %q: %v", header, err)
		}
		if err := VerifyHeader(v.otherPub, header, method, uri, clientID, timestamp, body); err == nil {
			t.Fatalf("another key verified header %q", header)
		}
	})
}
