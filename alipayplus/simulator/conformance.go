package simulator

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// Finding is one rule a message broke.
type Finding struct {
	// API is the short name of the API (see APIs).
	API string `json:"api"`
	// Message says what is wrong, as a sentence for people.
	Message string `json:"message"`
	// Field is the body field (dotted path) or header name concerned.
	Field string `json:"field,omitempty"`
	// Rule is a stable id of the rule that was broken: "signature",
	// "string-scalar", "no-empty-string", "required", "max-length",
	// "value-set", "result", "time-format", "amount", "json", "api",
	// "method", "content-type", "http-status", "invalid", or "disagreement"
	// (a fault replaced the wallet's final answer with the other one).
	Rule string `json:"rule"`
	// Side is the message that broke the rule: "request" or "response".
	Side string `json:"side"`
}

// Rule ids of findings.
const (
	ruleSignature     = "signature"
	ruleStringScalar  = "string-scalar"
	ruleNoEmptyString = "no-empty-string"
	ruleRequired      = "required"
	ruleMaxLength     = "max-length"
	ruleValueSet      = "value-set"
	ruleResult        = "result"
	ruleTimeFormat    = "time-format"
	ruleAmount        = "amount"
	ruleJSON          = "json"
	ruleAPI           = "api"
	ruleMethod        = "method"
	ruleContentType   = "content-type"
	ruleHTTPStatus    = "http-status"
	ruleInvalid       = "invalid"
)

// Sides of an exchange.
const (
	sideRequest  = "request"
	sideResponse = "response"
)

// Check returns what the wallet's side of one exchange broke. For an
// Incoming exchange (the wallet called the simulator: getPaymentCode,
// inquiryCodeRules, userInitiatedPay, notifyPayment) the wallet's message is
// the request; for an Outgoing exchange (the simulator called the wallet:
// pay, inquiryPayment, cancelPayment, refund) it is the response. Exchanges
// with the simulated acquirer are not the wallet's and yield nothing, and
// so does an Outgoing exchange that got no answer. Findings come in a
// stable order (by Side, Field, Rule, Message), each at most once; nil
// means the message conforms.
func Check(ex alipayplus.Exchange) []Finding {
	if isAcquirer(ex) {
		return nil
	}
	c := &checker{api: exchangeAPI(ex)}
	if isGatewayAPI(c.api) {
		c.epochTime = true
		c.checkGateway(ex)
		return c.done()
	}
	switch ex.Direction {
	case alipayplus.Incoming:
		c.side = sideRequest
		c.checkRequest(ex)
	case alipayplus.Outgoing:
		c.side = sideResponse
		c.checkResponse(ex)
	}
	return c.done()
}

// checker collects the findings of one exchange.
type checker struct {
	api, side string
	// epochTime accepts a Unix time in Request-Time (merchant SDKs).
	epochTime bool
	out       []Finding
}

func (c *checker) add(rule, field, format string, args ...any) {
	c.out = append(c.out, Finding{API: c.api, Side: c.side, Rule: rule, Field: field, Message: fmt.Sprintf(format, args...)})
}

