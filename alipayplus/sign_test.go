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

// Values used to build testdata/sign/content.bin (see testdata/sign/README).
const (
	vecMethod   = "POST"
	vecURI      = "/aps/api/v1/payments/pay"
	vecClientID = "TEST_5X00000000000000"
	vecTime     = "2019-05-28T12:12:12+08:00"
)

func readSignTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "sign", name))
	if err != nil {
		t.Fatalf("read testdata: %v", err)
	}
	return b
}

// vector returns the openssl-made test vector: key pair, body, and the
// openssl signature in raw standard base64.
type vector struct {
	body   []byte
	sigB64 string
}

func loadVector(t *testing.T) vector {
	t.Helper()
	return vector{
		body:   readSignTestdata(t, "body.json"),
		sigB64: strings.TrimSpace(string(readSignTestdata(t, "signature.b64"))),
	}
}

func TestSignContentMatchesOpenSSLInput(t *testing.T) {
	v := loadVector(t)
	want := readSignTestdata(t, "content.bin")
	got := SignContent(vecMethod, vecURI, vecClientID, vecTime, v.body)
	if !bytes.Equal(got, want) {
		t.Fatalf("SignContent mismatch:\n got %q\nwant %q", got, want)
	}
	if n := bytes.Count(got, []byte("\n")); n != 1 {
		t.Fatalf("content has %d LFs, want exactly 1", n)
	}
	if bytes.Contains(got, []byte("\r")) {
		t.Fatal("content contains CR")
	}
}

func TestSignMatchesOpenSSL(t *testing.T) {
	v := loadVector(t)
	priv := mustPrivate(t, "private.pem")
	pub := mustPublic(t, "public.pem")
	content := SignContent(vecMethod, vecURI, vecClientID, vecTime, v.body)

	got, err := Sign(priv, content)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	want := url.QueryEscape(v.sigB64)
	if got != want {
		t.Fatalf("Sign = %q, want %q (url.QueryEscape of openssl signature)", got, want)
	}
	if strings.ContainsAny(got, "+/=") {
		t.Fatalf("Sign value %q is not URL-encoded", got)
	}
	// Deterministic.
	again, err := Sign(priv, content)
	if err != nil || again != got {
		t.Fatalf("Sign not deterministic: %q vs %q (err %v)", again, got, err)
	}

	for _, value := range []string{
		got,                                    // url-encoded, as sent
		v.sigB64,                               // raw base64 with + and =
		" " + got + " ",                        // surrounding spaces
		strings.ReplaceAll(v.sigB64, "+", " "), // '+' form-decoded to ' ' by some layer
		strings.TrimRight(v.sigB64, "="),       // padding stripped
	} {
		if err := Verify(pub, content, value); err != nil {
			t.Errorf("Verify(%q...) = %v, want nil", value[:12], err)
		}
	}

	// Whole-header path.
	s := Signer{ClientID: vecClientID, Key: priv}
	header, err := s.SignatureHeader(vecMethod, vecURI, vecTime, v.body)
	if err != nil {
		t.Fatalf("SignatureHeader: %v", err)
	}
	if wantH := "algorithm=RSA256,keyVersion=1,signature=" + want; header != wantH {
		t.Fatalf("SignatureHeader = %q, want %q", header, wantH)
	}
	if err := VerifyHeader(pub, header, vecMethod, vecURI, vecClientID, vecTime, v.body); err != nil {
		t.Fatalf("VerifyHeader: %v", err)
	}
	spaced := "algorithm=RSA256, keyVersion=1, signature=" + v.sigB64
	if err := VerifyHeader(pub, spaced, vecMethod, vecURI, vecClientID, vecTime, v.body); err != nil {
		t.Fatalf("VerifyHeader(raw base64, spaced): %v", err)
	}
}

func TestSignatureVerifyRejects(t *testing.T) {
	v := loadVector(t)
	pub := mustPublic(t, "public.pem")
	otherPub := mustPublic(t, "other_public.pem")
	value := url.QueryEscape(v.sigB64)

	changedBody := bytes.Clone(v.body)
	changedBody[len(changedBody)/2] ^= 0x01
	crlf := bytes.Replace(SignContent(vecMethod, vecURI, vecClientID, vecTime, v.body), []byte("\n"), []byte("\r\n"), 1)

	tests := []struct {
		name    string
		pub     *rsa.PublicKey
		content []byte
		value   string
		want    error
	}{
		{"one byte of body changed", pub, SignContent(vecMethod, vecURI, vecClientID, vecTime, changedBody), value, ErrSignatureMismatch},
		{"body with trailing newline", pub, SignContent(vecMethod, vecURI, vecClientID, vecTime, append(bytes.Clone(v.body), '\n')), value, ErrSignatureMismatch},
		{"wrong URI", pub, SignContent(vecMethod, "/aps/api/v1/payments/inquiryPayment", vecClientID, vecTime, v.body), value, ErrSignatureMismatch},
		{"wrong client id", pub, SignContent(vecMethod, vecURI, "TEST_5X00000000000001", vecTime, v.body), value, ErrSignatureMismatch},
		{"wrong time", pub, SignContent(vecMethod, vecURI, vecClientID, "2019-05-28T12:12:13+08:00", v.body), value, ErrSignatureMismatch},
		{"wrong method", pub, SignContent("GET", vecURI, vecClientID, vecTime, v.body), value, ErrSignatureMismatch},
		{"CRLF instead of LF", pub, crlf, value, ErrSignatureMismatch},
		{"another key", otherPub, SignContent(vecMethod, vecURI, vecClientID, vecTime, v.body), value, ErrSignatureMismatch},
		{"empty value", pub, SignContent(vecMethod, vecURI, vecClientID, vecTime, v.body), "", ErrSignatureMissing},
		{"not base64", pub, SignContent(vecMethod, vecURI, vecClientID, vecTime, v.body), "not*base64!", ErrSignatureMalformed},
		{"bad percent escape", pub, SignContent(vecMethod, vecURI, vecClientID, vecTime, v.body), "abc%zz", ErrSignatureMalformed},
		{"truncated", pub, SignContent(vecMethod, vecURI, vecClientID, vecTime, v.body), v.sigB64[:40], ErrSignatureMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.pub, tt.content, tt.value)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
		})
	}

	if err := Verify(nil, nil, value); err == nil {
		t.Fatal("Verify(nil key) = nil, want error")
	}
}

