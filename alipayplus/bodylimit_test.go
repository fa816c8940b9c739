package alipayplus_test

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// countingReader counts what the server read of a body.
type countingReader struct {
	r    io.Reader
	read int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += n
	return n, err
}

// A body over MaxBodyBytes is refused with PARAM_ILLEGAL: unread when its
// Content-Length says so, and read no further than the limit when it does
// not; the handler never runs.
func TestServerBodyLimit(t *testing.T) {
	ran := 0
	s := alipayplus.NewServer(alipayplus.ServerConfig{ClientID: "S",
		PublicKey: func(string) (*rsa.PublicKey, bool) { return nil, false }})
	alipayplus.Handle(s, alipayplus.PathPay, func(context.Context, *alipayplus.Call, *alipayplus.PayRequest) *alipayplus.PayResponse {
		ran++
		return &alipayplus.PayResponse{}
	}, alipayplus.Unsigned())
	tests := []struct {
		name        string
		size        int
		declared    bool
		wantCode    string
		wantReadMax int
	}{
		{"declared, 1 MiB", 1 << 20, true, alipayplus.CodeParamIllegal, 0},
		{"declared, one byte over", alipayplus.MaxBodyBytes + 1, true, alipayplus.CodeParamIllegal, 0},
		{"undeclared, 1 MiB", 1 << 20, false, alipayplus.CodeParamIllegal, alipayplus.MaxBodyBytes + 64<<10},
		{"at the limit: read, then refused as no JSON", alipayplus.MaxBodyBytes, true, alipayplus.CodeParamIllegal, alipayplus.MaxBodyBytes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := &countingReader{r: strings.NewReader(strings.Repeat("a", tt.size))}
			req := httptest.NewRequest(http.MethodPost, alipayplus.PathPay, body)
			req.ContentLength = -1
			if tt.declared {
				req.ContentLength = int64(tt.size)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, req)
			var r alipayplus.Response
			if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil || w.Code != http.StatusOK || r.Result.ResultCode != tt.wantCode {
				t.Fatalf("HTTP %d %s, want 200 %s", w.Code, w.Body.Bytes(), tt.wantCode)
			}
			if body.read > tt.wantReadMax {
				t.Errorf("read %d bytes of the body, want at most %d", body.read, tt.wantReadMax)
			}
		})
	}
	if ran != 0 {
		t.Errorf("the handler ran %d times", ran)
	}
}