// done removes duplicates and sorts.
func (c *checker) done() []Finding {
	if len(c.out) == 0 {
		return nil
	}
	sort.SliceStable(c.out, func(i, j int) bool {
		a, b := c.out[i], c.out[j]
		if a.Side != b.Side {
			return a.Side < b.Side
		}
		if a.Field != b.Field {
			return a.Field < b.Field
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
	out := c.out[:1]
	for _, f := range c.out[1:] {
		if f != out[len(out)-1] {
			out = append(out, f)
		}
	}
	return out
}

// urlPath is the path of an exchange's URL (absolute or a request URI).
func urlPath(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Path
	}
	p, _, _ := strings.Cut(raw, "?")
	return p
}

func hasAcquirerPrefix(p string) bool {
	return p == AcquirerPrefix || strings.HasPrefix(p, AcquirerPrefix+"/")
}

// isAcquirer reports whether the exchange is with the simulated acquirer.
func isAcquirer(ex alipayplus.Exchange) bool {
	return hasAcquirerPrefix(ex.API) || hasAcquirerPrefix(urlPath(ex.URL))
}

// exchangeAPI is the short name of an exchange's API. The client records
// the API path without its base URL, so the acquirer's prefix, when there is
// one, is only in the URL.
func exchangeAPI(ex alipayplus.Exchange) string {
	if p := urlPath(ex.URL); hasAcquirerPrefix(p) {
		return apiName(p)
	}
	return apiName(ex.API)
}

// checkHeaders checks the signature headers of the wallet's message:
// required names, the time header's format, and the signature itself.
// A missing or unreadable header explains a signature error, so the error
// is then not reported again.
func (c *checker) checkHeaders(h http.Header, timeHeader string, sigErr error) {
	broken := false
	for _, name := range []string{"Signature", "Client-Id", timeHeader} {
		if strings.TrimSpace(h.Get(name)) == "" {
			c.add(ruleSignature, name, "the %s header is missing", name)
			broken = true
		}
	}
	if v := strings.TrimSpace(h.Get(timeHeader)); v != "" {
		if _, err := alipayplus.ParseRequestTime(v, c.epochTime && timeHeader == "Request-Time"); err != nil {
			c.add(ruleTimeFormat, timeHeader, "%s header: %v", timeHeader, err)
			broken = true
		}
	}
	if broken {
		return
	}
	if sigErr != nil {
		c.add(ruleSignature, signatureErrField(sigErr), "signature check failed: %v", sigErr)
		return
	}
	if _, err := alipayplus.ParseSignatureHeader(h.Get("Signature")); err != nil {
		c.add(ruleSignature, "Signature", "Signature header: %v", err)
	}
}

// signatureErrField names the header a signature error is about.
func signatureErrField(err error) string {
	msg := err.Error()
	switch {
	case errors.Is(err, alipayplus.ErrSignatureMissing), errors.Is(err, alipayplus.ErrSignatureMalformed),
		errors.Is(err, alipayplus.ErrSignatureMismatch), errors.Is(err, alipayplus.ErrUnsupportedAlgorithm):
		return "Signature"
	case strings.Contains(msg, "Client-Id"), strings.Contains(msg, "unknown client"):
		return "Client-Id"
	case strings.Contains(msg, "Request-Time"):
		return "Request-Time"
	case strings.Contains(msg, "Response-Time"):
		return "Response-Time"
	}
	return "Signature"
}

// checkViolations reports body-convention departures, each once.
func (c *checker) checkViolations(vs ...[]alipayplus.Violation) {
	for _, list := range vs {
		for _, v := range list {
			switch v.Kind {
			case alipayplus.NotString:
				c.add(ruleStringScalar, v.Field, "%s", v.String())
			case alipayplus.EmptyString:
				c.add(ruleNoEmptyString, v.Field, "%s", v.String())
			default:
				c.add(ruleInvalid, v.Field, "%s", v.String())
			}
		}
	}
}

// checkProblems reports validation problems, classified by their text.
func (c *checker) checkProblems(problems []string) {
	for _, p := range problems {
		field, rule := classifyProblem(p)
		c.add(rule, field, "%s", p)
	}
}

// classifyProblem finds the field and the rule of a problem as written by
// the alipayplus validators and decoder.
func classifyProblem(p string) (field, rule string) {
	if strings.HasPrefix(p, alipayplus.ErrNotJSON.Error()) {
		return "", ruleJSON
	}
	head, tail, ok := strings.Cut(p, ": ")
	ok = ok && isFieldName(head)
	// Decode names a field of an embedded Response "Response.result".
	head = strings.TrimPrefix(head, "Response.")
	if ok {
		switch {
		case strings.HasPrefix(tail, "a JSON ") && strings.Contains(tail, " cannot be a "):
			return head, ruleJSON
		case strings.Contains(tail, "not ISO 8601"):
			return head, ruleTimeFormat
		case strings.Contains(tail, "ISO 4217"), strings.Contains(tail, "minor units"),
			tail == "value is required", strings.HasSuffix(tail, "is too large"):
			return head, ruleAmount
		}
	}
	field = firstToken(p)
	switch {
	case strings.HasSuffix(p, " is required"):
		return field, ruleRequired
	case strings.Contains(p, " is longer than "):
		return field, ruleMaxLength
	case strings.Contains(p, ` is "": `):
		return field, ruleNoEmptyString
	case strings.Contains(p, ": want "), strings.Contains(p, " is not allowed"):
		return field, ruleValueSet
	case strings.Contains(p, "not ISO 8601"):
		return field, ruleTimeFormat
	case ok:
		return head, ruleInvalid
	}
	return "", ruleInvalid
}

// firstToken is the leading field name of a problem, or "".
func firstToken(p string) string {
	end := strings.IndexAny(p, " :")
	if end < 0 {
		end = len(p)
	}
	if t := p[:end]; isFieldName(t) {
		return t
	}
	return ""
}

// isFieldName reports whether s looks like a dotted JSON field path.
func isFieldName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '[', r == ']', r == '_':
		default:
			return false
		}
	}
	return true
}

