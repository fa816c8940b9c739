package simulator

import (
	"context"
	"strconv"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// CodeIssuer is the simulator's Code Issuer Identifier: 24-digit codes are
// CII (6) + business type 02 (payment code) + a 16-digit user number that
// carries no personal data (protocol.md §2.1).
const CodeIssuer = "259999"

// issuedCode is a payment code Alipay+ handed out.
type issuedCode struct {
	Value      string
	CustomerID string
	ClientID   string
	ValidFrom  time.Time
	ExpiresAt  time.Time
	Used       bool
	// RequestID is the payment that used the code.
	RequestID string
}

// IssuedCode describes a code for the admin API and tests.
type IssuedCode struct {
	Value      string    `json:"paymentCode"`
	CustomerID string    `json:"customerId"`
	ClientID   string    `json:"clientId"`
	ValidFrom  time.Time `json:"codeValidityStartTime"`
	ExpiresAt  time.Time `json:"codeExpiryTime"`
	Used       bool      `json:"used"`
	RequestID  string    `json:"paymentRequestId,omitempty"`
}

// Codes lists the codes issued to a customer ("" = all), oldest first.
func (s *Simulator) Codes(customerID string) []IssuedCode {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []IssuedCode
	for _, c := range s.codes {
		if customerID == "" || c.CustomerID == customerID {
			out = append(out, IssuedCode(*c))
		}
	}
	sortCodes(out)
	return out
}

func sortCodes(cs []IssuedCode) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].ValidFrom.Before(cs[j-1].ValidFrom); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// getPaymentCode issues codes: the first valid from now, each next one
// CodeStep later, each valid CodeValidity.
func (s *Simulator) getPaymentCode(_ context.Context, call *alipayplus.Call, req *alipayplus.GetPaymentCodeRequest) *alipayplus.GetPaymentCodeResponse {
	n := 1
	if req.CodeQuantity != "" {
		n, _ = strconv.Atoi(req.CodeQuantity) // validated: 1..10
	}
	now := s.cfg.Now()
	resp := &alipayplus.GetPaymentCodeResponse{Response: alipayplus.Response{Result: alipayplus.Success()}}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireCodesLocked(now)
	for i := 0; i < n; i++ {
		from := now.Add(time.Duration(i) * s.timing.CodeStep)
		c := &issuedCode{Value: CodeIssuer + "02" + digits(16), CustomerID: req.CustomerID, ClientID: call.ClientID,
			ValidFrom: from, ExpiresAt: from.Add(s.timing.CodeValidity)}
		if _, dup := s.codes[c.Value]; dup {
			i--
			continue
		}
		s.codes[c.Value] = c
		resp.PaymentCodeInfoList = append(resp.PaymentCodeInfoList, alipayplus.PaymentCodeInfo{
			PaymentCode: c.Value, CodeValidityStartTime: s.timeString(c.ValidFrom), CodeExpiryTime: s.timeString(c.ExpiresAt)})
	}
	return resp
}

// expireCodesLocked forgets codes that expired over CodeRetention ago, so
// a long run does not grow without bound. Callers hold s.mu.
func (s *Simulator) expireCodesLocked(now time.Time) {
	for v, c := range s.codes {
		if now.Sub(c.ExpiresAt) > CodeRetention {
			delete(s.codes, v)
		}
	}
}

// CodeError says why a scanned payment code cannot be charged.
type CodeError struct {
	Code    string
	Message string
}

func (e *CodeError) Error() string { return e.Code + ": " + e.Message }

// takeCode checks a scanned code and marks it used; it is single-use.
func (s *Simulator) takeCode(value, requestID string) (issuedCode, error) {
	now := s.cfg.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.codes[value]
	switch {
	case !ok:
		return issuedCode{}, &CodeError{alipayplus.CodeInvalidCode, "this is not a payment code Alipay+ issued (or it expired long ago)"}
	case c.Used:
		return issuedCode{}, &CodeError{alipayplus.CodeInvalidCode, "this payment code was already used for payment " + c.RequestID}
	case now.Before(c.ValidFrom):
		return issuedCode{}, &CodeError{alipayplus.CodeInvalidCode, "this payment code is not valid until " + s.timeString(c.ValidFrom)}
	case !now.Before(c.ExpiresAt):
		return issuedCode{}, &CodeError{alipayplus.CodeExpiredCode, "this payment code expired at " + s.timeString(c.ExpiresAt)}
	}
	c.Used, c.RequestID = true, requestID
	return *c, nil
}

// codeOwner returns the Client-Id of the wallet a code was issued to.
func (s *Simulator) codeOwner(value string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.codes[value]
	if !ok {
		return "", false
	}
	return c.ClientID, true
}
