package simulator

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// Entry is one exchange as the transcript keeps it: headers flattened and
// redacted, bodies as text, the result, the signature verdict and the
// conformance findings against the wallet. Entries share their maps and
// slices with the transcript: treat them as read-only.
type Entry struct {
	// Seq numbers entries from 1, in the order they were recorded.
	Seq int64     `json:"seq"`
	At  time.Time `json:"at"`
	// Direction is "in" (the simulator answered) or "out" (it called).
	Direction string `json:"direction"`
	// API is the short name (see APIs), or the path when unknown.
	API    string `json:"api"`
	Method string `json:"method"`
	URI    string `json:"uri"`
	// RequestHeaders and ResponseHeaders hold one string per canonical
	// name, values joined with ", "; signatures and tokens are redacted.
	RequestHeaders map[string]string `json:"requestHeaders"`
	// RequestBody is the body as text, or "base64:" and its base64 when it
	// is not UTF-8.
	RequestBody string `json:"requestBody"`
	// RequestBodyTruncated is set when only the start of the body is kept
	// (RefusedBodyBytes of a request whose sender was not authenticated);
	// RequestBodyBytes is then the size of the whole body.
	RequestBodyTruncated bool              `json:"requestBodyTruncated,omitempty"`
	RequestBodyBytes     int               `json:"requestBodyBytes,omitempty"`
	ResponseHeaders      map[string]string `json:"responseHeaders,omitempty"`
	ResponseBody         string            `json:"responseBody,omitempty"`
	HTTPStatus           int               `json:"httpStatus,omitempty"`
	ResultStatus         string            `json:"resultStatus,omitempty"`
	ResultCode           string            `json:"resultCode,omitempty"`
	LatencyMs            float64           `json:"latencyMs"`
	Error                string            `json:"error,omitempty"`
	// Signature is the verdict on the wallet's signature: "ok", "invalid:
	// <reason>", "missing" or "unchecked". "ok" means no check failed.
	Signature string    `json:"signature"`
	Findings  []Finding `json:"findings,omitempty"`
}

// Subscribe returns a channel that receives every entry recorded from now
// on, and a function that ends the subscription and closes the channel.
// Delivery never blocks Record: when the channel's buffer (buffer entries,
// 64 when buffer <= 0) is full, the subscriber misses the entry.
func (t *Transcript) Subscribe(buffer int) (<-chan Entry, func()) {
	if buffer <= 0 {
		buffer = defaultSubscriberBuffer
	}
	ch := make(chan Entry, buffer)
	t.mu.Lock()
	id := t.nextSub
	t.nextSub++
	t.subs[id] = ch
	t.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			t.mu.Lock()
			delete(t.subs, id)
			close(ch)
			t.mu.Unlock()
		})
	}
}

// Err returns the error that stopped writing to the writer, if any.
func (t *Transcript) Err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

// newEntry builds the entry of an exchange (without its Seq).
func newEntry(ex alipayplus.Exchange) Entry {
	at := ex.At
	if at.IsZero() {
		at = time.Now()
	}
	e := Entry{
		At:              at.UTC().Round(0),
		Direction:       string(ex.Direction),
		API:             exchangeAPI(ex),
		Method:          http.MethodPost, // the only method of the Alipay+ APIs
		URI:             ex.URL,
		RequestHeaders:  flattenHeaders(ex.RequestHeader),
		ResponseHeaders: flattenHeaders(ex.ResponseHeader),
		ResponseBody:    bodyText(ex.ResponseBody),
		HTTPStatus:      ex.HTTPStatus,
		LatencyMs:       float64(ex.Duration) / float64(time.Millisecond),
		Signature:       signatureVerdict(ex),
		Findings:        Check(ex),
	}
	r := ex.Result
	if r.ResultStatus == "" && r.ResultCode == "" && len(ex.ResponseBody) > 0 {
		// The client leaves Result empty when it rejected the answer (a bad
		// signature, say); the body may still tell.
		var resp alipayplus.Response
		if _, err := alipayplus.Decode(ex.ResponseBody, &resp); err == nil {
			r = resp.Result
		}
	}
	e.ResultStatus, e.ResultCode = r.ResultStatus, r.ResultCode
	e.RequestBody = bodyText(ex.RequestBody)
	if ex.Direction == alipayplus.Incoming && e.Signature != "ok" && len(ex.RequestBody) > RefusedBodyBytes {
		// A stranger's body: its start is enough to tell what it was.
		e.RequestBody = bodyText(utf8Prefix(ex.RequestBody, RefusedBodyBytes))
		e.RequestBodyTruncated, e.RequestBodyBytes = true, len(ex.RequestBody)
	}
	if ex.Err != nil {
		e.Error = ex.Err.Error()
	}
	return e
}

