package alipayplus

// UserInitiatedPayRequest sends a scanned merchant code to Alipay+ (MPP →
// Alipay+, Merchant-presented Mode). Alipay+ sends the same API on to the
// acquirer for private order codes, then with AcquirerID and PSPID set.
type UserInitiatedPayRequest struct {
	AcquirerID      string `json:"acquirerId,omitempty"`
	PSPID           string `json:"pspId,omitempty"`
	CodeValue       string `json:"codeValue,omitempty"`
	CustomerID      string `json:"customerId,omitempty"`
	PassThroughInfo string `json:"passThroughInfo,omitempty"`
}

// ActionForm tells the MPP about a further action.
type ActionForm struct {
	ActionType string `json:"actionType,omitempty"`
}

// UserInitiatedPayResponse carries the decoded payment details.
type UserInitiatedPayResponse struct {
	Response
	AcquirerID         string              `json:"acquirerId,omitempty"`
	PSPID              string              `json:"pspId,omitempty"`
	CodeType           string              `json:"codeType,omitempty"`
	PaymentRequestID   string              `json:"paymentRequestId,omitempty"`
	Order              *Order              `json:"order,omitempty"`
	PaymentAmount      *Amount             `json:"paymentAmount,omitempty"`
	PayToAmount        *Amount             `json:"payToAmount,omitempty"`
	PaymentQuote       *Quote              `json:"paymentQuote,omitempty"`
	PaymentFactor      *PaymentFactor      `json:"paymentFactor,omitempty"`
	PaymentPromoInfo   *PaymentPromoInfo   `json:"paymentPromoInfo,omitempty"`
	ActionForm         *ActionForm         `json:"actionForm,omitempty"`
	PaymentExpiryTime  string              `json:"paymentExpiryTime,omitempty"`
	PaymentRedirectURL string              `json:"paymentRedirectUrl,omitempty"`
	PaymentNotifyURL   string              `json:"paymentNotifyUrl,omitempty"`
	SettlementStrategy *SettlementStrategy `json:"settlementStrategy,omitempty"`
	SurchargeInfo      *SurchargeInfo      `json:"surchargeInfo,omitempty"`
	PassThroughInfo    string              `json:"passThroughInfo,omitempty"`
}

// NotifyPaymentRequest reports a payment's final result (S or F, never U).
type NotifyPaymentRequest struct {
	PaymentResult            *Result `json:"paymentResult,omitempty"`
	PaymentRequestID         string  `json:"paymentRequestId,omitempty"`
	PaymentID                string  `json:"paymentId,omitempty"`
	PaymentTime              string  `json:"paymentTime,omitempty"`
	PaymentAmount            *Amount `json:"paymentAmount,omitempty"`
	PayToAmount              *Amount `json:"payToAmount,omitempty"`
	CustomerID               string  `json:"customerId,omitempty"`
	CustomsDeclarationAmount *Amount `json:"customsDeclarationAmount,omitempty"`
}

// NotifyPaymentResponse acknowledges notifyPayment.
type NotifyPaymentResponse struct {
	Response
}
