package mpp_test

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
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

const testClientID = "SANDBOX_5YC47N2ZQHJ004124"

// harness is a wallet server on loopback with a real ledger, and an
// Alipay+-side client that calls it as Alipay+ would.
type harness struct {
	t         testing.TB
	clock     *clock.Manual
	dbPath    string
	store     *sqlite.Store
	svc       *wallet.Service
	srv       *httptest.Server
	mppKey    *rsa.PrivateKey
	alipayKey *rsa.PrivateKey
	alipay    *alipayplus.Client
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{
		t:         t,
		clock:     clock.New(time.Date(2026, 11, 25, 12, 0, 0, 0, time.FixedZone("", 8*3600))),
		dbPath:    filepath.Join(t.TempDir(), "wallet.db"),
		mppKey:    testkit.Key(t, "private.pem"),
		alipayKey: testkit.Key(t, "other_private.pem"),
	}
	h.start()
	t.Cleanup(h.stop)
	return h
}

// start opens the ledger and starts the server (again, after stop).
func (h *harness) start() {
	st, err := sqlite.Open(h.dbPath)
	if err != nil {
		h.t.Fatal(err)
	}
	h.store = st
	h.svc = wallet.NewService(st, wallet.WithClock(h.clock))
	h.srv = httptest.NewServer(mpp.NewServer(h.svc, mpp.Config{
		ClientID: testClientID, Key: h.mppKey, AlipayPublicKey: &h.alipayKey.PublicKey,
	}))
	h.alipay = alipayplus.NewClient(h.srv.URL, alipayplus.Signer{ClientID: testClientID, Key: h.alipayKey},
		&h.mppKey.PublicKey, alipayplus.WithClock(h.clock.Now),
		alipayplus.WithRetry(alipayplus.Retry{Deadline: 50 * time.Millisecond, Initial: time.Millisecond, Max: 5 * time.Millisecond}))
}

func (h *harness) stop() {
	if h.srv != nil {
		h.srv.Close()
		h.srv = nil
	}
	if h.store != nil {
		h.store.Close()
		h.store = nil
	}
}

func (h *harness) addUser(id, balance, currency string, edit func(*wallet.User)) wallet.User {
	h.t.Helper()
	m, err := money.Parse(balance, currency)
	if err != nil {
		h.t.Fatal(err)
	}
	u := wallet.User{ID: id, Name: id, Balance: m, KYCVerified: true}
	if edit != nil {
		edit(&u)
	}
	u, err = h.svc.AddUser(context.Background(), u)
	if err != nil {
		h.t.Fatal(err)
	}
	return u
}

func (h *harness) balance(id string) int64 {
	h.t.Helper()
	u, err := h.svc.User(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return u.Balance.Minor
}

// snapshot is everything money-related in the ledger, to prove that a
// rejected request changed nothing.
type snapshot struct {
	Users    []wallet.User
	Payments []wallet.Payment
	Refunds  []wallet.Refund
	Entries  map[string][]wallet.Entry
}

func (h *harness) snapshot() snapshot {
	h.t.Helper()
	ctx := context.Background()
	var s snapshot
	var err error
	if s.Users, err = h.store.Users(ctx); err != nil {
		h.t.Fatal(err)
	}
	if s.Payments, err = h.store.Payments(ctx, wallet.PaymentFilter{}); err != nil {
		h.t.Fatal(err)
	}
	if s.Refunds, err = h.store.Refunds(ctx, ""); err != nil {
		h.t.Fatal(err)
	}
	s.Entries = map[string][]wallet.Entry{}
	for _, u := range s.Users {
		if s.Entries[u.ID], err = h.store.Entries(ctx, u.ID); err != nil {
			h.t.Fatal(err)
		}
	}
	return s
}

func (s snapshot) String() string { b, _ := json.Marshal(s); return string(b) }

// rawOpts shapes a hand-made request.
type rawOpts struct {
	method      string
	signPath    string // URI to sign (default: the path sent)
	signBody    []byte // body to sign (default: the body sent)
	key         *rsa.PrivateKey
	header      map[string]string // set after signing ("" deletes)
	contentType string
}

// raw sends a hand-made request and returns the decoded result, after
// checking that the answer is signed by the wallet.
func (h *harness) raw(path string, body []byte, o rawOpts) (alipayplus.Result, *http.Response) {
	h.t.Helper()
	if o.key == nil {
		o.key = h.alipayKey
	}
	resp, b := testkit.Raw{Method: o.method, URL: h.srv.URL, Path: path, Body: body, SignPath: o.signPath, SignBody: o.signBody,
		ClientID: testClientID, Key: o.key, Time: alipayplus.FormatTime(h.clock.Now()), ContentType: o.contentType, Header: o.header}.Send(h.t)
	if err := alipayplus.VerifyHeader(&h.mppKey.PublicKey, resp.Header.Get("Signature"), http.MethodPost,
		resp.Request.URL.RequestURI(), resp.Header.Get("Client-Id"), resp.Header.Get("Response-Time"), b); err != nil {
		h.t.Errorf("response to %s is not signed by the wallet: %v", path, err)
	}
	var r alipayplus.Response
	if err := json.Unmarshal(b, &r); err != nil {
		h.t.Fatalf("response %q is not JSON: %v", b, err)
	}
	return r.Result, resp
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
