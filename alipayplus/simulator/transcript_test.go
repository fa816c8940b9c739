package simulator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// rawSigValue is the signature value inside testSignature: it must never
// be stored.
var rawSigValue = strings.TrimPrefix(testSignature, "algorithm=RSA256,keyVersion=1,signature=")

func seqs(es []Entry) []int64 {
	var out []int64
	for _, e := range es {
		out = append(out, e.Seq)
	}
	return out
}

func TestTranscriptRingAndSince(t *testing.T) {
	tr := NewTranscript(3, nil)
	for i := 1; i <= 5; i++ {
		if e := tr.Record(outgoing(alipayplus.PathPay, cleanPay)); e.Seq != int64(i) {
			t.Fatalf("record %d: Seq = %d", i, e.Seq)
		}
	}
	tests := []struct {
		name string
		got  []Entry
		want []int64
	}{
		{"Entries", tr.Entries(), []int64{3, 4, 5}},
		{"Since(0)", tr.Since(0), []int64{3, 4, 5}},
		{"Since(3)", tr.Since(3), []int64{4, 5}},
		{"Since(5)", tr.Since(5), nil},
	}
	for _, tt := range tests {
		if got := seqs(tt.got); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, got, tt.want)
		}
	}
	if n := NewTranscript(0, nil).Stats().MaxEntries; n != DefaultTranscriptEntries {
		t.Errorf("default capacity = %d, want %d", n, DefaultTranscriptEntries)
	}
	partial := NewTranscript(10, nil)
	partial.Record(outgoing(alipayplus.PathPay, cleanPay))
	if got := seqs(partial.Entries()); !reflect.DeepEqual(got, []int64{1}) {
		t.Errorf("partial ring Entries = %v", got)
	}
}

