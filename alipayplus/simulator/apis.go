package simulator

import (
	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/antom"
)

// API short names, used by fault rules, the transcript and the admin API.
const (
	APIGetPaymentCode   = "getPaymentCode"
	APIInquiryCodeRules = "inquiryCodeRules"
	APIUserInitiatedPay = "userInitiatedPay"
	APINotifyPayment    = "notifyPayment"
	APIPay              = "pay"
	APIInquiryPayment   = "inquiryPayment"
	APICancelPayment    = "cancelPayment"
	APIRefund           = "refund"
	// APIAcquirerUIP is Alipay+'s userInitiatedPay call to the acquirer.
	APIAcquirerUIP = "acquirer.userInitiatedPay"

	// The acquiring gateway a merchant's POS calls (Antom's in-store API),
	// and the notifyPayment the gateway sends to the merchant.
	APIGatewayPay           = "gateway.pay"
	APIGatewayInquiry       = "gateway.inquiryPayment"
	APIGatewayCancel        = "gateway.cancel"
	APIGatewayRefund        = "gateway.refund"
	APIGatewayNotifyPayment = "gateway.notifyPayment"
)

// AcquirerPrefix is where the simulated acquirer's endpoints live on the
// simulator's listener.
const AcquirerPrefix = "/acquirer"

// apiPaths maps short names to the paths they are served or called at.
var apiPaths = map[string]string{
	APIGetPaymentCode:   alipayplus.PathGetPaymentCode,
	APIInquiryCodeRules: alipayplus.PathInquiryCodeRules,
	APIUserInitiatedPay: alipayplus.PathUserInitiatedPay,
	APINotifyPayment:    alipayplus.PathNotifyPayment,
	APIPay:              alipayplus.PathPay,
	APIInquiryPayment:   alipayplus.PathInquiryPayment,
	APICancelPayment:    alipayplus.PathCancelPayment,
	APIRefund:           alipayplus.PathRefund,
	APIAcquirerUIP:      AcquirerPrefix + alipayplus.PathUserInitiatedPay,
	APIGatewayPay:       antom.PathPay,
	APIGatewayInquiry:   antom.PathInquiryPayment,
	APIGatewayCancel:    antom.PathCancel,
	APIGatewayRefund:    antom.PathRefund,
}

// APIs lists every short name a fault rule may name.
func APIs() []string {
	return []string{APIGetPaymentCode, APIInquiryCodeRules, APIUserInitiatedPay, APINotifyPayment,
		APIPay, APIInquiryPayment, APICancelPayment, APIRefund, APIAcquirerUIP,
		APIGatewayPay, APIGatewayInquiry, APIGatewayCancel, APIGatewayRefund, APIGatewayNotifyPayment}
}

// isGatewayAPI reports whether a short name is one of the acquiring
// gateway's.
func isGatewayAPI(api string) bool {
	switch api {
	case APIGatewayPay, APIGatewayInquiry, APIGatewayCancel, APIGatewayRefund, APIGatewayNotifyPayment:
		return true
	}
	return false
}

// apiName returns the short name for a path (the gateway's sandbox paths
// included), or the path itself.
func apiName(path string) string {
	path = antom.ProductionPath(path)
	for n, p := range apiPaths {
		if p == path {
			return n
		}
	}
	return path
}
