package alipayplus

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
)

// AlgorithmRSA256 is the only signature algorithm defined by Alipay+:
// SHA256withRSA, i.e. RSASSA-PKCS1-v1_5 with SHA-256.
const AlgorithmRSA256 = "RSA256"

// defaultKeyVersion is the keyVersion sent when none is configured; the
// official SDKs default to 1.
const defaultKeyVersion = "1"

// Signature errors. Functions in this file return them directly or wrapped
// with detail; test with errors.Is.
var (
	// ErrSignatureMissing means there is no Signature header, no
	// signature= pair in it, or an empty signature value.
	ErrSignatureMissing = errors.New("signature missing")
	// ErrSignatureMalformed means the Signature header or its signature
	// value cannot be decoded.
	ErrSignatureMalformed = errors.New("signature malformed")
	// ErrSignatureMismatch means the signature is well-formed but does not
	// verify against the content and public key.
	ErrSignatureMismatch = errors.New("signature mismatch")
	// ErrUnsupportedAlgorithm means the header names an algorithm other
	// than RSA256.
	ErrUnsupportedAlgorithm = errors.New("unsupported signature algorithm")
)

// signCount and verifyCount count the RSA operations of this process, for
// the benchmark's ceiling (mppwallet bench): an atomic add is nothing next
// to an RSA-2048 signature.
var signCount, verifyCount atomic.Uint64

// SignatureCounts reports how many RSA signatures Sign has made and how many
// signatures Verify has checked (including ones that did not verify) in
// this process so far. Every signed message of every side running in the
// process goes through Sign, so the difference of two readings is the
// signing work done in between.
func SignatureCounts() (signed, verified uint64) {
	return signCount.Load(), verifyCount.Load()
}

// SignContent builds the exact bytes that Alipay+ signs:
//
//	<method> <requestURI>\n<clientID>.<timestamp>.<body>
//
// with a single LF. requestURI is the path plus any query string, without
// scheme or host. timestamp is the Request-Time header for requests and the
// Response-Time header for responses; a response is signed with the URI of
// the request it answers. body must be the raw bytes as sent or received.
// Nothing is normalised (not even the case of method).
func SignContent(method, requestURI, clientID, timestamp string, body []byte) []byte {
	n := len(method) + 1 + len(requestURI) + 1 + len(clientID) + 1 + len(timestamp) + 1 + len(body)
	b := make([]byte, 0, n)
	b = append(b, method...)
	b = append(b, ' ')
	b = append(b, requestURI...)
	b = append(b, '\n')
	b = append(b, clientID...)
	b = append(b, '.')
	b = append(b, timestamp...)
	b = append(b, '.')
	b = append(b, body...)
	return b
}

// Sign signs content (see SignContent) with SHA256withRSA (PKCS#1 v1.5) and
// returns the value to put after "signature=" in the Signature header:
// url.QueryEscape of the standard base64 of the signature. PKCS#1 v1.5 is
// deterministic, so the same key and content always give the same value.
func Sign(key *rsa.PrivateKey, content []byte) (string, error) {
	if key == nil {
		return "", errors.New("alipayplus: sign: nil private key")
	}
	digest := sha256.Sum256(content)
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		return "", fmt.Errorf("alipayplus: sign: %w", err)
	}
	signCount.Add(1)
	return url.QueryEscape(base64.StdEncoding.EncodeToString(sig)), nil
}

// Verify checks value, the signature value as found after "signature=" in a
// Signature header, against content (see SignContent) with the peer's
// public key. value may be URL-encoded (as Alipay+ sends it) or raw
// standard base64. It returns nil, or an error matching ErrSignatureMissing,
// ErrSignatureMalformed or ErrSignatureMismatch.
func Verify(pub *rsa.PublicKey, content []byte, value string) error {
	if pub == nil {
		return errors.New("alipayplus: verify: nil public key")
	}
	sig, err := decodeSignatureValue(value)
	if err != nil {
		return err
	}
	if len(sig) != pub.Size() {
		return fmt.Errorf("%w: signature is %d bytes, the key needs %d", ErrSignatureMalformed, len(sig), pub.Size())
	}
	digest := sha256.Sum256(content)
	verifyCount.Add(1)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
		return ErrSignatureMismatch
	}
	return nil
}