// checkDecode reports an undecodable body as one "json" finding; it returns
// the error text (to recognise the same error among the Problems) or "".
func (c *checker) checkDecode(err error) string {
	if err == nil {
		return ""
	}
	field, _ := classifyProblem(err.Error())
	c.add(ruleJSON, field, "%v", err)
	return err.Error()
}

// checkStr checks a string field's presence and length.
func (c *checker) checkStr(field, v string, required bool, max int) {
	switch {
	case v == "" && required:
		c.add(ruleRequired, field, "%s is required", field)
	case max > 0 && utf8.RuneCountInString(v) > max:
		c.add(ruleMaxLength, field, "%s is longer than %d characters", field, max)
	}
}

// checkTime checks a time field's presence and format.
func (c *checker) checkTime(field, v string, required bool) {
	if v == "" {
		if required {
			c.add(ruleRequired, field, "%s is required", field)
		}
		return
	}
	if _, err := alipayplus.ParseTime(v); err != nil {
		c.add(ruleTimeFormat, field, "%s: %v", field, err)
	}
}

// checkAmount checks an amount field.
func (c *checker) checkAmount(field string, a *alipayplus.Amount) {
	if a == nil {
		return
	}
	if _, err := a.Money(); err != nil {
		c.add(ruleAmount, field, "%s: %v", field, err)
	}
}

// isJSONMediaType reports whether a Content-Type names application/json.
func isJSONMediaType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/json"
}

// walletCalls are the APIs the wallet calls on Alipay+ (Incoming).
var walletCalls = map[string]bool{
	APIGetPaymentCode: true, APIInquiryCodeRules: true, APIUserInitiatedPay: true, APINotifyPayment: true,
}

// newRequest returns a new request value for an API the wallet calls.
func newRequest(api string) any {
	switch api {
	case APIGetPaymentCode:
		return new(alipayplus.GetPaymentCodeRequest)
	case APIInquiryCodeRules:
		return new(alipayplus.InquiryCodeRulesRequest)
	case APIUserInitiatedPay:
		return new(alipayplus.UserInitiatedPayRequest)
	case APINotifyPayment:
		return new(alipayplus.NotifyPaymentRequest)
	}
	return nil
}

// checkRequest judges a request the wallet sent to the simulator. The
// server's own Violations and Problems are reported, and the body is decoded
// and validated again, so that requests the server did not get to validate
// (a bad signature, an injected fault) are judged too; duplicates collapse.
func (c *checker) checkRequest(ex alipayplus.Exchange) {
	if !walletCalls[c.api] {
		c.add(ruleAPI, "", "%s is not an API the wallet may call on Alipay+", urlPath(ex.URL))
		return
	}
	bodyRead := ex.RequestBody != nil
	if !bodyRead && ex.Result.ResultCode == alipayplus.CodeMethodNotSupported {
		c.add(ruleMethod, "", "the request was not a POST")
	}
	if ct := ex.RequestHeader.Get("Content-Type"); ct != "" && !isJSONMediaType(ct) {
		c.add(ruleContentType, "Content-Type", "Content-Type %q is not application/json", ct)
	}
	c.checkHeaders(ex.RequestHeader, "Request-Time", ex.SignatureErr)
	c.checkViolations(ex.Violations)
	decodeErr := ""
	if bodyRead && !(c.api == APIInquiryCodeRules && len(strings.TrimSpace(string(ex.RequestBody))) == 0) {
		req := newRequest(c.api)
		vs, err := alipayplus.Decode(ex.RequestBody, req)
		c.checkViolations(vs)
		decodeErr = c.checkDecode(err)
		if err == nil {
			c.checkProblems(validate(req))
		}
	}
	for _, p := range ex.Problems {
		if p != decodeErr {
			c.checkProblems([]string{p})
		}
	}
}

