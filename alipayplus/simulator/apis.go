package simulator

import "github.com/mppwallet/mppwallet/alipayplus"

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
}

// APIs lists every short name a fault rule may name.
func APIs() []string {
	return []string{APIGetPaymentCode, APIInquiryCodeRules, APIUserInitiatedPay, APINotifyPayment,
		APIPay, APIInquiryPayment, APICancelPayment, APIRefund, APIAcquirerUIP}
}

// apiName returns the short name for a path, or the path itself.
func apiName(path string) string {
	for n, p := range apiPaths {
		if p == path {
			return n
		}
	}
	return path
}
