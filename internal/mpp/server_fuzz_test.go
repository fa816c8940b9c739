package mpp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/clock"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/internal/mpp"
	"github.com/mppwallet/mppwallet/internal/testkit"
	"github.com/mppwallet/mppwallet/wallet"
	"github.com/mppwallet/mppwallet/wallet/sqlite"
)

// End-to-end fuzz target for the wallet server. Run it with:
//
//	go test ./internal/mpp -run '^$' -fuzz '^FuzzMPPServer$' -fuzztime 10m -parallel 1

// writeSpy wraps the real SQLite store and counts committed transactions
// that wrote something, so the target knows whether a request changed the
// ledger without listing it.
type writeSpy struct {
	wallet.Store
	commits atomic.Int64
}

func (s *writeSpy) Update(ctx context.Context, fn func(wallet.Tx) error) error {
	var n int
	err := s.Store.Update(ctx, func(tx wallet.Tx) error { return fn(spyTx{tx, &n}) })
	if err == nil && n > 0 {
		s.commits.Add(1)
	}
	return err
}

// spyTx counts the writes of one transaction.
type spyTx struct {
	wallet.Tx
	n *int
}

func (t spyTx) InsertUser(u wallet.User) error       { *t.n++; return t.Tx.InsertUser(u) }
func (t spyTx) UpdateUser(u wallet.User) error       { *t.n++; return t.Tx.UpdateUser(u) }
func (t spyTx) InsertPayment(p wallet.Payment) error { *t.n++; return t.Tx.InsertPayment(p) }
func (t spyTx) UpdatePayment(p wallet.Payment) error { *t.n++; return t.Tx.UpdatePayment(p) }
func (t spyTx) InsertRefund(r wallet.Refund) error   { *t.n++; return t.Tx.InsertRefund(r) }
func (t spyTx) AddEntry(e wallet.Entry) (wallet.Entry, error) {
	*t.n++
	return t.Tx.AddEntry(e)
}
func (t spyTx) MarkClosed(id string, at time.Time) error { *t.n++; return t.Tx.MarkClosed(id, at) }

// fuzzAPIs are the paths the target calls: the wallet's four endpoints, an
// unknown one, and pay with a query string (signed as sent).
var fuzzAPIs = []string{
	alipayplus.PathPay, alipayplus.PathInquiryPayment, alipayplus.PathCancelPayment, alipayplus.PathRefund,
	"/aps/api/v1/payments/notAnAPI", alipayplus.PathPay + "?trace=1",
}

// Signature modes.
const (
	sigGood     = iota // signed by Alipay+'s key over what is sent
	sigWrongKey        // signed by another key
	sigNone            // no Signature header
	sigRaw             // the fuzzed header as is
	sigModes
)

// frameworkCodes are the answers given before a handler runs.
var frameworkCodes = map[string]bool{
	alipayplus.CodeNoInterfaceDef: true, alipayplus.CodeMethodNotSupported: true,
	alipayplus.CodeMediaTypeNotAcceptable: true, alipayplus.CodeInvalidClient: true,
	alipayplus.CodeInvalidSignature: true, alipayplus.CodeParamIllegal: true,
}

