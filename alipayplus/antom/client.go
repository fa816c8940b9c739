package antom

import (
	"context"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// Client calls the acquiring API as a merchant: an alipayplus.Client
// signing as the merchant's Client-Id and verifying answers with the
// gateway's public key. It uses the sandbox paths when the Client-Id starts
// with SANDBOX_, as the SDKs do.
type Client struct {
	c       *alipayplus.Client
	sandbox bool
}

// NewClient wraps c (see alipayplus.NewClient; give it alipayplus.Retry{}
// to see U answers at once instead of resending the request).
func NewClient(c *alipayplus.Client) *Client {
	return &Client{c: c, sandbox: IsSandboxClient(c.ClientID())}
}

func (c *Client) path(p string) string {
	if c.sandbox {
		return SandboxPath(p)
	}
	return p
}

// Pay charges a scanned payment code. A U answer (the wallet holds the
// payment) comes back as an *alipayplus.Error with Status U, with resp
// filled in: inquire until the payment is final.
func (c *Client) Pay(ctx context.Context, req *PayRequest) (*PayResponse, error) {
	var resp PayResponse
	return &resp, c.c.Call(ctx, c.path(PathPay), req, &resp)
}

// InquiryPayment asks for a payment's status.
func (c *Client) InquiryPayment(ctx context.Context, req *InquiryPaymentRequest) (*InquiryPaymentResponse, error) {
	var resp InquiryPaymentResponse
	return &resp, c.c.Call(ctx, c.path(PathInquiryPayment), req, &resp)
}

// Cancel voids a payment (refunding it when it was paid).
func (c *Client) Cancel(ctx context.Context, req *CancelRequest) (*CancelResponse, error) {
	var resp CancelResponse
	return &resp, c.c.Call(ctx, c.path(PathCancel), req, &resp)
}

// Refund refunds part or all of a payment.
func (c *Client) Refund(ctx context.Context, req *RefundRequest) (*RefundResponse, error) {
	var resp RefundResponse
	return &resp, c.c.Call(ctx, c.path(PathRefund), req, &resp)
}
