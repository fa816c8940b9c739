package alipayplus_test

import (
	"context"
	"crypto/rsa"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/testkit"
)

// gateway is an Alipay+-side server on the real framework, with handlers
// the test supplies, and a wallet-side client that calls it.
type gateway struct {
	srv    *httptest.Server
	client *alipayplus.Client
	mu     sync.Mutex
	bodies map[string][][]byte // raw request bodies by path
}

func newGateway(t *testing.T, register func(s *alipayplus.Server), opts ...alipayplus.Option) *gateway {
	t.Helper()
	mppKey, alipayKey := testkit.Key(t, "private.pem"), testkit.Key(t, "other_private.pem")
	g := &gateway{bodies: map[string][][]byte{}}
	s := alipayplus.NewServer(alipayplus.ServerConfig{
		Key: alipayKey,
		PublicKey: func(id string) (*rsa.PublicKey, bool) {
			return &mppKey.PublicKey, id == testClientID
		},
		Observe: func(e alipayplus.Exchange) {
			g.mu.Lock()
			g.bodies[e.API] = append(g.bodies[e.API], e.RequestBody)
			g.mu.Unlock()
		},
	})
	register(s)
	g.srv = httptest.NewServer(s)
	t.Cleanup(g.srv.Close)
	opts = append([]alipayplus.Option{alipayplus.WithRetry(alipayplus.Retry{Deadline: 100 * time.Millisecond, Initial: time.Millisecond, Max: 4 * time.Millisecond})}, opts...)
	g.client = alipayplus.NewClient(g.srv.URL, alipayplus.Signer{ClientID: testClientID, Key: mppKey}, &alipayKey.PublicKey, opts...)
	return g
}

func (g *gateway) sent(path string) [][]byte {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([][]byte(nil), g.bodies[path]...)
}

