package antom

import "github.com/mppwallet/mppwallet/alipayplus"

// Values of the fields the in-store payment-code flow fixes.
const (
	ProductInStore       = "IN_STORE_PAYMENT"
	ScenarioPaymentCode  = "PaymentCode"
	MethodConnectWallet  = alipayplus.PaymentMethodConnectWallet
	NotifyPaymentResult  = "PAYMENT_RESULT"
	DefaultNotifyAckCode = alipayplus.CodeSuccess
)

// PaymentStatus values of inquiryPayment.
const (
	StatusSuccess    = "SUCCESS"
	StatusFail       = "FAIL"
	StatusProcessing = "PROCESSING"
	StatusCancelled  = "CANCELLED"
)

// Result codes of the acquiring API beyond Alipay+'s common ones.
const (
	CodeRefundAmountExceed = "REFUND_AMOUNT_EXCEED"
	CodeCancelWindowExceed = "CANCEL_WINDOW_EXCEED"
	CodeOrderStatusInvalid = "ORDER_STATUS_INVALID"
	CodeRefundInProcess    = "REFUND_IN_PROCESS"
)

// PaymentFactor says which in-store scenario a payment is.
type PaymentFactor struct {
	InStorePaymentScenario string `json:"inStorePaymentScenario,omitempty"`
	PresentmentMode        string `json:"presentmentMode,omitempty"`
	CaptureMode            string `json:"captureMode,omitempty"`
	IsPaymentEvaluation    string `json:"isPaymentEvaluation,omitempty"`
	IsAuthorization        string `json:"isAuthorization,omitempty"`
}

// PayRequest is a merchant's pay: charge the scanned payment code
// (paymentMethod.paymentMethodId) for paymentAmount.
type PayRequest struct {
	ProductCode        string                         `json:"productCode,omitempty"`
	PaymentRequestID   string                         `json:"paymentRequestId,omitempty"`
	Order              *alipayplus.Order              `json:"order,omitempty"`
	PaymentAmount      *alipayplus.Amount             `json:"paymentAmount,omitempty"`
	PaymentMethod      *alipayplus.PaymentMethod      `json:"paymentMethod,omitempty"`
	PaymentFactor      *PaymentFactor                 `json:"paymentFactor,omitempty"`
	PaymentExpiryTime  string                         `json:"paymentExpiryTime,omitempty"`
	PaymentNotifyURL   string                         `json:"paymentNotifyUrl,omitempty"`
	SettlementStrategy *alipayplus.SettlementStrategy `json:"settlementStrategy,omitempty"`
	MerchantRegion     string                         `json:"merchantRegion,omitempty"`
	Env                *alipayplus.Env                `json:"env,omitempty"`
	ExtendInfo         string                         `json:"extendInfo,omitempty"`
}

// PSPCustomerInfo names the wallet (PSP) and its customer.
type PSPCustomerInfo struct {
	PSPName           string `json:"pspName,omitempty"`
	PSPCustomerID     string `json:"pspCustomerId,omitempty"`
	DisplayCustomerID string `json:"displayCustomerId,omitempty"`
}

// PayResponse answers pay: S paid, U in process (inquire), F failed.
type PayResponse struct {
	alipayplus.Response
	PaymentRequestID    string             `json:"paymentRequestId,omitempty"`
	PaymentID           string             `json:"paymentId,omitempty"`
	PaymentAmount       *alipayplus.Amount `json:"paymentAmount,omitempty"`
	ActualPaymentAmount *alipayplus.Amount `json:"actualPaymentAmount,omitempty"`
	PaymentQuote        *alipayplus.Quote  `json:"paymentQuote,omitempty"`
	PaymentCreateTime   string             `json:"paymentCreateTime,omitempty"`
	PaymentTime         string             `json:"paymentTime,omitempty"`
	PSPCustomerInfo     *PSPCustomerInfo   `json:"pspCustomerInfo,omitempty"`
}

