package simulator

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
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
	RequestBody     string            `json:"requestBody"`
	ResponseHeaders map[string]string `json:"responseHeaders,omitempty"`
	ResponseBody    string            `json:"responseBody,omitempty"`
	HTTPStatus      int               `json:"httpStatus,omitempty"`
	ResultStatus    string            `json:"resultStatus,omitempty"`
	ResultCode      string            `json:"resultCode,omitempty"`
	LatencyMs       float64           `json:"latencyMs"`
	Error           string            `json:"error,omitempty"`
	// Signature is the verdict on the wallet's signature: "ok", "invalid:
	// <reason>", "missing" or "unchecked". "ok" means no check failed.
	Signature string    `json:"signature"`
	Findings  []Finding `json:"findings,omitempty"`
}

// defaultCapacity is how many entries a transcript keeps by default.
const defaultCapacity = 1000

// defaultSubscriberBuffer is a subscription's buffer when none is given.
const defaultSubscriberBuffer = 64

// Transcript records every exchange: the last entries in memory, all of
// them as JSON lines on an optional writer, and live to subscribers. It is
// safe for concurrent use.
type Transcript struct {
	mu      sync.Mutex
	ring    []Entry // capacity slots, used as a ring
	next    int     // slot of the next entry
	full    bool
	seq     int64
	w       io.Writer
	err     error
	subs    map[int]chan Entry
	nextSub int
}

// NewTranscript returns a transcript that keeps the last capacity entries
// in memory (1000 when capacity <= 0) and, when w is not nil, writes each
// entry to w as one JSON line. The first write error stops the writing; it
// is reported by Err.
func NewTranscript(capacity int, w io.Writer) *Transcript {
	if capacity <= 0 {
		capacity = defaultCapacity
	}
	return &Transcript{ring: make([]Entry, capacity), w: w, subs: map[int]chan Entry{}}
}

// Record turns an exchange into an entry (with its conformance findings),
// numbers, keeps, writes and publishes it, and returns it. It never blocks
// on a subscriber.
func (t *Transcript) Record(ex alipayplus.Exchange) Entry { return t.RecordWith(ex) }

// RecordWith is Record with findings of the simulator's own added to the
// exchange's conformance findings (a disagreement a fault caused).
func (t *Transcript) RecordWith(ex alipayplus.Exchange, extra ...Finding) Entry {
	e := newEntry(ex)
	e.Findings = append(e.Findings, extra...)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.seq++
	e.Seq = t.seq
	t.ring[t.next] = e
	t.next = (t.next + 1) % len(t.ring)
	if t.next == 0 {
		t.full = true
	}
	t.write(e)
	for _, ch := range t.subs {
		select {
		case ch <- e:
		default: // a slow subscriber loses the entry
		}
	}
	return e
}

// write appends e to the writer as one JSON line; t.mu is held.
func (t *Transcript) write(e Entry) {
	if t.w == nil || t.err != nil {
		return
	}
	line, err := json.Marshal(e)
	if err != nil {
		t.err = err
		return
	}
	if _, err := t.w.Write(append(line, '\n')); err != nil {
		t.err = err
	}
}

// Entries returns the entries kept in memory, oldest first.
func (t *Transcript) Entries() []Entry {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.entriesLocked()
}

func (t *Transcript) entriesLocked() []Entry {
	if !t.full {
		return append([]Entry(nil), t.ring[:t.next]...)
	}
	out := make([]Entry, 0, len(t.ring))
	out = append(out, t.ring[t.next:]...)
	return append(out, t.ring[:t.next]...)
}

// Since returns the entries kept in memory whose Seq is greater than seq,
// oldest first.
func (t *Transcript) Since(seq int64) []Entry {
	t.mu.Lock()
	defer t.mu.Unlock()
	all := t.entriesLocked()
	for i, e := range all {
		if e.Seq > seq {
			return all[i:]
		}
	}
	return nil
}

// Findings returns the findings of the entries kept in memory, in order.
func (t *Transcript) Findings() []Finding {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Finding
	for _, e := range t.entriesLocked() {
		out = append(out, e.Findings...)
	}
	return out
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
		RequestBody:     bodyText(ex.RequestBody),
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