func TestGetPaymentCodeRoundTrip(t *testing.T) {
	g := newGateway(t, func(s *alipayplus.Server) {
		alipayplus.Handle(s, alipayplus.PathGetPaymentCode, func(_ context.Context, c *alipayplus.Call, req *alipayplus.GetPaymentCodeRequest) *alipayplus.GetPaymentCodeResponse {
			resp := &alipayplus.GetPaymentCodeResponse{Response: alipayplus.Response{Result: alipayplus.Success()}}
			start := time.Date(2024, 1, 16, 15, 19, 20, 0, time.FixedZone("", 8*3600))
			for i := 0; i < 3; i++ {
				from := start.Add(time.Duration(i) * 30 * time.Second)
				resp.PaymentCodeInfoList = append(resp.PaymentCodeInfoList, alipayplus.PaymentCodeInfo{
					PaymentCode:           "28100102" + strings.Repeat("0", 15) + string(rune('0'+i)),
					CodeValidityStartTime: alipayplus.FormatTime(from), CodeExpiryTime: alipayplus.FormatTime(from.Add(time.Minute)),
				})
			}
			return resp
		})
	})
	resp, err := g.client.GetPaymentCode(t.Context(), &alipayplus.GetPaymentCodeRequest{
		Region: "PH", CustomerID: "21281", CodeQuantity: "3", Env: &alipayplus.Env{DeviceTokenID: "21212", OSType: "ANDROID", TerminalType: "APP"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.PaymentCodeInfoList) != 3 || resp.PaymentCodeInfoList[1].CodeValidityStartTime != "2024-01-16T15:19:50+08:00" {
		t.Errorf("got %+v", resp.PaymentCodeInfoList)
	}
	// What went on the wire follows the convention: strings, no "".
	sent := string(g.sent(alipayplus.PathGetPaymentCode)[0])
	want := `{"region":"PH","customerId":"21281","codeQuantity":"3","env":{"terminalType":"APP","osType":"ANDROID","deviceTokenId":"21212"}}`
	if sent != want {
		t.Errorf("sent %s\nwant %s", sent, want)
	}
}

func TestGetPaymentCodeValidation(t *testing.T) {
	cases := []struct {
		name string
		req  alipayplus.GetPaymentCodeRequest
		want string // substring of the problem, "" = valid
	}{
		{"valid", alipayplus.GetPaymentCodeRequest{CustomerID: "c", Env: &alipayplus.Env{DeviceTokenID: "d"}}, ""},
		{"no customer", alipayplus.GetPaymentCodeRequest{Env: &alipayplus.Env{DeviceTokenID: "d"}}, "customerId is required"},
		{"long customer", alipayplus.GetPaymentCodeRequest{CustomerID: strings.Repeat("c", 65), Env: &alipayplus.Env{DeviceTokenID: "d"}}, "longer than 64"},
		{"no env", alipayplus.GetPaymentCodeRequest{CustomerID: "c"}, "env is required"},
		{"no device token", alipayplus.GetPaymentCodeRequest{CustomerID: "c", Env: &alipayplus.Env{}}, "env.deviceTokenId is required"},
		{"quantity 0", alipayplus.GetPaymentCodeRequest{CustomerID: "c", CodeQuantity: "0", Env: &alipayplus.Env{DeviceTokenID: "d"}}, "codeQuantity"},
		{"quantity 11", alipayplus.GetPaymentCodeRequest{CustomerID: "c", CodeQuantity: "11", Env: &alipayplus.Env{DeviceTokenID: "d"}}, "codeQuantity"},
		{"quantity x", alipayplus.GetPaymentCodeRequest{CustomerID: "c", CodeQuantity: "x", Env: &alipayplus.Env{DeviceTokenID: "d"}}, "codeQuantity"},
		{"region 3 letters", alipayplus.GetPaymentCodeRequest{CustomerID: "c", Region: "PHL", Env: &alipayplus.Env{DeviceTokenID: "d"}}, "region"},
		{"bad os", alipayplus.GetPaymentCodeRequest{CustomerID: "c", Env: &alipayplus.Env{DeviceTokenID: "d", OSType: "WINDOWS"}}, "env.osType"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.req.Validate()
			switch {
			case c.want == "" && err != nil:
				t.Errorf("got %v, want valid", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("got %v, want a problem mentioning %q", err, c.want)
			}
		})
	}
}

func TestInquiryCodeRulesAndUserInitiatedPayRoundTrip(t *testing.T) {
	g := newGateway(t, func(s *alipayplus.Server) {
		alipayplus.Handle(s, alipayplus.PathInquiryCodeRules, func(_ context.Context, _ *alipayplus.Call, _ *alipayplus.InquiryCodeRulesRequest) *alipayplus.InquiryCodeRulesResponse {
			return &alipayplus.InquiryCodeRulesResponse{Response: alipayplus.Response{Result: alipayplus.Success()}, Version: "c_16_ignet_25",
				CodeRules: []alipayplus.CodeRule{{CodeMatchPattern: &alipayplus.CodeMatchPattern{MatchMethod: "PREFIX", Prefix: "https://aps.testacquirer.com/", Priority: "10000"},
					PostCodeMatchAction: &alipayplus.PostCodeMatchAction{PostCodeMatchActionType: "DECODE"}}}}
		})
		alipayplus.Handle(s, alipayplus.PathUserInitiatedPay, func(_ context.Context, _ *alipayplus.Call, req *alipayplus.UserInitiatedPayRequest) *alipayplus.UserInitiatedPayResponse {
			if req.CodeValue == "https://aps.testacquirer.com/expired" {
				return &alipayplus.UserInitiatedPayResponse{Response: alipayplus.Response{Result: alipayplus.Failure("EXPIRED_CODE", "The code is expired.")}}
			}
			return &alipayplus.UserInitiatedPayResponse{Response: alipayplus.Response{Result: alipayplus.Success()},
				PaymentRequestID: "PR-mpm", CodeType: "ORDER_CODE", PaymentAmount: &alipayplus.Amount{Currency: "SGD", Value: "1234"},
				Order: &alipayplus.Order{Merchant: &alipayplus.Merchant{MerchantName: "Kopi"}}}
		})
	})
	rules, err := g.client.InquiryCodeRules(t.Context(), &alipayplus.InquiryCodeRulesRequest{})
	if err != nil || rules.Version != "c_16_ignet_25" || len(rules.CodeRules) != 1 || rules.CodeRules[0].CodeMatchPattern.Priority != "10000" {
		t.Errorf("inquiryCodeRules: got %+v, %v", rules, err)
	}
	uip, err := g.client.UserInitiatedPay(t.Context(), &alipayplus.UserInitiatedPayRequest{CodeValue: "https://aps.testacquirer.com/o1", CustomerID: "u1"})
	if err != nil || uip.PaymentRequestID != "PR-mpm" || uip.PaymentAmount.String() != "12.34 SGD" || uip.Order.Merchant.MerchantName != "Kopi" {
		t.Errorf("userInitiatedPay: got %+v, %v", uip, err)
	}
	_, err = g.client.UserInitiatedPay(t.Context(), &alipayplus.UserInitiatedPayRequest{CodeValue: "https://aps.testacquirer.com/expired", CustomerID: "u1"})
	var apErr *alipayplus.Error
	if !errors.As(err, &apErr) || apErr.Code != "EXPIRED_CODE" || apErr.Status != "F" || apErr.Message != "The code is expired." {
		t.Errorf("expired code: got %v, want F EXPIRED_CODE with its message", err)
	}
	if errors.Is(err, alipayplus.ErrUnknown) {
		t.Errorf("an F result must not look unknown")
	}
	if n := len(g.sent(alipayplus.PathUserInitiatedPay)); n != 2 {
		t.Errorf("%d userInitiatedPay requests, want 2 (F is not retried)", n)
	}
}

func TestNotifyPaymentValidation(t *testing.T) {
	u := alipayplus.Unknown("PAYMENT_IN_PROCESS", "")
	err := (&alipayplus.NotifyPaymentRequest{PaymentRequestID: "x", PaymentResult: &u}).Validate()
	if err == nil || !strings.Contains(err.Error(), "U is not allowed") {
		t.Errorf("notify with U: got %v, want it refused", err)
	}
}

// TestClientRetriesUnknown: U and no-answer outcomes are retried with the
// identical request until a final answer, or given up as unknown.
func TestClientRetriesUnknown(t *testing.T) {
	var mu sync.Mutex
	answers := map[string][]alipayplus.Result{}
	g := newGateway(t, func(s *alipayplus.Server) {
		alipayplus.Handle(s, alipayplus.PathNotifyPayment, func(_ context.Context, _ *alipayplus.Call, req *alipayplus.NotifyPaymentRequest) *alipayplus.NotifyPaymentResponse {
			mu.Lock()
			defer mu.Unlock()
			list := answers[req.PaymentRequestID]
			r := alipayplus.Unknown("UNKNOWN_EXCEPTION", "try again")
			if len(list) > 0 {
				r, answers[req.PaymentRequestID] = list[0], list[1:]
			}
			return &alipayplus.NotifyPaymentResponse{Response: alipayplus.Response{Result: r}}
		})
	})
	s := alipayplus.Success()
	notify := func(id string) error {
		_, err := g.client.NotifyPayment(t.Context(), &alipayplus.NotifyPaymentRequest{PaymentRequestID: id, PaymentResult: &s})
		return err
	}
	answers["twice-u"] = []alipayplus.Result{alipayplus.Unknown("REQUEST_TRAFFIC_EXCEED_LIMIT", ""), alipayplus.Unknown("UNKNOWN_EXCEPTION", ""), alipayplus.Success()}
	if err := notify("twice-u"); err != nil {
		t.Errorf("U, U, S: got %v, want success", err)
	}
	reqs := g.sent(alipayplus.PathNotifyPayment)
	if len(reqs) != 3 || string(reqs[0]) != string(reqs[2]) {
		t.Errorf("%d attempts, want 3 identical ones", len(reqs))
	}

	err := notify("always-u")
	var apErr *alipayplus.Error
	if !errors.Is(err, alipayplus.ErrUnknown) || !errors.As(err, &apErr) || apErr.Status != "U" {
		t.Errorf("always U: got %v, want an unknown outcome", err)
	}

	answers["fail"] = []alipayplus.Result{alipayplus.Failure("PARAM_ILLEGAL", "bad")}
	before := len(g.sent(alipayplus.PathNotifyPayment))
	if err := notify("fail"); !errors.As(err, &apErr) || apErr.Code != "PARAM_ILLEGAL" {
		t.Errorf("F: got %v", err)
	}
	if n := len(g.sent(alipayplus.PathNotifyPayment)) - before; n != 1 {
		t.Errorf("F was sent %d times, want once", n)
	}

	// RetryingFor stretches the resending of one call, and only for the
	// copy: the "always U" answer keeps coming, so the copy sends for its
	// whole 400 ms and the client itself still gives up after its 100 ms.
	count := func(f func()) int {
		before := len(g.sent(alipayplus.PathNotifyPayment))
		f()
		return len(g.sent(alipayplus.PathNotifyPayment)) - before
	}
	start := time.Now()
	longer := count(func() {
		_, err := g.client.RetryingFor(400*time.Millisecond).NotifyPayment(t.Context(),
			&alipayplus.NotifyPaymentRequest{PaymentRequestID: "always-u", PaymentResult: &s})
		if !errors.Is(err, alipayplus.ErrUnknown) {
			t.Errorf("RetryingFor, always U: got %v, want an unknown outcome", err)
		}
	})
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("RetryingFor(400ms) gave up after %s", d)
	}
	shorter := count(func() { notify("always-u") })
	if longer <= shorter {
		t.Errorf("RetryingFor(400ms) sent %d times, the client alone %d: want more", longer, shorter)
	}
}

func TestClientNoAnswerIsUnknown(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		http.Error(w, "upstream down", http.StatusBadGateway)
	}))
	defer srv.Close()
	hits := 0
	c := alipayplus.NewClient(srv.URL, alipayplus.Signer{ClientID: testClientID, Key: testkit.Key(t, "private.pem")}, nil,
		alipayplus.WithRetry(alipayplus.Retry{Deadline: 50 * time.Millisecond, Initial: time.Millisecond, Max: 2 * time.Millisecond}),
		alipayplus.WithObserver(func(alipayplus.Exchange) { hits++ }))
	_, err := c.InquiryCodeRules(t.Context(), &alipayplus.InquiryCodeRulesRequest{})
	if !errors.Is(err, alipayplus.ErrUnknown) {
		t.Errorf("502 with no result: got %v, want an unknown outcome", err)
	}
	if hits < 2 {
		t.Errorf("%d attempts, want retries", hits)
	}

	// Nothing listening at all.
	srv.Close()
	_, err = c.InquiryCodeRules(t.Context(), &alipayplus.InquiryCodeRulesRequest{})
	if !errors.Is(err, alipayplus.ErrUnknown) {
		t.Errorf("no server: got %v, want an unknown outcome", err)
	}
}

