package alipayplus

// API paths. The MPP calls the first four on Alipay+; Alipay+ calls the
// rest on the MPP (and the acquirer's userInitiatedPay on the ACQP).
const (
	PathGetPaymentCode   = "/aps/api/v1/codes/getPaymentCode"
	PathInquiryCodeRules = "/aps/api/v1/codes/inquiryCodeRules"
	PathUserInitiatedPay = "/aps/api/v1/payments/userInitiatedPay"
	PathNotifyPayment    = "/aps/api/v1/payments/notifyPayment"

	PathPay            = "/aps/api/v1/payments/pay"
	PathInquiryPayment = "/aps/api/v1/payments/inquiryPayment"
	PathCancelPayment  = "/aps/api/v1/payments/cancelPayment"
	PathRefund         = "/aps/api/v1/payments/refund"
)
