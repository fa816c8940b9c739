package alipayplus

// PayRequest is Alipay+'s request to the MPP to take a payment (UPM).
type PayRequest struct {
	AcquirerID               string              `json:"acquirerId,omitempty"`
	PSPID                    string              `json:"pspId,omitempty"`
	Order                    *Order              `json:"order,omitempty"`
	PaymentRequestID         string              `json:"paymentRequestId,omitempty"`
	PaymentAmount            *Amount             `json:"paymentAmount,omitempty"`
	PayToAmount              *Amount             `json:"payToAmount,omitempty"`
	PaymentQuote             *Quote              `json:"paymentQuote,omitempty"`
	PaymentMethod            *PaymentMethod      `json:"paymentMethod,omitempty"`
	PaymentFactor            *PaymentFactor      `json:"paymentFactor,omitempty"`
	PaymentExpiryTime        string              `json:"paymentExpiryTime,omitempty"`
	PaymentNotifyURL         string              `json:"paymentNotifyUrl,omitempty"`
	SettlementStrategy       *SettlementStrategy `json:"settlementStrategy,omitempty"`
	SurchargeInfo            *SurchargeInfo      `json:"surchargeInfo,omitempty"`
	PaymentPromoInfo         *PaymentPromoInfo   `json:"paymentPromoInfo,omitempty"`
	PassThroughInfo          string              `json:"passThroughInfo,omitempty"`
	CustomsDeclarationAmount *Amount             `json:"customsDeclarationAmount,omitempty"`
}

// PayResponse is the MPP's answer to pay.
type PayResponse struct {
	Response
	PaymentID   string `json:"paymentId,omitempty"`
	PaymentTime string `json:"paymentTime,omitempty"`
	CustomerID  string `json:"customerId,omitempty"`
}

// InquiryPaymentRequest asks the MPP for a payment's outcome.
type InquiryPaymentRequest struct {
	AcquirerID       string `json:"acquirerId,omitempty"`
	PSPID            string `json:"pspId,omitempty"`
	PaymentRequestID string `json:"paymentRequestId,omitempty"`
}

// InquiryPaymentResponse reports the inquiry (Result) and the payment's own
// outcome (PaymentResult: S paid, U in process, F failed or closed).
type InquiryPaymentResponse struct {
	Response
	PaymentResult *Result `json:"paymentResult,omitempty"`
	PaymentID     string  `json:"paymentId,omitempty"`
	PaymentTime   string  `json:"paymentTime,omitempty"`
	PaymentAmount *Amount `json:"paymentAmount,omitempty"`
	PayToAmount   *Amount `json:"payToAmount,omitempty"`
	CustomerID    string  `json:"customerId,omitempty"`
}

// CancelPaymentRequest asks the MPP to close a payment and return any debit.
type CancelPaymentRequest struct {
	AcquirerID       string `json:"acquirerId,omitempty"`
	PSPID            string `json:"pspId,omitempty"`
	PaymentRequestID string `json:"paymentRequestId,omitempty"`
}

// CancelPaymentResponse answers cancelPayment.
type CancelPaymentResponse struct {
	Response
}

// RefundRequest asks the MPP to return money for a payment.
type RefundRequest struct {
	AcquirerID       string  `json:"acquirerId,omitempty"`
	PSPID            string  `json:"pspId,omitempty"`
	PaymentRequestID string  `json:"paymentRequestId,omitempty"`
	PaymentID        string  `json:"paymentId,omitempty"`
	RefundRequestID  string  `json:"refundRequestId,omitempty"`
	RefundAmount     *Amount `json:"refundAmount,omitempty"`
	RefundFromAmount *Amount `json:"refundFromAmount,omitempty"`
	RefundQuote      *Quote  `json:"refundQuote,omitempty"`
	ExtendInfo       string  `json:"extendInfo,omitempty"`
}

// RefundResponse answers refund.
type RefundResponse struct {
	Response
	RefundID   string `json:"refundId,omitempty"`
	RefundTime string `json:"refundTime,omitempty"`
}
