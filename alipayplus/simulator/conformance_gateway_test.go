package simulator

import (
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/antom"
)

const gatewayPay = `{"productCode":"IN_STORE_PAYMENT","paymentRequestId":"R1","order":{"orderDescription":"tea"},` +
	`"paymentAmount":{"currency":"USD","value":"500"},"paymentMethod":{"paymentMethodType":"CONNECT_WALLET","paymentMethodId":"2599990212345678"}}`

// TestGatewayConformance judges the merchant's side of the gateway: its
// requests (the SDKs' epoch-millisecond Request-Time is fine) and its
// acknowledgement of notifyPayment.
func TestGatewayConformance(t *testing.T) {
	epoch := func(ex *alipayplus.Exchange) { ex.RequestHeader.Set("Request-Time", "1714536000000") }
	cases := []struct {
		name string
		ex   alipayplus.Exchange
		want []string // rule@field of each finding
	}{
		{"SDK pay", with(incoming(antom.PathPay, gatewayPay), epoch), nil},
		{"sandbox path", with(incoming(antom.SandboxPath(antom.PathPay), gatewayPay), epoch), nil},
		{"ISO time", incoming(antom.PathInquiryPayment, `{"paymentId":"P1"}`), nil},
		{"bad time", with(incoming(antom.PathPay, gatewayPay), func(ex *alipayplus.Exchange) { ex.RequestHeader.Set("Request-Time", "yesterday") }),
			[]string{"time-format@Request-Time"}},
		{"empty optional", with(incoming(antom.PathPay, strings.Replace(gatewayPay, `"order":{`, `"paymentNotifyUrl":"","order":{`, 1)), epoch),
			[]string{"no-empty-string@paymentNotifyUrl"}},
		{"no payment code", with(incoming(antom.PathPay, strings.Replace(gatewayPay, `"paymentMethodId":"2599990212345678"`, `"paymentMethodId":null`, 1)), epoch),
			[]string{"required@paymentMethod.paymentMethodId"}},
		{"refund without amount", incoming(antom.PathRefund, `{"refundRequestId":"F1","paymentId":"P1"}`), []string{"required@refundAmount"}},
		{"ack", outgoing("/notify", `{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}`), nil},
		{"ack not JSON", outgoing("/notify", `OK`), []string{"json@", "result@result"}},
		{"ack F", outgoing("/notify", `{"result":{"resultCode":"PROCESS_FAIL","resultStatus":"F"}}`), []string{"result@result"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ex := c.ex
			if ex.Direction == alipayplus.Outgoing {
				ex.API = APIGatewayNotifyPayment
			}
			var got []string
			for _, f := range Check(ex) {
				got = append(got, f.Rule+"@"+f.Field)
			}
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("findings %v, want %v (%+v)", got, c.want, Check(ex))
			}
		})
	}
}
