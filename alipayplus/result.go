package alipayplus

import (
	"errors"
	"fmt"
)

// Result status values.
const (
	StatusSuccess = "S"
	StatusFail    = "F"
	StatusUnknown = "U"
)

// Result codes used by the framework and the MPP APIs.
const (
	CodeSuccess                  = "SUCCESS"
	CodeAccessDenied             = "ACCESS_DENIED"
	CodeInvalidClient            = "INVALID_CLIENT"
	CodeInvalidSignature         = "INVALID_SIGNATURE"
	CodeKeyNotFound              = "KEY_NOT_FOUND"
	CodeMediaTypeNotAcceptable   = "MEDIA_TYPE_NOT_ACCEPTABLE"
	CodeMethodNotSupported       = "METHOD_NOT_SUPPORTED"
	CodeNoInterfaceDef           = "NO_INTERFACE_DEF"
	CodeParamIllegal             = "PARAM_ILLEGAL"
	CodeProcessFail              = "PROCESS_FAIL"
	CodeRequestTrafficExceed     = "REQUEST_TRAFFIC_EXCEED_LIMIT"
	CodeUnknownException         = "UNKNOWN_EXCEPTION"
	CodeRepeatReqInconsistent    = "REPEAT_REQ_INCONSISTENT"
	CodeOrderNotExist            = "ORDER_NOT_EXIST"
	CodeOrderIsClosed            = "ORDER_IS_CLOSED"
	CodePaymentInProcess         = "PAYMENT_IN_PROCESS"
	CodeUnavailablePaymentMethod = "UNAVAILABLE_PAYMENT_METHOD"
	CodeInvalidCode              = "INVALID_CODE"
	CodeExpiredCode              = "EXPIRED_CODE"
)

// Result is the outcome of an Alipay+ call.
type Result struct {
	ResultCode    string `json:"resultCode"`
	ResultStatus  string `json:"resultStatus"`
	ResultMessage string `json:"resultMessage,omitempty"`
}

// Success is the S/SUCCESS result.
func Success() Result {
	return Result{ResultCode: CodeSuccess, ResultStatus: StatusSuccess, ResultMessage: "Success"}
}

// Failure builds an F result.
func Failure(code, message string) Result {
	return Result{ResultCode: code, ResultStatus: StatusFail, ResultMessage: message}
}

// Unknown builds a U result.
func Unknown(code, message string) Result {
	return Result{ResultCode: code, ResultStatus: StatusUnknown, ResultMessage: message}
}

// Response is the part every response body shares; API responses embed it.
type Response struct {
	Result Result `json:"result"`
}

func (r *Response) response() *Response { return r }

// Responder is implemented by every response type of this package
// (through the embedded Response); Client.Call and Handle take one.
type Responder interface{ response() *Response }

// ErrUnknown marks an outcome that stayed unknown (U, or no answer) after
// every retry: the caller must not treat it as a failure.
var ErrUnknown = errors.New("result unknown")

// Error is an F or U result from the other side, usable with errors.As.
type Error struct {
	// Status is F or U.
	Status  string
	Code    string
	Message string
	// API is the path that was called.
	API string
}

// Error implements error.
func (e *Error) Error() string {
	s := fmt.Sprintf("%s %s", e.Code, e.Status)
	if e.API != "" {
		s = e.API + ": " + s
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Is makes errors.Is(err, ErrUnknown) true for U results.
func (e *Error) Is(target error) bool { return target == ErrUnknown && e.Status == StatusUnknown }

// checkResult turns a result into nil (S) or an *Error (F, U, malformed).
func checkResult(api string, r Result) error {
	switch r.ResultStatus {
	case StatusSuccess:
		return nil
	case StatusFail, StatusUnknown:
		return &Error{Status: r.ResultStatus, Code: r.ResultCode, Message: r.ResultMessage, API: api}
	}
	return &Error{Status: StatusUnknown, Code: r.ResultCode, API: api,
		Message: fmt.Sprintf("response has no valid resultStatus (%q)", r.ResultStatus)}
}