func TestVerifySignatureHeaderRejects(t *testing.T) {
	v := loadVector(t)
	pub := mustPublic(t, "public.pem")
	value := url.QueryEscape(v.sigB64)
	tests := []struct {
		name   string
		header string
		uri    string
		want   error
	}{
		{"no header", "", vecURI, ErrSignatureMissing},
		{"unknown algorithm", "algorithm=RSA512,keyVersion=1,signature=" + value, vecURI, ErrUnsupportedAlgorithm},
		{"wrong uri", "algorithm=RSA256,keyVersion=1,signature=" + value, "/other", ErrSignatureMismatch},
		{"garbage value", "algorithm=RSA256,keyVersion=1,signature=@@@", vecURI, ErrSignatureMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := VerifyHeader(pub, tt.header, vecMethod, tt.uri, vecClientID, vecTime, v.body)
			if !errors.Is(err, tt.want) {
				t.Fatalf("VerifyHeader = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSignVerifyGeneratedKey(t *testing.T) {
	k, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if k.N.BitLen() != 2048 {
		t.Fatalf("GenerateKey: %d bits, want 2048", k.N.BitLen())
	}
	body := []byte(`{"a":"b"}`)
	s := Signer{ClientID: "SANDBOX_1", KeyVersion: "2", Key: k}
	h, err := s.SignatureHeader("POST", "/aps/api/v1/payments/notifyPayment", "2025-02-20T08:51:49.09Z", body)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "algorithm=RSA256,keyVersion=2,signature=") {
		t.Fatalf("header = %q", h)
	}
	if err := VerifyHeader(&k.PublicKey, h, "POST", "/aps/api/v1/payments/notifyPayment", "SANDBOX_1", "2025-02-20T08:51:49.09Z", body); err != nil {
		t.Fatalf("VerifyHeader: %v", err)
	}
	if err := VerifyHeader(&k.PublicKey, h, "POST", "/aps/api/v1/payments/notifyPayment", "SANDBOX_2", "2025-02-20T08:51:49.09Z", body); !errors.Is(err, ErrSignatureMismatch) {
		t.Fatalf("VerifyHeader with other client id = %v, want mismatch", err)
	}
}

func TestSignerErrors(t *testing.T) {
	priv := mustPrivate(t, "private.pem")
	tests := []struct {
		name                string
		s                   Signer
		method, uri, tstamp string
	}{
		{"no key", Signer{ClientID: "C"}, "POST", "/x", "t"},
		{"no client id", Signer{Key: priv}, "POST", "/x", "t"},
		{"no method", Signer{ClientID: "C", Key: priv}, "", "/x", "t"},
		{"no uri", Signer{ClientID: "C", Key: priv}, "POST", "", "t"},
		{"no timestamp", Signer{ClientID: "C", Key: priv}, "POST", "/x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if h, err := tt.s.SignatureHeader(tt.method, tt.uri, tt.tstamp, nil); err == nil {
				t.Fatalf("SignatureHeader = %q, nil; want error", h)
			}
		})
	}
	if _, err := Sign(nil, []byte("x")); err == nil {
		t.Fatal("Sign(nil key) = nil error")
	}
}

func TestParseSignatureHeader(t *testing.T) {
	v := loadVector(t)
	enc := url.QueryEscape(v.sigB64)
	if !strings.Contains(enc, "%3D") || !strings.Contains(v.sigB64, "+") {
		t.Fatalf("test vector should contain '=' padding and '+': %q", v.sigB64)
	}
	tests := []struct {
		name    string
		in      string
		want    SignatureHeader
		wantErr error
	}{
		{"no spaces", "algorithm=RSA256,keyVersion=1,signature=" + enc,
			SignatureHeader{"RSA256", "1", enc}, nil},
		{"comma-space", "algorithm=RSA256, keyVersion=1, signature=" + enc,
			SignatureHeader{"RSA256", "1", enc}, nil},
		{"spaces around everything", "  algorithm = RSA256 ,  keyVersion = 0 ,  signature = " + enc + "  ",
			SignatureHeader{"RSA256", "0", enc}, nil},
		{"reordered, mixed case keys", "KeyVersion=1,ALGORITHM=RSA256,Signature=" + enc,
			SignatureHeader{"RSA256", "1", enc}, nil},
		{"signature first", "signature=" + enc + ",algorithm=RSA256,keyVersion=1",
			SignatureHeader{"RSA256", "1", enc}, nil},
		{"lower-case algorithm value", "algorithm=rsa256,keyVersion=1,signature=" + enc,
			SignatureHeader{"rsa256", "1", enc}, nil},
		{"value with %3D", "algorithm=RSA256,keyVersion=1,signature=abcd%2B%2Fe%3D",
			SignatureHeader{"RSA256", "1", "abcd%2B%2Fe%3D"}, nil},
		{"raw base64 with + and =", "algorithm=RSA256,keyVersion=1,signature=" + v.sigB64,
			SignatureHeader{"RSA256", "1", v.sigB64}, nil},
		{"no algorithm, no keyVersion", "signature=" + enc,
			SignatureHeader{"", "", enc}, nil},
		{"unknown extra pair ignored", "algorithm=RSA256,foo=bar,keyVersion=1,signature=" + enc,
			SignatureHeader{"RSA256", "1", enc}, nil},
		{"trailing comma", "algorithm=RSA256,keyVersion=1,signature=" + enc + ",",
			SignatureHeader{"RSA256", "1", enc}, nil},
		{"missing signature", "algorithm=RSA256,keyVersion=1", SignatureHeader{}, ErrSignatureMissing},
		{"empty signature", "algorithm=RSA256,keyVersion=1,signature=", SignatureHeader{}, ErrSignatureMissing},
		{"blank signature", "algorithm=RSA256,keyVersion=1,signature=   ", SignatureHeader{}, ErrSignatureMissing},
		{"empty header", "", SignatureHeader{}, ErrSignatureMissing},
		{"unknown algorithm", "algorithm=RSA2048,keyVersion=1,signature=" + enc, SignatureHeader{}, ErrUnsupportedAlgorithm},
		{"empty algorithm", "algorithm=,keyVersion=1,signature=" + enc, SignatureHeader{}, ErrUnsupportedAlgorithm},
		{"unknown algorithm after signature", "signature=" + enc + ",algorithm=HS256", SignatureHeader{}, ErrUnsupportedAlgorithm},
		{"garbage", "garbage", SignatureHeader{}, ErrSignatureMalformed},
		{"garbage value", "algorithm=RSA256,keyVersion=1,signature=!!not-base64??", SignatureHeader{}, ErrSignatureMalformed},
		{"comma inside value belongs to value", "algorithm=RSA256,keyVersion=1,signature=abc,def", SignatureHeader{}, ErrSignatureMalformed},
		{"repeated algorithm", "algorithm=RSA256,algorithm=RSA256,signature=" + enc, SignatureHeader{}, ErrSignatureMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSignatureHeader(tt.in)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("ParseSignatureHeader(%q) error = %v, want %v", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseSignatureHeader(%q) error = %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("ParseSignatureHeader(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

// TestParseSignatureHeaderCommaValue checks that everything after
// signature= is the value, commas included, unless only known pairs follow.
func TestParseSignatureHeaderCommaValue(t *testing.T) {
	// Split at commas this would be signature "QUJD" plus an ignored
	// unknown pair; as a whole tail, "QUJD,foo=bar" is not base64.
	_, err := ParseSignatureHeader("algorithm=RSA256,signature=QUJD,foo=bar")
	if !errors.Is(err, ErrSignatureMalformed) {
		t.Fatalf("value with comma: err = %v, want malformed (whole tail is the value)", err)
	}
	// With only known pairs after it, the commas separate pairs.
	h, err := ParseSignatureHeader("signature=QUJD, keyVersion=3")
	if err != nil || h.Signature != "QUJD" || h.KeyVersion != "3" || h.Algorithm != "" {
		t.Fatalf("got %+v, %v", h, err)
	}
}

func TestSignatureHeaderString(t *testing.T) {
	tests := []struct {
		in   SignatureHeader
		want string
	}{
		{SignatureHeader{Signature: "abc%3D"}, "algorithm=RSA256,keyVersion=1,signature=abc%3D"},
		{SignatureHeader{Algorithm: "RSA256", KeyVersion: "0", Signature: "x"}, "algorithm=RSA256,keyVersion=0,signature=x"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Round trip through the parser.
	v := loadVector(t)
	h := SignatureHeader{KeyVersion: "7", Signature: url.QueryEscape(v.sigB64)}
	got, err := ParseSignatureHeader(h.String())
	if err != nil {
		t.Fatal(err)
	}
	if got.Algorithm != AlgorithmRSA256 || got.KeyVersion != "7" || got.Signature != h.Signature {
		t.Fatalf("round trip = %+v", got)
	}
}