// validate runs a request's own Validate and returns its problems.
func validate(req any) []string {
	v, ok := req.(interface{ Validate() error })
	if !ok {
		return nil
	}
	err := v.Validate()
	if err == nil {
		return nil
	}
	var fe *alipayplus.FieldError
	if errors.As(err, &fe) {
		return fe.Problems
	}
	return []string{err.Error()}
}

// commonFailCodes are the API-framework codes any F result may carry.
var commonFailCodes = []string{
	alipayplus.CodeRepeatReqInconsistent, alipayplus.CodeParamIllegal, alipayplus.CodeProcessFail,
	alipayplus.CodeInvalidSignature, alipayplus.CodeInvalidClient, alipayplus.CodeAccessDenied,
	alipayplus.CodeKeyNotFound, alipayplus.CodeMethodNotSupported, alipayplus.CodeMediaTypeNotAcceptable,
	alipayplus.CodeNoInterfaceDef, "INVALID_API",
}

// payFailCodes are the decline codes of pay (seed 001 "Make a payment" and
// protocol.md §3.3) plus the common codes.
var payFailCodes = append([]string{
	alipayplus.CodeOrderIsClosed, "PAYMENT_AMOUNT_EXCEED_LIMIT", "USER_AMOUNT_EXCEED_LIMIT",
	"PAYMENT_COUNT_EXCEED_LIMIT", "USER_BALANCE_NOT_ENOUGH", "USER_KYC_NOT_QUALIFIED", "RISK_REJECT",
	alipayplus.CodeUnavailablePaymentMethod, "MERCHANT_NOT_REGISTERED", "USER_PAYMENT_VERIFICATION_FAILED",
	"USER_NOT_EXIST", "USER_STATUS_ABNORMAL", "CURRENCY_NOT_SUPPORT", alipayplus.CodeInvalidCode,
	alipayplus.CodeExpiredCode,
}, commonFailCodes...)

// Codes a U result may carry.
var (
	payUnknownCodes  = []string{alipayplus.CodePaymentInProcess, alipayplus.CodeUnknownException, alipayplus.CodeRequestTrafficExceed}
	callUnknownCodes = []string{alipayplus.CodeUnknownException, alipayplus.CodeRequestTrafficExceed}
)

// codeSet lists the codes a result of some status may carry; nil means
// any code.
type codeSet struct{ fail, unknown []string }

// Code sets per result. Only pay's decline codes are documented (seed 001);
// the F codes of inquiryPayment, cancelPayment and refund are not, so any
// is accepted there. A U inquiry paymentResult means "in process".
var (
	payCodes           = codeSet{fail: payFailCodes, unknown: payUnknownCodes}
	paymentResultCodes = codeSet{fail: payFailCodes, unknown: []string{alipayplus.CodePaymentInProcess}}
	callCodes          = codeSet{unknown: callUnknownCodes}
)

// walletAnswers are the APIs Alipay+ calls on the wallet (Outgoing).
var walletAnswers = map[string]bool{APIPay: true, APIInquiryPayment: true, APICancelPayment: true, APIRefund: true}

// checkResponse judges the wallet's answer to a call from the simulator.
func (c *checker) checkResponse(ex alipayplus.Exchange) {
	if !walletAnswers[c.api] {
		return
	}
	if len(ex.ResponseBody) == 0 && (ex.Err != nil || (ex.HTTPStatus == 0 && ex.ResponseHeader == nil)) {
		return // no answer to judge
	}
	if ex.HTTPStatus != 0 && ex.HTTPStatus != http.StatusOK {
		c.add(ruleHTTPStatus, "", "HTTP status %d: Alipay+ expects 200 with the outcome in result", ex.HTTPStatus)
	}
	c.checkHeaders(ex.ResponseHeader, "Response-Time", ex.SignatureErr)
	c.checkViolations(ex.Violations)
	switch c.api {
	case APIPay:
		var r alipayplus.PayResponse
		if c.decodeResponse(ex.ResponseBody, &r) {
			c.checkPay(&r)
		}
	case APIInquiryPayment:
		var r alipayplus.InquiryPaymentResponse
		if c.decodeResponse(ex.ResponseBody, &r) {
			c.checkInquiry(&r)
		}
	case APICancelPayment:
		var r alipayplus.CancelPaymentResponse
		if c.decodeResponse(ex.ResponseBody, &r) {
			c.checkResult("result", &r.Result, callCodes)
		}
	case APIRefund:
		var r alipayplus.RefundResponse
		if c.decodeResponse(ex.ResponseBody, &r) {
			c.checkRefund(&r)
		}
	}
}