// decodeSignatureValue turns a signature value (URL-encoded base64, or raw
// base64) into signature bytes.
func decodeSignatureValue(value string) ([]byte, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		return nil, ErrSignatureMissing
	}
	if strings.Contains(v, "%") {
		// PathUnescape decodes %XX but, unlike QueryUnescape, keeps '+'
		// as is, so a partly encoded value with a literal '+' survives.
		if u, err := url.PathUnescape(v); err == nil {
			v = u
		}
	}
	// Base64 never contains spaces; a space here is a '+' that some layer
	// form-decoded. (Leniency in the encoding cannot weaken verification:
	// the decoded bytes must still be the exact signature.)
	v = strings.ReplaceAll(v, " ", "+")
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding,
	} {
		if sig, err := enc.DecodeString(v); err == nil && len(sig) > 0 {
			return sig, nil
		}
	}
	return nil, fmt.Errorf("%w: value is not base64", ErrSignatureMalformed)
}

// SignatureHeader is the parsed value of an Alipay+ Signature header,
// e.g. "algorithm=RSA256,keyVersion=1,signature=...".
type SignatureHeader struct {
	// Algorithm is the algorithm pair's value; empty if the pair is absent
	// (which is taken as RSA256).
	Algorithm string
	// KeyVersion is the keyVersion pair's value; empty if absent.
	KeyVersion string
	// Signature is the signature value exactly as found after
	// "signature=" (normally URL-encoded base64), with surrounding spaces
	// trimmed.
	Signature string
}

// ParseSignatureHeader parses a Signature header value. It accepts pairs
// separated by "," with or without spaces, in any order, with
// case-insensitive keys, each split at its first "=". Because Alipay+ puts
// signature= last and its SDKs take everything after it, everything after
// "signature=" is the value, commas included, unless what follows the
// commas is only algorithm=/keyVersion= pairs (a reordered header).
//
// Errors: ErrSignatureMissing (no signature pair or empty value),
// ErrUnsupportedAlgorithm (algorithm other than RSA256), ErrSignatureMalformed
// (a pair without "=", a repeated key, or a value that is not base64).
func ParseSignatureHeader(h string) (SignatureHeader, error) {
	var out SignatureHeader
	h = strings.TrimSpace(h)
	if h == "" {
		return out, ErrSignatureMissing
	}
	var haveAlg, haveVer, haveSig bool
	setPair := func(key, val string) error {
		switch key {
		case "algorithm":
			if haveAlg {
				return fmt.Errorf("%w: repeated algorithm", ErrSignatureMalformed)
			}
			haveAlg, out.Algorithm = true, val
		case "keyversion":
			if haveVer {
				return fmt.Errorf("%w: repeated keyVersion", ErrSignatureMalformed)
			}
			haveVer, out.KeyVersion = true, val
		}
		// Unknown keys are ignored.
		return nil
	}

	rest := h
	for rest != "" {
		part, after, _ := strings.Cut(rest, ",")
		rest = after
		if strings.TrimSpace(part) == "" {
			continue // tolerate ",," and a trailing comma
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return SignatureHeader{}, fmt.Errorf("%w: pair without '='", ErrSignatureMalformed)
		}
		key := strings.ToLower(strings.TrimSpace(k))
		if key != "signature" {
			if err := setPair(key, strings.TrimSpace(v)); err != nil {
				return SignatureHeader{}, err
			}
			continue
		}
		// The value runs to the end of the header, except for trailing
		// parts that are all algorithm=/keyVersion= pairs.
		segs := strings.Split(v+","+rest, ",")
		if rest == "" {
			segs = []string{v}
		}
		cut := len(segs)
		for i := len(segs) - 1; i >= 1; i-- {
			if strings.TrimSpace(segs[i]) != "" && !isKnownPair(segs[i]) {
				break
			}
			cut = i
		}
		out.Signature = strings.TrimSpace(strings.Join(segs[:cut], ","))
		haveSig = true
		for _, s := range segs[cut:] {
			if strings.TrimSpace(s) == "" {
				continue
			}
			pk, pv, _ := strings.Cut(s, "=")
			if err := setPair(strings.ToLower(strings.TrimSpace(pk)), strings.TrimSpace(pv)); err != nil {
				return SignatureHeader{}, err
			}
		}
		break
	}

	if haveAlg && !strings.EqualFold(out.Algorithm, AlgorithmRSA256) {
		return SignatureHeader{}, fmt.Errorf("%w: %q", ErrUnsupportedAlgorithm, truncate(out.Algorithm, 32))
	}
	if !haveSig || out.Signature == "" {
		return SignatureHeader{}, ErrSignatureMissing
	}
	if _, err := decodeSignatureValue(out.Signature); err != nil {
		return SignatureHeader{}, err
	}
	return out, nil
}