// InquiryPaymentRequest asks for a payment by paymentId or
// paymentRequestId (paymentId wins when both are given).
type InquiryPaymentRequest struct {
	PaymentRequestID  string `json:"paymentRequestId,omitempty"`
	PaymentID         string `json:"paymentId,omitempty"`
	MerchantAccountID string `json:"merchantAccountId,omitempty"`
}

// InquiryPaymentResponse reports the inquiry (Result: did the call work)
// and the payment (PaymentStatus and its result code).
type InquiryPaymentResponse struct {
	alipayplus.Response
	PaymentStatus        string             `json:"paymentStatus,omitempty"`
	PaymentResultCode    string             `json:"paymentResultCode,omitempty"`
	PaymentResultMessage string             `json:"paymentResultMessage,omitempty"`
	PaymentRequestID     string             `json:"paymentRequestId,omitempty"`
	PaymentID            string             `json:"paymentId,omitempty"`
	PaymentAmount        *alipayplus.Amount `json:"paymentAmount,omitempty"`
	ActualPaymentAmount  *alipayplus.Amount `json:"actualPaymentAmount,omitempty"`
	PaymentQuote         *alipayplus.Quote  `json:"paymentQuote,omitempty"`
	PaymentCreateTime    string             `json:"paymentCreateTime,omitempty"`
	PaymentTime          string             `json:"paymentTime,omitempty"`
	PSPCustomerInfo      *PSPCustomerInfo   `json:"pspCustomerInfo,omitempty"`
}

// CancelRequest voids a payment by paymentRequestId (or paymentId).
type CancelRequest struct {
	PaymentRequestID  string `json:"paymentRequestId,omitempty"`
	PaymentID         string `json:"paymentId,omitempty"`
	MerchantAccountID string `json:"merchantAccountId,omitempty"`
}

// CancelResponse answers cancel.
type CancelResponse struct {
	alipayplus.Response
	PaymentID        string `json:"paymentId,omitempty"`
	PaymentRequestID string `json:"paymentRequestId,omitempty"`
	CancelTime       string `json:"cancelTime,omitempty"`
}

// RefundRequest refunds part or all of a successful payment.
type RefundRequest struct {
	RefundRequestID string             `json:"refundRequestId,omitempty"`
	PaymentID       string             `json:"paymentId,omitempty"`
	RefundAmount    *alipayplus.Amount `json:"refundAmount,omitempty"`
	RefundReason    string             `json:"refundReason,omitempty"`
	RefundNotifyURL string             `json:"refundNotifyUrl,omitempty"`
}

// RefundResponse answers refund.
type RefundResponse struct {
	alipayplus.Response
	RefundRequestID string             `json:"refundRequestId,omitempty"`
	RefundID        string             `json:"refundId,omitempty"`
	PaymentID       string             `json:"paymentId,omitempty"`
	RefundAmount    *alipayplus.Amount `json:"refundAmount,omitempty"`
	RefundTime      string             `json:"refundTime,omitempty"`
}

// NotifyPaymentRequest is what Antom posts to paymentNotifyUrl when a
// payment is final.
type NotifyPaymentRequest struct {
	NotifyType        string             `json:"notifyType"`
	Result            alipayplus.Result  `json:"result"`
	PaymentRequestID  string             `json:"paymentRequestId"`
	PaymentID         string             `json:"paymentId"`
	PaymentAmount     *alipayplus.Amount `json:"paymentAmount,omitempty"`
	PaymentCreateTime string             `json:"paymentCreateTime,omitempty"`
	PaymentTime       string             `json:"paymentTime,omitempty"`
	PSPCustomerInfo   *PSPCustomerInfo   `json:"pspCustomerInfo,omitempty"`
}

// NotifyPaymentResponse is the merchant's acknowledgement: result S
// SUCCESS stops the retries.
type NotifyPaymentResponse struct {
	alipayplus.Response
}
