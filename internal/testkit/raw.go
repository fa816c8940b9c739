package testkit

import (
	"bytes"
	"crypto/rsa"
	"io"
	"net/http"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// Raw is a hand-made protocol request: signed as a client signs one, then
// changed as a test needs (another method, URI or body signed than sent,
// headers replaced or removed).
type Raw struct {
	Method   string // default POST
	URL      string // the server's base URL
	Path     string // the request URI sent
	Body     []byte
	SignPath string // the URI signed (default Path)
	SignBody []byte // the body signed (default Body)
	ClientID string
	Key      *rsa.PrivateKey
	Time     string // Request-Time, signed and sent
	// ContentType defaults to application/json; charset=UTF-8.
	ContentType string
	// Header is set after signing; "" deletes the header.
	Header map[string]string
}

// Send sends r and returns the answer with its body read, failing the test
// when the request cannot be made or sent.
func (r Raw) Send(t testing.TB) (*http.Response, []byte) {
	t.Helper()
	if r.Method == "" {
		r.Method = http.MethodPost
	}
	if r.SignPath == "" {
		r.SignPath = r.Path
	}
	if r.SignBody == nil {
		r.SignBody = r.Body
	}
	if r.ContentType == "" {
		r.ContentType = "application/json; charset=UTF-8"
	}
	req, err := http.NewRequest(r.Method, r.URL+r.Path, bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	sig, err := alipayplus.Signer{ClientID: r.ClientID, Key: r.Key}.SignatureHeader(http.MethodPost, r.SignPath, r.Time, r.SignBody)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", r.ContentType)
	req.Header.Set("Client-Id", r.ClientID)
	req.Header.Set("Request-Time", r.Time)
	req.Header.Set("Signature", sig)
	for k, v := range r.Header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}