// decodeResponse decodes a response body leniently and reports its
// violations; it reports whether the body could be decoded.
func (c *checker) decodeResponse(raw []byte, v any) bool {
	vs, err := alipayplus.Decode(raw, v)
	c.checkViolations(vs)
	return c.checkDecode(err) == ""
}

// checkResult checks a result object (field is "result" or
// "paymentResult") and reports whether its status is S, F or U.
func (c *checker) checkResult(field string, r *alipayplus.Result, codes codeSet) bool {
	if *r == (alipayplus.Result{}) {
		c.add(ruleResult, field, "the response has no %s", field)
		return false
	}
	status, code := r.ResultStatus, r.ResultCode
	valid := status == alipayplus.StatusSuccess || status == alipayplus.StatusFail || status == alipayplus.StatusUnknown
	switch {
	case status == "":
		c.add(ruleResult, field+".resultStatus", "%s.resultStatus is missing: want S, F or U", field)
	case !valid:
		c.add(ruleResult, field+".resultStatus", "%s.resultStatus %q: want S, F or U", field, status)
	}
	switch {
	case code == "":
		c.add(ruleResult, field+".resultCode", "%s.resultCode is missing", field)
	case utf8.RuneCountInString(code) > 64:
		c.add(ruleResult, field+".resultCode", "%s.resultCode is longer than 64 characters", field)
	case valid:
		c.checkCode(field, status, code, codes)
	}
	c.checkStr(field+".resultMessage", r.ResultMessage, false, 256)
	return valid
}

// checkCode checks that a result code fits its status.
func (c *checker) checkCode(field, status, code string, codes codeSet) {
	var allowed []string
	switch status {
	case alipayplus.StatusSuccess:
		allowed = []string{alipayplus.CodeSuccess}
	case alipayplus.StatusFail:
		allowed = codes.fail
	case alipayplus.StatusUnknown:
		allowed = codes.unknown
	}
	if allowed == nil || contains(allowed, code) {
		return
	}
	if len(allowed) > 3 {
		c.add(ruleValueSet, field+".resultCode", "%s.resultCode %q is not a documented %s code for %s %s",
			field, code, c.api, field, status)
		return
	}
	c.add(ruleValueSet, field+".resultCode", "%s.resultCode %q with %s: want one of %s",
		field, code, status, strings.Join(allowed, ", "))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkPay checks a pay response: a success carries the MPP's payment id
// and time.
func (c *checker) checkPay(r *alipayplus.PayResponse) {
	c.checkResult("result", &r.Result, payCodes)
	paid := r.Result.ResultStatus == alipayplus.StatusSuccess
	c.checkStr("paymentId", r.PaymentID, paid, 64)
	c.checkTime("paymentTime", r.PaymentTime, paid)
	c.checkStr("customerId", r.CustomerID, false, 64)
}

// checkInquiry checks an inquiryPayment response: a successful inquiry
// carries the payment's own result, and a paid payment its id.
func (c *checker) checkInquiry(r *alipayplus.InquiryPaymentResponse) {
	ok := c.checkResult("result", &r.Result, callCodes) && r.Result.ResultStatus == alipayplus.StatusSuccess
	if ok {
		if r.PaymentResult == nil {
			c.add(ruleRequired, "paymentResult", "paymentResult is required when the inquiry succeeds")
		} else if c.checkResult("paymentResult", r.PaymentResult, paymentResultCodes) &&
			r.PaymentResult.ResultStatus == alipayplus.StatusSuccess {
			c.checkStr("paymentId", r.PaymentID, true, 64)
		}
	}
	c.checkStr("paymentId", r.PaymentID, false, 64)
	c.checkTime("paymentTime", r.PaymentTime, false)
	c.checkAmount("paymentAmount", r.PaymentAmount)
	c.checkAmount("payToAmount", r.PayToAmount)
	c.checkStr("customerId", r.CustomerID, false, 64)
}

// checkRefund checks a refund response: a success carries the refund id.
func (c *checker) checkRefund(r *alipayplus.RefundResponse) {
	c.checkResult("result", &r.Result, callCodes)
	c.checkStr("refundId", r.RefundID, r.Result.ResultStatus == alipayplus.StatusSuccess, 64)
	c.checkTime("refundTime", r.RefundTime, false)
}