// isKnownPair reports whether s is an algorithm= or keyVersion= pair.
func isKnownPair(s string) bool {
	k, _, ok := strings.Cut(s, "=")
	if !ok {
		return false
	}
	switch strings.ToLower(strings.TrimSpace(k)) {
	case "algorithm", "keyversion":
		return true
	}
	return false
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// String formats the header as Alipay+ sends it:
// "algorithm=RSA256,keyVersion=1,signature=<value>", with signature= last.
// An empty Algorithm is written as RSA256 and an empty KeyVersion as 1.
// Signature is written as is, so it should already be URL-encoded (as
// returned by Sign).
func (h SignatureHeader) String() string {
	alg := h.Algorithm
	if alg == "" {
		alg = AlgorithmRSA256
	}
	ver := h.KeyVersion
	if ver == "" {
		ver = defaultKeyVersion
	}
	return "algorithm=" + alg + ",keyVersion=" + ver + ",signature=" + h.Signature
}

// Signer signs outgoing messages (requests, or responses to Alipay+
// requests) for one client.
type Signer struct {
	// ClientID is the Client-Id sent in the message's header.
	ClientID string
	// KeyVersion is the keyVersion to announce; empty means "1".
	KeyVersion string
	// Key is the client's RSA private key.
	Key *rsa.PrivateKey
}

// SignatureHeader signs a message and returns the full Signature header
// value, e.g. "algorithm=RSA256,keyVersion=1,signature=...". timestamp is
// the Request-Time (for a request) or Response-Time (for a response) header
// value sent with the message; for a response, requestURI is the URI of the
// request it answers. body must be the exact bytes put on the wire.
func (s Signer) SignatureHeader(method, requestURI, timestamp string, body []byte) (string, error) {
	switch {
	case s.Key == nil:
		return "", errors.New("alipayplus: signer has no private key")
	case s.ClientID == "":
		return "", errors.New("alipayplus: signer has no client id")
	case method == "":
		return "", errors.New("alipayplus: sign: empty method")
	case requestURI == "":
		return "", errors.New("alipayplus: sign: empty request URI")
	case timestamp == "":
		return "", errors.New("alipayplus: sign: empty timestamp")
	}
	value, err := Sign(s.Key, SignContent(method, requestURI, s.ClientID, timestamp, body))
	if err != nil {
		return "", err
	}
	return SignatureHeader{Algorithm: AlgorithmRSA256, KeyVersion: s.KeyVersion, Signature: value}.String(), nil
}

// VerifyHeader parses a Signature header value and verifies it against the
// message described by method, requestURI, clientID (the message's
// Client-Id header), timestamp (its Request-Time or Response-Time header)
// and the raw body bytes received, using the peer's public key. For a
// response, requestURI is the URI of the request it answers. It returns nil
// or an error matching one of the Err* sentinels of this file.
func VerifyHeader(pub *rsa.PublicKey, header, method, requestURI, clientID, timestamp string, body []byte) error {
	h, err := ParseSignatureHeader(header)
	if err != nil {
		return err
	}
	return Verify(pub, SignContent(method, requestURI, clientID, timestamp, body), h.Signature)
}