func TestTranscriptEntryFields(t *testing.T) {
	at := time.Date(2024, 5, 1, 12, 0, 0, 123456789, time.FixedZone("JST", 9*3600))
	tests := []struct {
		name string
		ex   alipayplus.Exchange
		want Entry
	}{
		{"incoming ok", with(incoming(alipayplus.PathGetPaymentCode, cleanGetCode), func(ex *alipayplus.Exchange) { ex.At = at }),
			Entry{At: at.UTC(), Direction: "in", API: APIGetPaymentCode, Method: "POST", URI: alipayplus.PathGetPaymentCode,
				RequestBody: cleanGetCode, ResponseBody: `{"result":{"resultCode":"SUCCESS","resultStatus":"S"}}`, HTTPStatus: 200,
				ResultStatus: "S", ResultCode: "SUCCESS", LatencyMs: 3, Signature: "ok"}},
		{"incoming missing signature", with(incoming(alipayplus.PathNotifyPayment, notifyU), func(ex *alipayplus.Exchange) {
			ex.At = at
			ex.RequestHeader.Del("Signature")
			ex.SignatureErr = alipayplus.ErrSignatureMissing
			ex.Result = alipayplus.Failure(alipayplus.CodeInvalidSignature, "bad")
		}), Entry{At: at.UTC(), Direction: "in", API: APINotifyPayment, Method: "POST", URI: alipayplus.PathNotifyPayment,
			RequestBody: notifyU, ResponseBody: `{"result":{"resultCode":"SUCCESS","resultStatus":"S"}}`, HTTPStatus: 200,
			ResultStatus: "F", ResultCode: alipayplus.CodeInvalidSignature, LatencyMs: 3, Signature: "missing",
			Findings: []Finding{
				{API: APINotifyPayment, Side: "request", Rule: "signature", Field: "Signature", Message: "the Signature header is missing"},
				{API: APINotifyPayment, Side: "request", Rule: "value-set", Field: "paymentResult.resultStatus", Message: notifyUProblem},
			}}},
		{"outgoing invalid signature, result from body", with(outgoing(alipayplus.PathPay, cleanPay), func(ex *alipayplus.Exchange) {
			ex.At = at
			ex.SignatureErr = alipayplus.ErrSignatureMismatch
			ex.Err = errors.New("pay: response signature: signature mismatch")
		}), Entry{At: at.UTC(), Direction: "out", API: APIPay, Method: "POST", URI: "http://wallet.test" + alipayplus.PathPay,
			RequestBody: `{"paymentRequestId":"r1"}`, ResponseBody: cleanPay, HTTPStatus: 200, ResultStatus: "S", ResultCode: "SUCCESS",
			LatencyMs: 12, Error: "pay: response signature: signature mismatch", Signature: "invalid: signature mismatch",
			Findings: []Finding{{API: APIPay, Side: "response", Rule: "signature", Field: "Signature", Message: "signature check failed: signature mismatch"}}}},
		{"outgoing no answer", with(outgoing(alipayplus.PathInquiryPayment, ""), func(ex *alipayplus.Exchange) {
			ex.At, ex.ResponseHeader, ex.HTTPStatus, ex.Duration = at, nil, 0, 1500*time.Microsecond
			ex.Err = errors.New("connection refused")
		}), Entry{At: at.UTC(), Direction: "out", API: APIInquiryPayment, Method: "POST", URI: "http://wallet.test" + alipayplus.PathInquiryPayment,
			RequestBody: `{"paymentRequestId":"r1"}`, LatencyMs: 1.5, Error: "connection refused", Signature: "unchecked"}},
		{"incoming rejected before the body was read", with(incoming(alipayplus.PathGetPaymentCode, ""), func(ex *alipayplus.Exchange) {
			ex.At, ex.RequestBody = at, nil
			ex.Result = alipayplus.Failure(alipayplus.CodeMethodNotSupported, "no")
		}), Entry{At: at.UTC(), Direction: "in", API: APIGetPaymentCode, Method: "POST", URI: alipayplus.PathGetPaymentCode,
			ResponseBody: `{"result":{"resultCode":"SUCCESS","resultStatus":"S"}}`, HTTPStatus: 200,
			ResultStatus: "F", ResultCode: alipayplus.CodeMethodNotSupported, LatencyMs: 3, Signature: "unchecked",
			Findings: []Finding{{API: APIGetPaymentCode, Side: "request", Rule: "method", Message: "the request was not a POST"}}}},
		{"acquirer, via URL", with(outgoing(alipayplus.PathUserInitiatedPay, `{"result":{"resultCode":"SUCCESS","resultStatus":"S"}}`), func(ex *alipayplus.Exchange) {
			ex.At, ex.URL = at, "http://sim.test/acquirer"+alipayplus.PathUserInitiatedPay
			ex.Result = alipayplus.Success()
		}), Entry{At: at.UTC(), Direction: "out", API: APIAcquirerUIP, Method: "POST", URI: "http://sim.test/acquirer" + alipayplus.PathUserInitiatedPay,
			RequestBody: `{"paymentRequestId":"r1"}`, ResponseBody: `{"result":{"resultCode":"SUCCESS","resultStatus":"S"}}`, HTTPStatus: 200,
			ResultStatus: "S", ResultCode: "SUCCESS", LatencyMs: 12, Signature: "ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NewTranscript(5, nil).Record(tt.ex)
			got.RequestHeaders, got.ResponseHeaders = nil, nil // checked in TestTranscriptRedaction
			tt.want.Seq = 1
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Record() =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestTranscriptRedaction(t *testing.T) {
	var buf bytes.Buffer
	tr := NewTranscript(10, &buf)
	ex := outgoing(alipayplus.PathPay, cleanPay)
	ex.RequestHeader.Set("Agent-Token", "secret-agent-token")
	ex.RequestHeader.Set("Authorization", "Bearer secret-bearer")
	ex.RequestHeader.Add("X-Trace", "a")
	ex.RequestHeader.Add("X-Trace", "b")
	e := tr.Record(ex)

	fp := fingerprint(rawSigValue)
	wantSig := "algorithm=RSA256,keyVersion=1,signature=" + fp
	if got := e.RequestHeaders["Signature"]; got != wantSig {
		t.Errorf("request Signature = %q, want %q", got, wantSig)
	}
	if got := e.ResponseHeaders["Signature"]; got != wantSig {
		t.Errorf("response Signature = %q, want %q", got, wantSig)
	}
	if !strings.HasPrefix(fp, "<sha256:") || len(fp) != len("<sha256:>")+12 {
		t.Errorf("fingerprint %q: want <sha256:12 hex>", fp)
	}
	for name, want := range map[string]string{"Agent-Token": "<redacted>", "Authorization": "<redacted>", "X-Trace": "a, b", "Client-Id": "SANDBOX_MPP_1"} {
		if got := e.RequestHeaders[name]; got != want {
			t.Errorf("request header %s = %q, want %q", name, got, want)
		}
	}
	mem, err := json.Marshal(tr.Entries())
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{rawSigValue, "secret-agent-token", "secret-bearer"} {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("the JSONL holds %q", secret)
		}
		if strings.Contains(string(mem), secret) || strings.Contains(fmt.Sprintf("%+v", tr.Entries()), secret) {
			t.Errorf("Entries hold %q", secret)
		}
	}
}

func TestTranscriptRedactSignature(t *testing.T) {
	tests := []struct{ in, want string }{
		{"algorithm=RSA256, keyVersion=2, signature=abc%2Bdef", "algorithm=RSA256, keyVersion=2, signature=" + fingerprint("abc%2Bdef")},
		{"signature=abcd,algorithm=RSA256", "signature=" + fingerprint("abcd") + ",algorithm=RSA256"},
		{"algorithm=RSA256,signature=not base64!", "algorithm=RSA256,signature=" + fingerprint("not base64!")},
		{"algorithm=RSA512,signature=abcd", "algorithm=RSA512,signature=" + fingerprint("abcd")},
		{"c2lnbmF0dXJl", fingerprint("c2lnbmF0dXJl")},
		{"algorithm=RSA256,keyVersion=1", "algorithm=RSA256,keyVersion=1"},
		{"algorithm=RSA256,signature=", "algorithm=RSA256,signature="},
	}
	for _, tt := range tests {
		if got := redactSignature(tt.in); got != tt.want {
			t.Errorf("redactSignature(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTranscriptJSONLRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	tr := NewTranscript(10, &buf)
	exs := []alipayplus.Exchange{
		incoming(alipayplus.PathGetPaymentCode, cleanGetCode),
		incoming(alipayplus.PathNotifyPayment, notifyU),
		outgoing(alipayplus.PathPay, `{"result":{"resultCode":"CARD_DECLINED","resultStatus":"F"}}`),
		with(outgoing(alipayplus.PathRefund, "\xff\xfe not utf-8"), func(ex *alipayplus.Exchange) { ex.HTTPStatus = 502 }),
		with(outgoing(alipayplus.PathCancelPayment, ""), func(ex *alipayplus.Exchange) {
			ex.ResponseHeader, ex.HTTPStatus, ex.Err = nil, 0, errors.New("timeout")
		}),
	}
	for _, ex := range exs {
		tr.Record(ex)
	}
	var fromFile []Entry
	sc := bufio.NewScanner(&buf)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		fromFile = append(fromFile, e)
	}
	if !reflect.DeepEqual(fromFile, tr.Entries()) {
		t.Errorf("JSONL entries differ from Entries():\nfile %+v\nmem  %+v", fromFile, tr.Entries())
	}
	if got := tr.Entries()[3].ResponseBody; got != "base64://4gbm90IHV0Zi04" {
		t.Errorf("non-UTF-8 body = %q", got)
	}
	var findings []string
	for _, f := range tr.Findings() {
		findings = append(findings, f.API+":"+f.Rule+"@"+f.Field)
	}
	want := []string{"notifyPayment:value-set@paymentResult.resultStatus", "pay:value-set@result.resultCode", "refund:http-status@", "refund:json@"}
	if !reflect.DeepEqual(findings, want) {
		t.Errorf("Findings() = %v, want %v", findings, want)
	}
	if tr.Err() != nil {
		t.Errorf("Err() = %v", tr.Err())
	}
}

func TestTranscriptSubscribe(t *testing.T) {
	tr := NewTranscript(200, nil)
	fast, stopFast := tr.Subscribe(10)
	slow, stopSlow := tr.Subscribe(1)
	for i := 0; i < 100; i++ {
		tr.Record(outgoing(alipayplus.PathPay, cleanPay)) // must not block on slow
		if i < 3 {
			if e := <-fast; e.Seq != int64(i+1) {
				t.Errorf("fast got Seq %d, want %d", e.Seq, i+1)
			}
		}
	}
	if e := <-slow; e.Seq != 1 {
		t.Errorf("slow subscriber got Seq %d first, want 1", e.Seq)
	}
	stopSlow()
	stopSlow() // idempotent
	if _, ok := <-slow; ok {
		t.Error("slow channel still open after unsubscribe")
	}
	stopFast()
	n := 0
	for range fast { // what was buffered, then closed
		n++
	}
	if n != 10 {
		t.Errorf("fast subscriber had %d buffered entries, want 10", n)
	}
	tr.Record(outgoing(alipayplus.PathPay, cleanPay)) // no subscribers left
	if got := len(tr.Entries()); got != 101 {
		t.Errorf("%d entries, want 101", got)
	}
	def, stop := tr.Subscribe(0)
	defer stop()
	if cap(def) != defaultSubscriberBuffer {
		t.Errorf("default buffer = %d", cap(def))
	}
}

// failingWriter fails every write and counts the attempts.
type failingWriter struct{ calls int }

func (w *failingWriter) Write([]byte) (int, error) {
	w.calls++
	return 0, errors.New("disk full")
}

func TestTranscriptFailingWriter(t *testing.T) {
	w := &failingWriter{}
	tr := NewTranscript(10, w)
	for i := 0; i < 3; i++ {
		if e := tr.Record(outgoing(alipayplus.PathPay, cleanPay)); e.Seq != int64(i+1) {
			t.Errorf("Seq = %d", e.Seq)
		}
	}
	if err := tr.Err(); err == nil || err.Error() != "disk full" {
		t.Errorf("Err() = %v, want disk full", err)
	}
	if w.calls != 1 {
		t.Errorf("writer called %d times, want 1 (writing stops at the first error)", w.calls)
	}
	if got := len(tr.Entries()); got != 3 {
		t.Errorf("%d entries kept, want 3", got)
	}
}

// syncBuffer is a bytes.Buffer safe for the race detector's eyes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func TestTranscriptConcurrentRecord(t *testing.T) {
	const goroutines, each = 20, 50
	var out syncBuffer
	tr := NewTranscript(goroutines*each, &out)
	sub, stop := tr.Subscribe(1)
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if g%2 == 0 {
					tr.Record(incoming(alipayplus.PathGetPaymentCode, cleanGetCode))
				} else {
					tr.Record(outgoing(alipayplus.PathPay, cleanPay))
				}
				if i%10 == 0 {
					_ = tr.Since(int64(i))
					_ = tr.Findings()
				}
			}
		}(g)
	}
	done := make(chan struct{})
	go func() {
		for range sub {
		}
		close(done)
	}()
	wg.Wait()
	stop()
	<-done
	entries := tr.Entries()
	if len(entries) != goroutines*each {
		t.Fatalf("%d entries, want %d", len(entries), goroutines*each)
	}
	for i, e := range entries {
		if e.Seq != int64(i+1) {
			t.Fatalf("entry %d has Seq %d", i, e.Seq)
		}
	}
	lines := strings.Split(strings.TrimSuffix(out.b.String(), "\n"), "\n")
	if len(lines) != goroutines*each {
		t.Fatalf("%d JSONL lines, want %d", len(lines), goroutines*each)
	}
	for i, l := range lines {
		var e Entry
		if err := json.Unmarshal([]byte(l), &e); err != nil || e.Seq != int64(i+1) {
			t.Fatalf("line %d: Seq %d, err %v", i, e.Seq, err)
		}
	}
}

func TestTranscriptFlattenHeaders(t *testing.T) {
	h := http.Header{"content-type": {"application/json"}, "Content-Type": {"text/plain"}, "X-A": {"1", "2"}}
	got := flattenHeaders(h)
	want := map[string]string{"Content-Type": got["Content-Type"], "X-A": "1, 2"}
	if !reflect.DeepEqual(got, want) || (got["Content-Type"] != "application/json, text/plain" && got["Content-Type"] != "text/plain, application/json") {
		t.Errorf("flattenHeaders = %v", got)
	}
	if flattenHeaders(nil) != nil || flattenHeaders(http.Header{}) != nil {
		t.Error("empty headers should flatten to nil")
	}
}
