package antom_test

import (
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/antom"
)

func TestSandboxPaths(t *testing.T) {
	for _, p := range antom.Paths() {
		sb := antom.SandboxPath(p)
		if !strings.HasPrefix(sb, "/ams/sandbox/api/v1/payments/") || antom.ProductionPath(sb) != p {
			t.Errorf("SandboxPath(%s) = %s, back %s", p, sb, antom.ProductionPath(sb))
		}
	}
	if !antom.IsSandboxClient("SANDBOX_5YC47N2ZQHJ004124") || antom.IsSandboxClient("5YC47N2ZQHJ004124") {
		t.Error("IsSandboxClient: want the SDKs' SANDBOX_ prefix rule")
	}
}

func validPay() *antom.PayRequest {
	amount := &alipayplus.Amount{Currency: "USD", Value: "1234"}
	return &antom.PayRequest{ProductCode: antom.ProductInStore, PaymentRequestID: "R1", PaymentAmount: amount,
		Order:         &alipayplus.Order{OrderDescription: "tea", OrderAmount: amount},
		PaymentMethod: &alipayplus.PaymentMethod{PaymentMethodType: antom.MethodConnectWallet, PaymentMethodID: "259999021234567890123456"},
		PaymentFactor: &antom.PaymentFactor{InStorePaymentScenario: antom.ScenarioPaymentCode}}
}

func TestPayRequestValidate(t *testing.T) {
	cases := []struct {
		name string
		edit func(r *antom.PayRequest)
		want string // "" = valid
	}{
		{"valid", func(*antom.PayRequest) {}, ""},
		{"no factor", func(r *antom.PayRequest) { r.PaymentFactor = nil }, ""},
		{"online product", func(r *antom.PayRequest) { r.ProductCode = "CASHIER_PAYMENT" }, "IN_STORE_PAYMENT only"},
		{"no product", func(r *antom.PayRequest) { r.ProductCode = "" }, "productCode is required"},
		{"order code scenario", func(r *antom.PayRequest) { r.PaymentFactor.InStorePaymentScenario = "OrderCode" }, "PaymentCode"},
		{"no code", func(r *antom.PayRequest) { r.PaymentMethod.PaymentMethodID = "" }, "paymentMethodId is required"},
		{"card", func(r *antom.PayRequest) { r.PaymentMethod.PaymentMethodType = "CARD" }, "CONNECT_WALLET"},
		{"no method", func(r *antom.PayRequest) { r.PaymentMethod = nil }, "paymentMethod is required"},
		{"zero amount", func(r *antom.PayRequest) { r.PaymentAmount = &alipayplus.Amount{Currency: "USD", Value: "0"} }, "positive"},
		{"decimal amount", func(r *antom.PayRequest) { r.PaymentAmount = &alipayplus.Amount{Currency: "USD", Value: "12.34"} }, "paymentAmount"},
		{"currencies differ", func(r *antom.PayRequest) { r.Order.OrderAmount = &alipayplus.Amount{Currency: "JPY", Value: "100"} }, "differs"},
		{"no order", func(r *antom.PayRequest) { r.Order = nil }, "order is required"},
		{"long id", func(r *antom.PayRequest) { r.PaymentRequestID = strings.Repeat("x", 65) }, "longer than 64"},
		{"notify not http", func(r *antom.PayRequest) { r.PaymentNotifyURL = "file:///etc/passwd" }, "not an http(s) URL"},
		{"notify ok", func(r *antom.PayRequest) { r.PaymentNotifyURL = "https://shop.example/notify" }, ""},
		{"bad expiry", func(r *antom.PayRequest) { r.PaymentExpiryTime = "soon" }, "paymentExpiryTime"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := validPay()
			c.edit(r)
			err := r.Validate()
			if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
				t.Errorf("Validate() = %v, want %q", err, c.want)
			}
		})
	}
}

func TestOtherRequestsValidate(t *testing.T) {
	usd := &alipayplus.Amount{Currency: "USD", Value: "100"}
	cases := []struct {
		name string
		req  interface{ Validate() error }
		want string
	}{
		{"inquiry by id", &antom.InquiryPaymentRequest{PaymentID: "P"}, ""},
		{"inquiry by request id", &antom.InquiryPaymentRequest{PaymentRequestID: "R"}, ""},
		{"inquiry of nothing", &antom.InquiryPaymentRequest{}, "paymentRequestId or paymentId"},
		{"cancel of nothing", &antom.CancelRequest{}, "paymentRequestId or paymentId"},
		{"cancel", &antom.CancelRequest{PaymentRequestID: "R"}, ""},
		{"refund", &antom.RefundRequest{RefundRequestID: "F", PaymentID: "P", RefundAmount: usd}, ""},
		{"refund without id", &antom.RefundRequest{PaymentID: "P", RefundAmount: usd}, "refundRequestId is required"},
		{"refund of nothing", &antom.RefundRequest{RefundRequestID: "F", RefundAmount: usd}, "paymentId is required"},
		{"refund negative", &antom.RefundRequest{RefundRequestID: "F", PaymentID: "P", RefundAmount: &alipayplus.Amount{Currency: "USD", Value: "-1"}}, "refundAmount"},
	}
	for _, c := range cases {
		err := c.req.Validate()
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: Validate() = %v, want %q", c.name, err, c.want)
		}
	}
}
