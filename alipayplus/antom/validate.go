package antom

import (
	"fmt"
	"net/url"
	"unicode/utf8"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// problems collects what is wrong with a request's fields.
type problems []string

func (p *problems) addf(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

func (p *problems) str(name, v string, required bool, max int) {
	switch {
	case v == "" && required:
		p.addf("%s is required", name)
	case utf8.RuneCountInString(v) > max:
		p.addf("%s is longer than %d characters", name, max)
	}
}

func (p *problems) amount(name string, a *alipayplus.Amount, required bool) {
	if a == nil {
		if required {
			p.addf("%s is required", name)
		}
		return
	}
	m, err := a.Money()
	switch {
	case err != nil:
		p.addf("%s: %v", name, err)
	case m.Minor <= 0:
		p.addf("%s.value must be positive", name)
	}
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &alipayplus.FieldError{Problems: p}
}

// Validate checks the fields a payment-code pay needs.
func (r *PayRequest) Validate() error {
	var p problems
	p.str("productCode", r.ProductCode, true, 32)
	if r.ProductCode != "" && r.ProductCode != ProductInStore {
		p.addf("productCode %q: this gateway serves %s only", r.ProductCode, ProductInStore)
	}
	p.str("paymentRequestId", r.PaymentRequestID, true, 64)
	p.amount("paymentAmount", r.PaymentAmount, true)
	switch {
	case r.PaymentMethod == nil:
		p.addf("paymentMethod is required")
	default:
		if r.PaymentMethod.PaymentMethodType != MethodConnectWallet {
			p.addf("paymentMethod.paymentMethodType %q: want %s", r.PaymentMethod.PaymentMethodType, MethodConnectWallet)
		}
		p.str("paymentMethod.paymentMethodId", r.PaymentMethod.PaymentMethodID, true, 128)
	}
	if r.PaymentFactor != nil && r.PaymentFactor.InStorePaymentScenario != "" &&
		r.PaymentFactor.InStorePaymentScenario != ScenarioPaymentCode {
		p.addf("paymentFactor.inStorePaymentScenario %q: this gateway serves %s (User-presented Mode) only",
			r.PaymentFactor.InStorePaymentScenario, ScenarioPaymentCode)
	}
	if r.Order == nil {
		p.addf("order is required")
	} else {
		p.str("order.referenceOrderId", r.Order.ReferenceOrderID, false, 64)
		p.str("order.orderDescription", r.Order.OrderDescription, false, 256)
		p.amount("order.orderAmount", r.Order.OrderAmount, false)
		if r.Order.OrderAmount != nil && r.PaymentAmount != nil && r.Order.OrderAmount.Currency != r.PaymentAmount.Currency {
			p.addf("order.orderAmount.currency %s differs from paymentAmount.currency %s", r.Order.OrderAmount.Currency, r.PaymentAmount.Currency)
		}
	}
	if r.PaymentExpiryTime != "" {
		if _, err := alipayplus.ParseTime(r.PaymentExpiryTime); err != nil {
			p.addf("paymentExpiryTime: %v", err)
		}
	}
	if r.PaymentNotifyURL != "" {
		p.str("paymentNotifyUrl", r.PaymentNotifyURL, false, 2048)
		if u, err := url.Parse(r.PaymentNotifyURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.addf("paymentNotifyUrl %q is not an http(s) URL", r.PaymentNotifyURL)
		}
	}
	return p.err()
}

// Validate checks that the payment is named.
func (r *InquiryPaymentRequest) Validate() error {
	return namesPayment(r.PaymentRequestID, r.PaymentID)
}

// Validate checks that the payment is named.
func (r *CancelRequest) Validate() error { return namesPayment(r.PaymentRequestID, r.PaymentID) }

// namesPayment checks a payment named by paymentRequestId or paymentId.
func namesPayment(requestID, paymentID string) error {
	var p problems
	if requestID == "" && paymentID == "" {
		p.addf("paymentRequestId or paymentId is required")
	}
	p.str("paymentRequestId", requestID, false, 64)
	p.str("paymentId", paymentID, false, 64)
	return p.err()
}

// Validate checks the refund's fields.
func (r *RefundRequest) Validate() error {
	var p problems
	p.str("refundRequestId", r.RefundRequestID, true, 64)
	p.str("paymentId", r.PaymentID, true, 64)
	p.amount("refundAmount", r.RefundAmount, true)
	p.str("refundReason", r.RefundReason, false, 256)
	return p.err()
}