// signatureVerdict says whether the wallet's message was signed correctly:
// the request for Incoming exchanges, the answer for Outgoing ones.
func signatureVerdict(ex alipayplus.Exchange) string {
	h := ex.RequestHeader
	if ex.Direction == alipayplus.Outgoing {
		if ex.ResponseHeader == nil && len(ex.ResponseBody) == 0 {
			return "unchecked" // no answer
		}
		h = ex.ResponseHeader
	}
	switch {
	case strings.TrimSpace(h.Get("Signature")) == "":
		return "missing"
	case ex.SignatureErr != nil:
		return "invalid: " + ex.SignatureErr.Error()
	case ex.Direction == alipayplus.Incoming && ex.RequestBody == nil:
		return "unchecked" // rejected before the signature was checked
	}
	return "ok"
}

// bodyText is a body as a string: the text itself when it is UTF-8,
// otherwise "base64:" and its standard base64.
func bodyText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return "base64:" + base64.StdEncoding.EncodeToString(b)
}

// utf8Prefix is b cut to at most n bytes, not inside a UTF-8 sequence
// when b is UTF-8.
func utf8Prefix(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	cut := b[:n]
	if utf8.Valid(b) {
		for len(cut) > 0 && !utf8.Valid(cut) {
			cut = cut[:len(cut)-1]
		}
	}
	return cut
}

// flattenHeaders joins each header's values with ", " under its canonical
// name, redacting secrets; nil when there are none.
func flattenHeaders(h http.Header) map[string]string {
	if len(h) == 0 {
		return nil
	}
	out := make(map[string]string, len(h))
	for name, values := range h {
		name = http.CanonicalHeaderKey(name)
		v := strings.Join(values, ", ")
		if prev, ok := out[name]; ok { // two spellings of one name
			v = prev + ", " + v
		}
		out[name] = v
	}
	for name, v := range out {
		out[name] = redactHeader(name, v)
	}
	return out
}

// redactHeader hides what must not be stored: the signature value (kept as
// a fingerprint, so equal signatures can still be told apart) and any
// token or credential.
func redactHeader(name, v string) string {
	lower := strings.ToLower(name)
	switch {
	case lower == "signature":
		return redactSignature(v)
	case strings.Contains(lower, "authorization"), strings.Contains(lower, "token"), strings.Contains(lower, "cookie"):
		return "<redacted>"
	}
	return v
}

// redactSignature replaces the signature= value of a Signature header with
// a fingerprint, keeping the rest of the header as sent.
func redactSignature(v string) string {
	if h, err := alipayplus.ParseSignatureHeader(v); err == nil && strings.Contains(v, h.Signature) {
		return strings.ReplaceAll(v, h.Signature, fingerprint(h.Signature))
	}
	// Unparseable: everything after "signature=" may be the value.
	if i := strings.Index(strings.ToLower(v), "signature="); i >= 0 {
		rest := strings.TrimSpace(v[i+len("signature="):])
		if rest == "" {
			return v
		}
		return v[:i+len("signature=")] + fingerprint(rest)
	}
	for _, part := range strings.Split(v, ",") {
		if strings.TrimSpace(part) != "" && !isSignatureParam(part) {
			return fingerprint(strings.TrimSpace(v))
		}
	}
	return v // only algorithm= and keyVersion= pairs
}

// isSignatureParam reports whether s is an algorithm= or keyVersion= pair.
func isSignatureParam(s string) bool {
	k, _, ok := strings.Cut(s, "=")
	k = strings.ToLower(strings.TrimSpace(k))
	return ok && (k == "algorithm" || k == "keyversion")
}

// fingerprint names a secret by the start of its SHA-256.
func fingerprint(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "<sha256:" + hex.EncodeToString(sum[:])[:12] + ">"
}
