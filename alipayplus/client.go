package alipayplus

import (
	"bytes"
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Retry says how a Client repeats a call whose outcome is unknown (U, a
// timeout, no answer): the identical request again after Initial, doubling
// up to Max, until Deadline has passed since the first attempt. The zero
// Retry makes a single attempt.
type Retry struct {
	Deadline time.Duration
	Initial  time.Duration
	Max      time.Duration
}

// DefaultRetry retries for up to 20 s, starting at 250 ms.
var DefaultRetry = Retry{Deadline: 20 * time.Second, Initial: 250 * time.Millisecond, Max: 4 * time.Second}

// Client calls Alipay+ APIs (or, in the simulator, the MPP's) with signed
// requests and verifies signed responses.
type Client struct {
	baseURL string
	signer  Signer
	peer    *rsa.PublicKey
	hc      *http.Client
	timeout time.Duration
	retry   Retry
	now     func() time.Time
	log     *slog.Logger
	observe func(Exchange)
}

// Option configures a Client.
type Option func(*Client)

// defaultHTTP is the HTTP client of every Client not given one: shared, so
// connections are reused across Clients (the simulator makes one per
// call), and with room for as many idle keep-alive connections per host as
// a busy peer needs (http.DefaultTransport keeps 2, so under concurrent
// load most calls paid for a new TCP connection).
var defaultHTTP = func() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: t}
}()

// WithHTTPClient sets the HTTP client (default: one shared by every Client,
// with keep-alive connections).
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithTimeout sets the timeout of one attempt (default 8 s).
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.timeout = d } }

// WithRetry sets the retry policy for unknown outcomes.
func WithRetry(r Retry) Option { return func(c *Client) { c.retry = r } }

// RetryingFor returns a copy of c that resends a call whose outcome stays
// unknown for d, with c's waits between attempts (DefaultRetry's when c
// has none): for a message that must get through, such as notifyPayment.
func (c *Client) RetryingFor(d time.Duration) *Client {
	cp := *c
	cp.retry.Deadline = d
	if cp.retry.Initial <= 0 {
		cp.retry.Initial, cp.retry.Max = DefaultRetry.Initial, DefaultRetry.Max
	}
	return &cp
}

// WithClock sets the clock used for Request-Time.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option { return func(c *Client) { c.log = l } }

// WithObserver sets a function called with every exchange (for transcripts
// and inspectors). It must not block.
func WithObserver(f func(Exchange)) Option { return func(c *Client) { c.observe = f } }

