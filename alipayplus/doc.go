// Package alipayplus speaks the Alipay+ Open API as a Mobile Payment
// Provider: the wire types of every API the MPP calls or serves, the
// signing scheme, a typed Client, and the HTTP Server framework on which
// both sides answer calls (the wallet's pay, inquiryPayment, cancelPayment
// and refund in internal/mpp; the simulator's APIs in alipayplus/simulator).
// It knows nothing of the wallet: amounts convert to and from the shared
// money type (internal/money), and internal/mpp maps wire types to the
// wallet's.
//
// Wire conventions (see the Alipay+ API overview): every scalar is a JSON
// string, optional fields are omitted (never ""), amounts are integer minor
// units, times are ISO 8601 with an offset, and every message is signed with
// RSA256 over "POST <uri>\n<client-id>.<time>.<body>".
//
//	c := alipayplus.NewClient(gatewayURL, alipayplus.Signer{ClientID: id, Key: key}, alipayPublicKey)
//	res, err := c.GetPaymentCode(ctx, &alipayplus.GetPaymentCodeRequest{...})
//	var apErr *alipayplus.Error
//	if errors.As(err, &apErr) { ... apErr.Code ... }
package alipayplus
