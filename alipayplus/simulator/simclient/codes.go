package simclient

import (
	"context"
	"net/http"
	"net/url"

	"github.com/mppwallet/mppwallet/alipayplus/simulator"
)

// Codes lists the payment codes the simulator issued to a customer ("":
// everyone's), oldest first, each with whether it was used and by which
// payment (GET /sim/codes).
func (c *Client) Codes(ctx context.Context, customerID string) ([]simulator.IssuedCode, error) {
	var out []simulator.IssuedCode
	err := c.do(ctx, http.MethodGet, "/sim/codes?customerId="+url.QueryEscape(customerID), nil, &out, c.Timeout)
	return out, err
}

// Payment returns one payment, named by its paymentRequestId or paymentId
// (GET /sim/payments/{id}).
func (c *Client) Payment(ctx context.Context, id string) (simulator.Payment, error) {
	var p simulator.Payment
	err := c.do(ctx, http.MethodGet, "/sim/payments/"+url.PathEscape(id), nil, &p, c.Timeout)
	return p, err
}