// NewClient returns a client for the server at baseURL (scheme and host,
// e.g. https://open-sea-global.alipayplus.com). It signs with signer and,
// when peer is not nil, verifies every response's signature with it.
func NewClient(baseURL string, signer Signer, peer *rsa.PublicKey, opts ...Option) *Client {
	c := &Client{
		baseURL: strings.TrimRight(baseURL, "/"), signer: signer, peer: peer,
		hc: defaultHTTP, timeout: 8 * time.Second, retry: DefaultRetry, now: time.Now,
		log: slog.New(slog.DiscardHandler),
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// ClientID is the Client-Id the client signs as.
func (c *Client) ClientID() string { return c.signer.ClientID }

// GetPaymentCode asks Alipay+ for payment codes.
func (c *Client) GetPaymentCode(ctx context.Context, req *GetPaymentCodeRequest) (*GetPaymentCodeResponse, error) {
	var resp GetPaymentCodeResponse
	return &resp, c.Call(ctx, PathGetPaymentCode, req, &resp)
}

// InquiryCodeRules fetches the code rules and their version.
func (c *Client) InquiryCodeRules(ctx context.Context, req *InquiryCodeRulesRequest) (*InquiryCodeRulesResponse, error) {
	var resp InquiryCodeRulesResponse
	return &resp, c.Call(ctx, PathInquiryCodeRules, req, &resp)
}

// UserInitiatedPay sends a scanned merchant code for decoding.
func (c *Client) UserInitiatedPay(ctx context.Context, req *UserInitiatedPayRequest) (*UserInitiatedPayResponse, error) {
	var resp UserInitiatedPayResponse
	return &resp, c.Call(ctx, PathUserInitiatedPay, req, &resp)
}

// NotifyPayment reports a final payment result, retrying until Alipay+
// acknowledges it or the retry deadline passes.
func (c *Client) NotifyPayment(ctx context.Context, req *NotifyPaymentRequest) (*NotifyPaymentResponse, error) {
	var resp NotifyPaymentResponse
	return &resp, c.Call(ctx, PathNotifyPayment, req, &resp)
}

// Pay sends a pay request to an MPP (the Alipay+ side of the call).
func (c *Client) Pay(ctx context.Context, req *PayRequest) (*PayResponse, error) {
	var resp PayResponse
	return &resp, c.Call(ctx, PathPay, req, &resp)
}

// InquiryPayment asks an MPP for a payment's outcome.
func (c *Client) InquiryPayment(ctx context.Context, req *InquiryPaymentRequest) (*InquiryPaymentResponse, error) {
	var resp InquiryPaymentResponse
	return &resp, c.Call(ctx, PathInquiryPayment, req, &resp)
}

// CancelPayment asks an MPP to close a payment.
func (c *Client) CancelPayment(ctx context.Context, req *CancelPaymentRequest) (*CancelPaymentResponse, error) {
	var resp CancelPaymentResponse
	return &resp, c.Call(ctx, PathCancelPayment, req, &resp)
}

// Refund asks an MPP to refund a payment.
func (c *Client) Refund(ctx context.Context, req *RefundRequest) (*RefundResponse, error) {
	var resp RefundResponse
	return &resp, c.Call(ctx, PathRefund, req, &resp)
}

// Call posts req to path and decodes the answer into resp. It returns nil
// for S, an *Error for F, and, when the outcome stays unknown (U, timeouts,
// no answer) past the retry deadline, an *Error with Status U that matches
// ErrUnknown. A response whose signature does not verify is an error wrapping
// ErrSignatureMismatch (or another signature error) and is not retried.
func (c *Client) Call(ctx context.Context, path string, req any, resp Responder) error {
	body, err := Encode(req)
	if err != nil {
		return fmt.Errorf("%s: encode request: %w", path, err)
	}
	reqTime := FormatTime(c.now())
	sig, err := c.signer.SignatureHeader(http.MethodPost, path, reqTime, body)
	if err != nil {
		return fmt.Errorf("%s: sign request: %w", path, err)
	}
	deadline := time.Now().Add(c.retry.Deadline)
	wait := c.retry.Initial
	for attempt := 1; ; attempt++ {
		retryable, err := c.attempt(ctx, path, reqTime, sig, body, resp)
		if err == nil || !retryable {
			return err
		}
		c.log.Warn("alipayplus call outcome unknown", "api", path, "attempt", attempt, "err", err)
		if ctx.Err() != nil || c.retry.Deadline <= 0 || time.Now().Add(wait).After(deadline) {
			var apErr *Error
			if errors.As(err, &apErr) {
				return apErr
			}
			return &Error{Status: StatusUnknown, Code: CodeUnknownException, API: path,
				Message: fmt.Sprintf("no answer after %d attempts: %v", attempt, err)}
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		wait = min(wait*2, max(c.retry.Max, c.retry.Initial))
	}
}

// attempt makes one HTTP exchange; retryable reports an unknown outcome.
func (c *Client) attempt(ctx context.Context, path, reqTime, sig string, body []byte, resp Responder) (retryable bool, err error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(actx, http.MethodPost, c.baseURL+path, bytes.NewReader(body))
	if err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	hreq.Header.Set("Content-Type", "application/json; charset=UTF-8")
	hreq.Header.Set("Client-Id", c.signer.ClientID)
	hreq.Header.Set("Request-Time", reqTime)
	hreq.Header.Set("Signature", sig)
	start := time.Now()
	ex := Exchange{Direction: Outgoing, At: start, API: path, URL: c.baseURL + path, RequestHeader: hreq.Header.Clone(), RequestBody: body}
	hresp, err := c.hc.Do(hreq)
	if err != nil {
		ex.Err, ex.Duration = err, time.Since(start)
		c.emit(ex)
		return true, fmt.Errorf("%s: %w", path, err)
	}
	defer hresp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(hresp.Body, maxAnswerBody+1))
	ex.ResponseHeader, ex.ResponseBody, ex.HTTPStatus, ex.Duration = hresp.Header.Clone(), raw, hresp.StatusCode, time.Since(start)
	if err != nil {
		ex.Err = err
		c.emit(ex)
		return true, fmt.Errorf("%s: read response: %w", path, err)
	}
	if len(raw) > maxAnswerBody {
		err = fmt.Errorf("%s: response larger than %d bytes", path, maxAnswerBody)
		ex.Err = err
		c.emit(ex)
		return false, err
	}
	if c.peer != nil {
		respClient := hresp.Header.Get("Client-Id")
		if respClient == "" {
			respClient = c.signer.ClientID
		}
		if err := VerifyHeader(c.peer, hresp.Header.Get("Signature"), http.MethodPost, path,
			respClient, hresp.Header.Get("Response-Time"), raw); err != nil {
			err = fmt.Errorf("%s: response signature: %w", path, err)
			ex.Err, ex.SignatureErr = err, err
			c.emit(ex)
			return false, err
		}
	}
	vs, err := Decode(raw, resp)
	ex.Violations = vs
	if err != nil || resp.response().Result.ResultStatus == "" {
		if err == nil {
			err = errors.New("response has no result")
		}
		err = fmt.Errorf("%s: HTTP %d: %w", path, hresp.StatusCode, err)
		ex.Err = err
		c.emit(ex)
		return hresp.StatusCode >= 500, err
	}
	for _, v := range vs {
		c.log.Warn("alipayplus response breaks the body convention", "api", path, "violation", v.String())
	}
	ex.Result = resp.response().Result
	c.emit(ex)
	r := resp.response().Result
	if err := checkResult(path, r); err != nil {
		return r.ResultStatus != StatusFail, err
	}
	return false, nil
}

func (c *Client) emit(e Exchange) {
	if c.observe != nil {
		c.observe(e)
	}
}
