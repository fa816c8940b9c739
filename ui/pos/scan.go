package pos

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// The lengths a customer's payment code may have (Alipay+ codes are
// digits, 24 of them here, and other networks' 16 to 32).
const (
	MinCodeDigits = 16
	MaxCodeDigits = 32
)

// Result codes of a scan refused before anything is charged.
const (
	CodeEmptyScan      = "EMPTY_SCAN"
	CodeNotPaymentCode = "NOT_A_PAYMENT_CODE"
	CodeMerchantQRCode = "MERCHANT_QR_CODE"
)

const (
	// maxScanShown is how much of a bad scan its reason quotes.
	maxScanShown = 40
	// maxScanChars bounds what one scan may type before its terminator.
	maxScanChars = 4096
	mask         = "••••"
	maskedEnds   = 4
)

// Scanner says how the barcode scanner frames what it types: a prefix
// and suffix it adds around every code (set in the scanner's
// configuration), stripped before the code is checked.
type Scanner struct {
	Prefix, Suffix string
}

// ScanError is a scan refused before anything was charged: empty, or not
// a customer's payment code.
type ScanError struct {
	// Code is CodeEmptyScan, CodeNotPaymentCode or CodeMerchantQRCode.
	Code string
	// Reason says what was scanned and why it is not a payment code.
	Reason string
}

// Error implements error.
func (e *ScanError) Error() string { return e.Reason }

// Clean turns what the scanner typed into a payment code: it strips the
// scanner's prefix and suffix and any whitespace (stray spaces, the
// terminator), then checks the code is 16 to 32 digits. Anything else is a
// *ScanError that says what it looks like instead (a URL or EMVCo text is a
// merchant's QR code).
func (s Scanner) Clean(raw string) (string, error) {
	v := strings.TrimSpace(raw)
	if s.Prefix != "" {
		v = strings.TrimPrefix(v, s.Prefix)
	}
	if s.Suffix != "" {
		v = strings.TrimSuffix(v, s.Suffix)
	}
	v = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, v)
	switch {
	case v == "":
		return "", &ScanError{Code: CodeEmptyScan, Reason: "empty scan"}
	case strings.Contains(v, "://") || strings.HasPrefix(strings.ToLower(v), "www."):
		return "", &ScanError{Code: CodeMerchantQRCode,
			Reason: fmt.Sprintf("%s is a URL: a merchant's QR code, not the customer's payment code", shorten(v))}
	case strings.HasPrefix(v, "000201") && !allDigits(v):
		return "", &ScanError{Code: CodeMerchantQRCode,
			Reason: fmt.Sprintf("%s is an EMVCo merchant QR code, not the customer's payment code", shorten(v))}
	case !allDigits(v):
		return "", &ScanError{Code: CodeNotPaymentCode,
			Reason: fmt.Sprintf("%s is not a payment code (want %d-%d digits)", shorten(v), MinCodeDigits, MaxCodeDigits)}
	case len(v) < MinCodeDigits || len(v) > MaxCodeDigits:
		return "", &ScanError{Code: CodeNotPaymentCode,
			Reason: fmt.Sprintf("%s has %d digits: a payment code has %d-%d", Mask(v), len(v), MinCodeDigits, MaxCodeDigits)}
	}
	return v, nil
}

// Mask shows a code's first and last four characters only, as receipts
// do: a payment code is as good as cash until it expires.
func Mask(code string) string {
	if len(code) <= 2*maskedEnds {
		return code
	}
	return code[:maskedEnds] + mask + code[len(code)-maskedEnds:]
}

// longDigits are runs of digits that may be a payment code.
var longDigits = regexp.MustCompile(`[0-9]{12,}`)

// shorten quotes what was scanned, cut to a readable length, with any
// long run of digits masked: it may hold the customer's code.
func shorten(s string) string {
	s = longDigits.ReplaceAllStringFunc(s, Mask)
	r := []rune(s)
	if len(r) > maxScanShown {
		return fmt.Sprintf("%q…", string(r[:maxScanShown]))
	}
	return fmt.Sprintf("%q", s)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
