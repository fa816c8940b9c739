package wallet

import (
	"errors"
	"fmt"

	"github.com/mppwallet/mppwallet/internal/money"
)

// Code names why the wallet declined or could not process something. The
// values are the Alipay+ result codes the MPP answers with (seed "Make a
// payment"), which are the domain's own vocabulary for payment outcomes.
type Code string

// Payment outcome codes.
const (
	CodeSuccess               Code = "SUCCESS"
	CodeOrderClosed           Code = "ORDER_IS_CLOSED"
	CodeAmountExceedLimit     Code = "PAYMENT_AMOUNT_EXCEED_LIMIT"
	CodeUserAmountExceedLimit Code = "USER_AMOUNT_EXCEED_LIMIT"
	CodeCountExceedLimit      Code = "PAYMENT_COUNT_EXCEED_LIMIT"
	CodeBalanceNotEnough      Code = "USER_BALANCE_NOT_ENOUGH"
	CodeKYCNotQualified       Code = "USER_KYC_NOT_QUALIFIED"
	CodeRiskReject            Code = "RISK_REJECT"
	CodeUnavailableMethod     Code = "UNAVAILABLE_PAYMENT_METHOD"
	CodeMerchantNotRegistered Code = "MERCHANT_NOT_REGISTERED"
	CodeVerificationFailed    Code = "USER_PAYMENT_VERIFICATION_FAILED"
	CodeUserNotExist          Code = "USER_NOT_EXIST"
	CodeUserStatusAbnormal    Code = "USER_STATUS_ABNORMAL"
	CodeCurrencyNotSupport    Code = "CURRENCY_NOT_SUPPORT"
	CodeInProcess             Code = "PAYMENT_IN_PROCESS"
	CodeOrderNotExist         Code = "ORDER_NOT_EXIST"
	CodeRepeatInconsistent    Code = "REPEAT_REQ_INCONSISTENT"
	CodeRefundAmountExceed    Code = "REFUND_AMOUNT_EXCEED"
	CodeOrderStatusInvalid    Code = "ORDER_STATUS_INVALID"
	CodeParamIllegal          Code = "PARAM_ILLEGAL"
	// CodeProcessFail refuses a request the wallet cannot carry out, such as
	// a credit that would overflow the balance; nothing changed.
	CodeProcessFail Code = "PROCESS_FAIL"
)

// messages holds the user-facing explanation of each decline code.
var messages = map[Code]string{
	CodeSuccess:               "Success",
	CodeOrderClosed:           "The order is closed.",
	CodeAmountExceedLimit:     "The payment amount exceeds the limit of a single transaction.",
	CodeUserAmountExceedLimit: "The accumulated payment amount exceeds the user payment limit.",
	CodeCountExceedLimit:      "The number of payments exceeds the limit.",
	CodeBalanceNotEnough:      "The user's account balance is not enough.",
	CodeKYCNotQualified:       "The payment is declined because the user's KYC failed.",
	CodeRiskReject:            "The payment is declined due to risk control.",
	CodeUnavailableMethod:     "The payment method is not available.",
	CodeMerchantNotRegistered: "The payment is declined because the merchant verification failed.",
	CodeVerificationFailed:    "The payment is declined because the user verification failed.",
	CodeUserNotExist:          "The user does not exist.",
	CodeUserStatusAbnormal:    "The user's status is abnormal.",
	CodeCurrencyNotSupport:    "The currency is not supported.",
	CodeInProcess:             "The payment is in process.",
	CodeOrderNotExist:         "The order does not exist.",
	CodeRepeatInconsistent:    "The request repeats an earlier one with different key fields.",
	CodeRefundAmountExceed:    "The refund amount exceeds the refundable amount.",
	CodeOrderStatusInvalid:    "The order status does not allow this operation.",
	CodeParamIllegal:          "Illegal parameters.",
	CodeProcessFail:           "The wallet could not process the request; nothing changed.",
}

// Message returns the standard explanation of the code.
func (c Code) Message() string {
	if m, ok := messages[c]; ok {
		return m
	}
	return string(c)
}

// DeclineCodes lists the codes a user override may force on a payment.
var DeclineCodes = []Code{
	CodeRiskReject, CodeKYCNotQualified, CodeVerificationFailed, CodeUnavailableMethod,
	CodeMerchantNotRegistered, CodeBalanceNotEnough, CodeAmountExceedLimit,
	CodeUserAmountExceedLimit, CodeCountExceedLimit, CodeUserStatusAbnormal,
}

// Error is a domain error with a code, usable with errors.As.
type Error struct {
	Code    Code
	Message string
	// Err, when set, is the sentinel behind the error (ErrAmountOverflow),
	// for errors.Is.
	Err error
}

// Unwrap returns the sentinel behind the error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Error implements error.
func (e *Error) Error() string {
	if e.Message == "" {
		return string(e.Code)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf builds an *Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of a wallet *Error, or "" when err is not one.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Sentinel errors returned by stores and services.
var (
	// ErrNotFound is returned by a Store when a record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrExists is returned by a Store when a record with that key exists.
	ErrExists = errors.New("already exists")
	// ErrAmountOverflow is behind every PROCESS_FAIL error of a balance or
	// a running total that would not fit in int64 minor units: the wallet
	// refused the change and nothing was written. It is money.ErrOverflow,
	// so errors.Is matches either name.
	ErrAmountOverflow = money.ErrOverflow
)
