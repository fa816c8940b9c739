package alipayplus

// GetPaymentCodeRequest asks Alipay+ for User-presented Mode payment codes.
type GetPaymentCodeRequest struct {
	Region       string       `json:"region,omitempty"`
	CustomerID   string       `json:"customerId,omitempty"`
	CodeQuantity string       `json:"codeQuantity,omitempty"`
	Env          *Env         `json:"env,omitempty"`
	IndirectMpp  *IndirectMpp `json:"indirectMpp,omitempty"`
}

// PaymentCodeInfo is one payment code and its validity window.
type PaymentCodeInfo struct {
	PaymentCode           string `json:"paymentCode"`
	CodeValidityStartTime string `json:"codeValidityStartTime"`
	CodeExpiryTime        string `json:"codeExpiryTime"`
}

// GetPaymentCodeResponse carries the codes (when S).
type GetPaymentCodeResponse struct {
	Response
	PaymentCodeInfoList []PaymentCodeInfo `json:"paymentCodeInfoList,omitempty"`
}

// InquiryCodeRulesRequest asks for the code rules; it has no parameters.
type InquiryCodeRulesRequest struct{}

// CodeMatchPattern says how a code rule matches a scanned code.
type CodeMatchPattern struct {
	MatchMethod   string         `json:"matchMethod,omitempty"`
	Prefix        string         `json:"prefix,omitempty"`
	Regex         string         `json:"regex,omitempty"`
	Priority      string         `json:"priority,omitempty"`
	EmvMatchRules []EMVMatchRule `json:"emvMatchRules,omitempty"`
}

// EMVMatchRule restricts one merchant account information tag of an EMVCo
// code.
type EMVMatchRule struct {
	PrimitiveMerchant     string `json:"primitiveMerchant,omitempty"`
	PrimitiveMerchantTag  string `json:"primitiveMerchantTag,omitempty"`
	ExtendedMerchantTag   string `json:"extendedMerchantTag,omitempty"`
	ExtendedMerchantValue string `json:"extendedMerchantValue,omitempty"`
}

// PostCodeMatchAction is what the MPP does with a matching code.
type PostCodeMatchAction struct {
	PostCodeMatchActionType string `json:"postCodeMatchActionType,omitempty"`
	URLConstructionMethod   string `json:"urlConstructionMethod,omitempty"`
	DynamicURLExpression    string `json:"dynamicUrlExpression,omitempty"`
	UserAgent               string `json:"userAgent,omitempty"`
	EmvURLTag               string `json:"emvUrlTag,omitempty"`
}

// CodeRule is one Alipay+ code rule.
type CodeRule struct {
	CodeMatchPattern    *CodeMatchPattern    `json:"codeMatchPattern,omitempty"`
	PostCodeMatchAction *PostCodeMatchAction `json:"postCodeMatchAction,omitempty"`
	// ExtendInfo is JSON text with further constraints (matchPattern).
	ExtendInfo string `json:"extendInfo,omitempty"`
}

// InquiryCodeRulesResponse carries the rule set and its version.
type InquiryCodeRulesResponse struct {
	Response
	CodeRules []CodeRule `json:"codeRules,omitempty"`
	Version   string     `json:"version,omitempty"`
}
