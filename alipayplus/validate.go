package alipayplus

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// FieldError lists what is wrong with a request's fields; servers answer it
// with PARAM_ILLEGAL.
type FieldError struct {
	Problems []string
}

// Error implements error.
func (e *FieldError) Error() string { return strings.Join(e.Problems, "; ") }

// fields collects field problems.
type fields struct{ problems []string }

func (f *fields) addf(format string, args ...any) {
	f.problems = append(f.problems, fmt.Sprintf(format, args...))
}

func (f *fields) str(name, v string, required bool, max int) {
	switch {
	case v == "" && required:
		f.addf("%s is required", name)
	case max > 0 && utf8.RuneCountInString(v) > max:
		f.addf("%s is longer than %d characters", name, max)
	}
}

func (f *fields) amount(name string, a *Amount, required bool) {
	if a == nil {
		if required {
			f.addf("%s is required", name)
		}
		return
	}
	if _, err := a.Money(); err != nil {
		f.addf("%s: %v", name, err)
	}
}

func (f *fields) time(name, v string, required bool) {
	if v == "" {
		if required {
			f.addf("%s is required", name)
		}
		return
	}
	if _, err := ParseTime(v); err != nil {
		f.addf("%s: %v", name, err)
	}
}

func (f *fields) oneOf(name, v string, allowed ...string) {
	if v == "" {
		return
	}
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	f.addf("%s %q: want one of %s", name, v, strings.Join(allowed, ", "))
}

func (f *fields) err() error {
	if len(f.problems) == 0 {
		return nil
	}
	return &FieldError{Problems: f.problems}
}

// Validate checks the request against the getPaymentCode reference.
func (r *GetPaymentCodeRequest) Validate() error {
	var f fields
	f.str("customerId", r.CustomerID, true, 64)
	f.str("region", r.Region, false, 2)
	if r.Region != "" && len(r.Region) != 2 {
		f.addf("region %q: want a 2-letter ISO 3166 code", r.Region)
	}
	if r.CodeQuantity != "" {
		n, err := strconv.Atoi(r.CodeQuantity)
		if err != nil || n < 1 || n > 10 {
			f.addf("codeQuantity %q: want 1 to 10", r.CodeQuantity)
		}
	}
	if r.Env == nil {
		f.addf("env is required")
	} else {
		f.str("env.deviceTokenId", r.Env.DeviceTokenID, true, 64)
		f.oneOf("env.terminalType", r.Env.TerminalType, "APP", "WEB", "WAP", "MINI_APP")
		f.oneOf("env.osType", r.Env.OSType, "IOS", "ANDROID")
		f.str("env.clientIp", r.Env.ClientIP, false, 64)
		f.str("env.cookieId", r.Env.CookieID, false, 64)
		f.str("env.userAgent", r.Env.UserAgent, false, 1024)
	}
	if r.IndirectMpp != nil {
		f.str("indirectMpp.indirectMppId", r.IndirectMpp.IndirectMppID, true, 64)
		f.str("indirectMpp.indirectMppName", r.IndirectMpp.IndirectMppName, false, 256)
	}
	return f.err()
}

// Validate checks the request against the pay reference and seed samples.
func (r *PayRequest) Validate() error {
	var f fields
	f.str("acquirerId", r.AcquirerID, true, 64)
	f.str("pspId", r.PSPID, true, 64)
	f.str("paymentRequestId", r.PaymentRequestID, true, 64)
	if r.Order == nil {
		f.addf("order is required")
	} else {
		f.str("order.referenceOrderId", r.Order.ReferenceOrderID, false, 64)
		f.str("order.orderDescription", r.Order.OrderDescription, false, 256)
		f.amount("order.orderAmount", r.Order.OrderAmount, false)
	}
	f.amount("paymentAmount", r.PaymentAmount, true)
	f.amount("payToAmount", r.PayToAmount, true)
	if r.PaymentMethod == nil {
		f.addf("paymentMethod is required")
	} else {
		f.str("paymentMethod.paymentMethodType", r.PaymentMethod.PaymentMethodType, true, 64)
		f.str("paymentMethod.paymentMethodId", r.PaymentMethod.PaymentMethodID, true, 128)
		f.str("paymentMethod.customerId", r.PaymentMethod.CustomerID, true, 64)
	}
	f.time("paymentExpiryTime", r.PaymentExpiryTime, false)
	f.str("paymentNotifyUrl", r.PaymentNotifyURL, false, 2048)
	f.str("passThroughInfo", r.PassThroughInfo, false, 20000)
	return f.err()
}

// Validate checks the request against the inquiryPayment reference.
func (r *InquiryPaymentRequest) Validate() error {
	var f fields
	f.str("acquirerId", r.AcquirerID, true, 64)
	f.str("pspId", r.PSPID, true, 64)
	f.str("paymentRequestId", r.PaymentRequestID, true, 64)
	return f.err()
}

// Validate checks the request against the cancelPayment reference.
func (r *CancelPaymentRequest) Validate() error {
	var f fields
	f.str("acquirerId", r.AcquirerID, true, 64)
	f.str("pspId", r.PSPID, true, 64)
	f.str("paymentRequestId", r.PaymentRequestID, true, 64)
	return f.err()
}

// Validate checks the request against the refund reference.
func (r *RefundRequest) Validate() error {
	var f fields
	f.str("acquirerId", r.AcquirerID, true, 64)
	f.str("pspId", r.PSPID, true, 64)
	f.str("paymentRequestId", r.PaymentRequestID, true, 64)
	f.str("paymentId", r.PaymentID, true, 64)
	f.str("refundRequestId", r.RefundRequestID, true, 64)
	f.amount("refundAmount", r.RefundAmount, true)
	f.amount("refundFromAmount", r.RefundFromAmount, false)
	return f.err()
}

// Validate checks the request against the userInitiatedPay reference.
func (r *UserInitiatedPayRequest) Validate() error {
	var f fields
	f.str("codeValue", r.CodeValue, true, 512)
	f.str("customerId", r.CustomerID, true, 64)
	f.str("acquirerId", r.AcquirerID, false, 64)
	f.str("pspId", r.PSPID, false, 64)
	f.str("passThroughInfo", r.PassThroughInfo, false, 20000)
	return f.err()
}

// Validate checks the request against the notifyPayment reference.
func (r *NotifyPaymentRequest) Validate() error {
	var f fields
	f.str("paymentRequestId", r.PaymentRequestID, true, 64)
	if r.PaymentResult == nil {
		f.addf("paymentResult is required")
	} else {
		f.str("paymentResult.resultCode", r.PaymentResult.ResultCode, true, 64)
		switch r.PaymentResult.ResultStatus {
		case StatusSuccess, StatusFail:
		case StatusUnknown:
			f.addf("paymentResult.resultStatus U is not allowed: notify only final results (S or F)")
		default:
			f.addf("paymentResult.resultStatus %q: want S or F", r.PaymentResult.ResultStatus)
		}
	}
	f.str("paymentId", r.PaymentID, false, 64)
	f.time("paymentTime", r.PaymentTime, false)
	f.amount("paymentAmount", r.PaymentAmount, false)
	f.amount("payToAmount", r.PayToAmount, false)
	f.str("customerId", r.CustomerID, false, 64)
	return f.err()
}

// Validate accepts any inquiryCodeRules request: it has no parameters.
func (r *InquiryCodeRulesRequest) Validate() error { return nil }
