package simulator

import (
	"strings"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/antom"
)

// checkGateway judges the merchant's side of a gateway exchange: the
// request of pay, inquiryPayment, cancel and refund (Request-Time may be
// epoch milliseconds, as the SDKs send it), and the acknowledgement of a
// notifyPayment the gateway sent.
func (c *checker) checkGateway(ex alipayplus.Exchange) {
	if ex.Direction == alipayplus.Outgoing {
		c.side = sideResponse
		c.checkNotifyAck(ex)
		return
	}
	c.side = sideRequest
	if ex.RequestBody == nil && ex.Result.ResultCode == alipayplus.CodeMethodNotSupported {
		c.add(ruleMethod, "", "the request was not a POST")
	}
	if ct := ex.RequestHeader.Get("Content-Type"); ct != "" && !isJSONMediaType(ct) {
		c.add(ruleContentType, "Content-Type", "Content-Type %q is not application/json", ct)
	}
	c.checkHeaders(ex.RequestHeader, "Request-Time", ex.SignatureErr)
	c.checkViolations(ex.Violations)
	req := newGatewayRequest(c.api)
	if req == nil || ex.RequestBody == nil {
		return
	}
	vs, err := alipayplus.Decode(ex.RequestBody, req)
	c.checkViolations(vs)
	decodeErr := c.checkDecode(err)
	if err == nil {
		c.checkProblems(validate(req))
	}
	for _, p := range ex.Problems {
		if p != decodeErr {
			c.checkProblems([]string{p})
		}
	}
}

func newGatewayRequest(api string) any {
	switch api {
	case APIGatewayPay:
		return new(antom.PayRequest)
	case APIGatewayInquiry:
		return new(antom.InquiryPaymentRequest)
	case APIGatewayCancel:
		return new(antom.CancelRequest)
	case APIGatewayRefund:
		return new(antom.RefundRequest)
	}
	return nil
}

// checkNotifyAck judges the merchant's answer to notifyPayment: Antom
// retries until it gets result S SUCCESS in a JSON body.
func (c *checker) checkNotifyAck(ex alipayplus.Exchange) {
	if len(ex.ResponseBody) == 0 && (ex.Err != nil || ex.HTTPStatus == 0) {
		return // no answer to judge
	}
	const want = `answer {"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}`
	var ack antom.NotifyPaymentResponse
	if !c.decodeResponse(ex.ResponseBody, &ack) {
		c.add(ruleResult, "result", "the acknowledgement is not JSON: %s", want)
		return
	}
	switch r := ack.Result; {
	case r == (alipayplus.Result{}):
		c.add(ruleResult, "result", "the acknowledgement has no result, so the notification is sent again: %s", want)
	case r.ResultStatus != alipayplus.StatusSuccess || !strings.EqualFold(r.ResultCode, alipayplus.CodeSuccess):
		c.add(ruleResult, "result", "the acknowledgement is %s %s, so the notification is sent again: %s", r.ResultStatus, r.ResultCode, want)
	}
}