func TestClientTimeoutIsRetried(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	release := make(chan struct{})
	defer close(release)
	g := newGateway(t, func(s *alipayplus.Server) {
		alipayplus.Handle(s, alipayplus.PathInquiryCodeRules, func(ctx context.Context, _ *alipayplus.Call, _ *alipayplus.InquiryCodeRulesRequest) *alipayplus.InquiryCodeRulesResponse {
			mu.Lock()
			calls++
			first := calls == 1
			mu.Unlock()
			if first { // hang past the client's timeout
				select {
				case <-ctx.Done():
				case <-release:
				}
			}
			return &alipayplus.InquiryCodeRulesResponse{Response: alipayplus.Response{Result: alipayplus.Success()}, Version: "v2"}
		})
	}, alipayplus.WithTimeout(20*time.Millisecond), alipayplus.WithRetry(alipayplus.Retry{Deadline: 2 * time.Second, Initial: time.Millisecond, Max: time.Millisecond}))
	resp, err := g.client.InquiryCodeRules(t.Context(), &alipayplus.InquiryCodeRulesRequest{})
	if err != nil || resp.Version != "v2" {
		t.Errorf("got %+v, %v; want the second attempt's answer", resp, err)
	}
}

func TestClientRejectsBadResponseSignature(t *testing.T) {
	mppKey := testkit.Key(t, "private.pem")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := []byte(`{"result":{"resultCode":"SUCCESS","resultStatus":"S"}}`)
		// Signed by the wrong key (the MPP's own), not Alipay+'s.
		at := alipayplus.FormatTime(time.Now())
		sig, _ := alipayplus.Signer{ClientID: testClientID, Key: mppKey}.SignatureHeader("POST", r.URL.Path, at, body)
		w.Header().Set("Response-Time", at)
		w.Header().Set("Client-Id", testClientID)
		w.Header().Set("Signature", sig)
		w.Write(body)
	}))
	defer srv.Close()
	hits := 0
	c := alipayplus.NewClient(srv.URL, alipayplus.Signer{ClientID: testClientID, Key: mppKey}, &testkit.Key(t, "other_private.pem").PublicKey,
		alipayplus.WithObserver(func(alipayplus.Exchange) { hits++ }))
	_, err := c.InquiryCodeRules(t.Context(), &alipayplus.InquiryCodeRulesRequest{})
	if !errors.Is(err, alipayplus.ErrSignatureMismatch) {
		t.Errorf("got %v, want a response signature mismatch", err)
	}
	if hits != 1 {
		t.Errorf("%d attempts, want 1: a forged answer is not retried", hits)
	}
}

const testClientID = "SANDBOX_5YC47N2ZQHJ004124"