// FuzzMPPServer sends arbitrary requests (path, method, body, Client-Id,
// Request-Time, Content-Type and a good, wrong, missing or fuzzed
// signature) to the wallet server's real handler over a real SQLite
// ledger. Every answer is HTTP 200 with a body signed by the wallet and a
// result with a code and status S, F or U (U only for a payment in
// process); the wallet never answers UNKNOWN_EXCEPTION (its own failure).
// A request signed by Alipay+'s key is never refused as unsigned; one that
// is not gets a framework failure and changes nothing; the ledger changes
// only for a signed request that reached its handler.
func FuzzMPPServer(f *testing.F) {
	clock := clock.New(time.Date(2026, 11, 25, 12, 0, 0, 0, time.FixedZone("", 8*3600)))
	st, err := sqlite.Open(filepath.Join(f.TempDir(), "wallet.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	spy := &writeSpy{Store: st}
	svc := wallet.NewService(spy, wallet.WithClock(clock))
	for _, u := range []struct{ id, balance, currency string }{
		{"u1", "900000000000", "KRW"}, {"u2", "10", "JPY"}, {"u3", "1000.00", "USD"},
	} {
		m, err := money.Parse(u.balance, u.currency)
		if err != nil {
			f.Fatal(err)
		}
		if _, err := svc.AddUser(context.Background(), wallet.User{ID: u.id, Name: u.id, Balance: m, KYCVerified: u.id != "u3"}); err != nil {
			f.Fatal(err)
		}
	}
	mppKey, alipayKey := testkit.Key(f, "private.pem"), testkit.Key(f, "other_private.pem")
	handler := mpp.NewServer(svc, mpp.Config{
		ClientID: testClientID, Key: mppKey, AlipayPublicKey: &alipayKey.PublicKey,
	})

	at := alipayplus.FormatTime(clock.Now())
	pay := mustJSON(f, testkit.PayRequest("PR-fuzz-1", "u1"))
	seeds := []struct {
		api, method uint8
		body        string
		client, at  string
		mode        uint8
		header, ct  string
	}{
		{0, 0, string(pay), testClientID, at, sigGood, "", "application/json; charset=UTF-8"},
		{0, 0, string(mustJSON(f, testkit.PayRequest("PR-fuzz-2", "u2"))), testClientID, at, sigGood, "", ""},
		{0, 0, string(mustJSON(f, testkit.PayRequest("PR-fuzz-3", "u3"))), testClientID, at, sigGood, "", ""},
		{0, 0, string(mustJSON(f, testkit.PayRequest("PR-fuzz-4", "nobody"))), testClientID, at, sigGood, "", ""},
		{1, 0, `{"acquirerId":"a","pspId":"p","paymentRequestId":"PR-fuzz-1"}`, testClientID, at, sigGood, "", ""},
		{2, 0, `{"acquirerId":"a","pspId":"p","paymentRequestId":"PR-fuzz-1"}`, testClientID, at, sigGood, "", ""},
		{2, 0, `{"acquirerId":"a","pspId":"p","paymentRequestId":"PR-never-paid"}`, testClientID, at, sigGood, "", ""},
		{3, 0, `{"acquirerId":"a","pspId":"p","paymentRequestId":"PR-fuzz-1","paymentId":"x","refundRequestId":"RF-1",` +
			`"refundAmount":{"currency":"JPY","value":"50"}}`, testClientID, at, sigGood, "", ""},
		{4, 0, `{}`, testClientID, at, sigGood, "", ""},
		{5, 0, string(pay), testClientID, at, sigGood, "", ""},
		{0, 1, string(pay), testClientID, at, sigGood, "", ""},
		{0, 0, string(pay), testClientID, at, sigWrongKey, "", ""},
		{0, 0, string(pay), testClientID, at, sigNone, "", ""},
		{0, 0, string(pay), testClientID, at, sigRaw, "algorithm=RSA256,keyVersion=1,signature=testing_signature", ""},
		{0, 0, string(pay), "SOMEONE_ELSE", at, sigGood, "", ""},
		{0, 0, string(pay), "", at, sigGood, "", ""},
		{0, 0, string(pay), testClientID, "yesterday", sigGood, "", ""},
		{0, 0, string(pay), testClientID, at, sigGood, "", "text/plain"},
		{0, 0, `{"acquirerId":"a","pspId":"p","paymentRequestId":""}`, testClientID, at, sigGood, "", ""},
		{0, 0, `{"paymentAmount":{"currency":"USD","value":"12.34"}}`, testClientID, at, sigGood, "", ""},
		{0, 0, `not json`, testClientID, at, sigGood, "", ""},
		{3, 0, `{"acquirerId":"a","pspId":"p","paymentRequestId":"PR-fuzz-1","paymentId":"x","refundRequestId":"RF-2",` +
			`"refundAmount":{"currency":"JPY","value":"99999999999999999999"}}`, testClientID, at, sigGood, "", ""},
	}
	// The genuine header of the first seed, replayed as a raw header: it
	// verifies only for exactly that message.
	good, err := alipayplus.Signer{ClientID: testClientID, Key: alipayKey}.SignatureHeader(http.MethodPost, alipayplus.PathPay, at, pay)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(uint8(0), uint8(0), pay, testClientID, at, uint8(sigRaw), good, "")
	f.Add(uint8(0), uint8(0), append(bytes.Clone(pay), ' '), testClientID, at, uint8(sigRaw), good, "")
	for _, s := range seeds {
		f.Add(s.api, s.method, []byte(s.body), s.client, s.at, s.mode, s.header, s.ct)
	}

	f.Fuzz(func(t *testing.T, api, method uint8, body []byte, clientID, reqTime string, mode uint8, header, ct string) {
		uri := fuzzAPIs[int(api)%len(fuzzAPIs)]
		verb := http.MethodPost
		if method%8 == 1 {
			verb = http.MethodGet
		}
		req := httptest.NewRequest(verb, uri, bytes.NewReader(body))
		if !setHeader(req, "Client-Id", clientID) || !setHeader(req, "Request-Time", reqTime) || !setHeader(req, "Content-Type", ct) {
			return // not a header value net/http would send
		}
		switch mode % sigModes {
		case sigGood, sigWrongKey:
			key := alipayKey
			if mode%sigModes == sigWrongKey {
				key = mppKey
			}
			if h, err := (alipayplus.Signer{ClientID: clientID, Key: key}).SignatureHeader(http.MethodPost, uri, reqTime, body); err == nil {
				req.Header.Set("Signature", h)
			}
		case sigRaw:
			if !setHeader(req, "Signature", header) {
				return
			}
		}
		// Whether Alipay+ really signed this request (a fuzzed header can
		// be a replayed genuine one).
		signed := clientID == testClientID && alipayplus.VerifyHeader(&alipayKey.PublicKey, req.Header.Get("Signature"),
			http.MethodPost, uri, clientID, reqTime, body) == nil

		before := spy.commits.Load()
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		changed := spy.commits.Load() != before

		if rec.Code != http.StatusOK {
			t.Fatalf("HTTP %d", rec.Code)
		}
		if err := alipayplus.VerifyHeader(&mppKey.PublicKey, rec.Header().Get("Signature"), http.MethodPost, uri,
			rec.Header().Get("Client-Id"), rec.Header().Get("Response-Time"), rec.Body.Bytes()); err != nil {
			t.Fatalf("answer not signed by the wallet: %v\n%s", err, rec.Body.Bytes())
		}
		var resp alipayplus.Response
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatalf("answer is not JSON: %v\n%s", err, rec.Body.Bytes())
		}
		r := resp.Result
		t.Logf("%s %s signed=%v: %s %s, ledger changed %v", verb, uri, signed, r.ResultStatus, r.ResultCode, changed)
		switch {
		case r.ResultCode == "":
			t.Fatalf("answer without a result code: %s", rec.Body.Bytes())
		case r.ResultStatus != alipayplus.StatusSuccess && r.ResultStatus != alipayplus.StatusFail && r.ResultStatus != alipayplus.StatusUnknown:
			t.Fatalf("resultStatus %q", r.ResultStatus)
		case r.ResultStatus == alipayplus.StatusUnknown && r.ResultCode != alipayplus.CodePaymentInProcess:
			t.Fatalf("U %s: the wallet failed on a request: %s", r.ResultCode, rec.Body.Bytes())
		case signed && (r.ResultCode == alipayplus.CodeInvalidSignature || r.ResultCode == alipayplus.CodeInvalidClient):
			t.Fatalf("a request Alipay+ signed was refused: %s", rec.Body.Bytes())
		case !signed && !frameworkCodes[r.ResultCode]:
			t.Fatalf("a request Alipay+ did not sign reached a handler: %s %s", uri, rec.Body.Bytes())
		case changed && (!signed || frameworkCodes[r.ResultCode]):
			t.Fatalf("the ledger changed on a rejected request (%s): %s", r.ResultCode, rec.Body.Bytes())
		}
	})
}

// setHeader sets a header when v is a value net/http would put on the wire
// ("" leaves the header out); it reports false for one it would refuse.
func setHeader(r *http.Request, name, v string) bool {
	if v == "" {
		return true
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c == '\r' || c == '\n' || c == 0 {
			return false
		}
	}
	r.Header.Set(name, v)
	return true
}
