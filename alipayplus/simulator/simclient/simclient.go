// Package simclient is the one client of the simulator's admin API
// (/sim/...): the merchant commands, the faults commands and the wallet
// app's overrides screen and inspector all call the simulator through it,
// whether it runs in another process or embedded in the app.
//
//	c := simclient.New("http://127.0.0.1:7576", simclient.WithToken(token))
//	p, err := c.Charge(ctx, simulator.ChargeBody{Code: code, AdminMoney: simulator.AdminMoney{Amount: "12.34", Currency: "USD"}})
//	var e *simclient.Error
//	if errors.As(err, &e) && e.ResultCode != "" { ... refused before the wallet was asked ... }
package simclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus/simulator"
)

// DefaultTimeout bounds a call that does not wait for the wallet.
const DefaultTimeout = 30 * time.Second

// maxAnswer bounds what is read of an answer.
const maxAnswer = 64 << 20

// Client calls one simulator's admin API.
type Client struct {
	base  string
	http  *http.Client
	token string
	// Timeout bounds each call that does not wait for the wallet (default
	// DefaultTimeout); charge, refund and cancel wait as long as the
	// simulator may.
	Timeout time.Duration
}

// New returns a client of the simulator at base (its URL, with or without
// a trailing slash).
func New(base string, opts ...Option) *Client {
	c := &Client{base: strings.TrimRight(base, "/"), http: &http.Client{}, Timeout: DefaultTimeout}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Option configures a Client.
type Option func(*Client)

// WithToken makes the client send the simulator's admin token with every
// call (Authorization: Bearer); "" sends none, for a simulator that needs
// none.
func WithToken(token string) Option {
	return func(c *Client) { c.token = token }
}

// URL is the simulator's base URL.
func (c *Client) URL() string { return c.base }

// Error is an answer of the admin API that is not a success: the HTTP
// status, the simulator's message and, when the simulator refused a code
// or order before asking the wallet, the Alipay+ result code.
type Error struct {
	Status     int    `json:"-"`
	Message    string `json:"error"`
	ResultCode string `json:"resultCode"`
}

func (e *Error) Error() string {
	if e.ResultCode != "" {
		return e.ResultCode + ": " + e.Message
	}
	return e.Message
}

// ErrUnreachable wraps every failure to reach the simulator at all.
var ErrUnreachable = errors.New("cannot reach the simulator")

// Charge charges a payment code as a merchant would and waits for the
// final result (POST /sim/charge).
func (c *Client) Charge(ctx context.Context, b simulator.ChargeBody) (simulator.Payment, error) {
	var p simulator.Payment
	err := c.do(ctx, http.MethodPost, "/sim/charge", b, &p, simulator.MaxAdminWait+time.Minute)
	return p, err
}

// CreateOrder creates a private order code for the wallet to scan (POST
// /sim/orders).
func (c *Client) CreateOrder(ctx context.Context, b simulator.OrderBody) (simulator.Order, error) {
	var o simulator.Order
	err := c.do(ctx, http.MethodPost, "/sim/orders", b, &o, c.Timeout)
	return o, err
}

// Payments lists the payments the simulator has seen, newest first.
func (c *Client) Payments(ctx context.Context) ([]simulator.Payment, error) {
	var ps []simulator.Payment
	err := c.do(ctx, http.MethodGet, "/sim/payments", nil, &ps, c.Timeout)
	return ps, err
}

// Refund refunds part or all of a payment, named by its paymentRequestId or
// paymentId.
func (c *Client) Refund(ctx context.Context, payment string, amount simulator.AdminMoney) (simulator.Refund, error) {
	var r simulator.Refund
	err := c.do(ctx, http.MethodPost, "/sim/payments/"+url.PathEscape(payment)+"/refund", amount, &r, 2*time.Minute)
	return r, err
}

// Cancel has Alipay+ cancel a payment. When the wallet has not accepted
// yet (and Alipay+ keeps trying), the payment comes back with a non-nil
// error saying so.
func (c *Client) Cancel(ctx context.Context, payment string) (simulator.Payment, error) {
	var r struct {
		simulator.Payment
		Error   string             `json:"error"`
		Pending *simulator.Payment `json:"payment"`
	}
	if err := c.do(ctx, http.MethodPost, "/sim/payments/"+url.PathEscape(payment)+"/cancel", nil, &r, 2*time.Minute); err != nil {
		return simulator.Payment{}, err
	}
	if r.Pending != nil {
		return *r.Pending, &Error{Status: http.StatusAccepted, Message: r.Error}
	}
	if r.Error != "" {
		return r.Payment, &Error{Status: http.StatusAccepted, Message: r.Error}
	}
	return r.Payment, nil
}

// Faults lists the active fault rules.
func (c *Client) Faults(ctx context.Context) ([]simulator.Rule, error) {
	var rules []simulator.Rule
	err := c.do(ctx, http.MethodGet, "/sim/faults", nil, &rules, c.Timeout)
	return rules, err
}

// AddFault adds a fault rule given in the flag syntax ("pay:drop,count=1");
// source says who added it ("ui", "admin"; "" is the simulator's default).
func (c *Client) AddFault(ctx context.Context, spec, source string) (simulator.Rule, error) {
	var stored simulator.Rule
	err := c.do(ctx, http.MethodPost, "/sim/faults", simulator.FaultBody{Spec: spec, Source: source}, &stored, c.Timeout)
	return stored, err
}

// RemoveFault removes one fault rule.
func (c *Client) RemoveFault(ctx context.Context, id int) error {
	return c.do(ctx, http.MethodDelete, "/sim/faults/"+strconv.Itoa(id), nil, nil, c.Timeout)
}

// ClearFaults removes every fault rule.
func (c *Client) ClearFaults(ctx context.Context) error {
	return c.do(ctx, http.MethodDelete, "/sim/faults", nil, nil, c.Timeout)
}

// Transcript returns the retained exchanges after sequence number since
// (0: all of them), oldest first, reading page after page (at most
// maxTranscriptPages of them, so a busy simulator cannot keep it reading).
func (c *Client) Transcript(ctx context.Context, since int64) ([]simulator.Entry, error) {
	var all []simulator.Entry
	for range maxTranscriptPages {
		page, more, err := c.TranscriptPage(ctx, since, simulator.MaxTranscriptPage)
		all = append(all, page...)
		if err != nil || !more || len(page) == 0 {
			return all, err
		}
		since = page[len(page)-1].Seq
	}
	return all, nil
}

// maxTranscriptPages bounds the pages Transcript reads in one call.
const maxTranscriptPages = 64

// TranscriptPage returns one page of the retained exchanges after sequence
// number since, oldest first: up to limit of them (0: the simulator's
// default page), and whether more follow.
func (c *Client) TranscriptPage(ctx context.Context, since int64, limit int) ([]simulator.Entry, bool, error) {
	var entries []simulator.Entry
	path := "/sim/transcript?since=" + strconv.FormatInt(since, 10)
	if limit > 0 {
		path += "&limit=" + strconv.Itoa(limit)
	}
	h, err := c.doHeader(ctx, http.MethodGet, path, nil, &entries, c.Timeout)
	return entries, h.Get(simulator.TranscriptMoreHeader) == "true", err
}

// TranscriptNewest returns the newest n retained exchanges (0: the
// simulator's default page), oldest first.
func (c *Client) TranscriptNewest(ctx context.Context, n int) ([]simulator.Entry, error) {
	var entries []simulator.Entry
	_, err := c.doHeader(ctx, http.MethodGet, "/sim/transcript?newest="+strconv.Itoa(max(n, 0)), nil, &entries, c.Timeout)
	return entries, err
}

// RegisterMerchantClient lets a merchant system call the acquiring gateway
// as clientID; publicKey verifies its requests (PEM or bare base64).
// Registering again replaces the key.
func (c *Client) RegisterMerchantClient(ctx context.Context, clientID, publicKey string) error {
	return c.do(ctx, http.MethodPost, "/sim/merchant-clients",
		simulator.MerchantClientBody{ClientID: clientID, PublicKey: publicKey}, nil, c.Timeout)
}

// MerchantClients lists the gateway's merchant clients.
func (c *Client) MerchantClients(ctx context.Context) ([]simulator.MerchantClient, error) {
	var out []simulator.MerchantClient
	err := c.do(ctx, http.MethodGet, "/sim/merchant-clients", nil, &out, c.Timeout)
	return out, err
}

// do sends one JSON request and decodes a 2xx answer into out (unless
// nil); other answers become *Error, and a simulator that cannot be
// reached ErrUnreachable.
func (c *Client) do(ctx context.Context, method, path string, body, out any, timeout time.Duration) error {
	_, err := c.doHeader(ctx, method, path, body, out, timeout)
	return err
}

// doHeader is do that also returns the answer's headers (nil when there
// was no answer).
func (c *Client) doHeader(ctx context.Context, method, path string, body, out any, timeout time.Duration) (http.Header, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, fmt.Errorf("simulator URL %q: %w", c.base, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w at %s: %w", ErrUnreachable, c.base, unwrapURLError(err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return resp.Header, fmt.Errorf("reading the simulator's answer: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		e := &Error{Status: resp.StatusCode}
		if json.Unmarshal(raw, e) != nil || e.Message == "" {
			e.Message = fmt.Sprintf("HTTP %d from %s%s (is it a simulator?)", resp.StatusCode, c.base, path)
		}
		e.Message = strings.Join(strings.Fields(e.Message), " ")
		return resp.Header, e
	}
	if out == nil {
		return resp.Header, nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return resp.Header, fmt.Errorf("the simulator's answer to %s is not what was expected: %w", path, err)
	}
	return resp.Header, nil
}

// unwrapURLError drops net/url's `Post "http://…/sim/charge":` prefix, which
// repeats what the error already says.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
