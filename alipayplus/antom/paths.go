package antom

import "strings"

// API paths of the acquiring API, as the SDKs call them in production.
const (
	PathPay            = "/ams/api/v1/payments/pay"
	PathInquiryPayment = "/ams/api/v1/payments/inquiryPayment"
	PathCancel         = "/ams/api/v1/payments/cancel"
	PathRefund         = "/ams/api/v1/payments/refund"
)

// Paths lists every production path the gateway serves.
func Paths() []string { return []string{PathPay, PathInquiryPayment, PathCancel, PathRefund} }

// SandboxPath is where an SDK sends a request when its Client-Id starts
// with SANDBOX_: the first "/ams/api" becomes "/ams/sandbox/api".
func SandboxPath(path string) string { return strings.Replace(path, "/ams/api", "/ams/sandbox/api", 1) }

// ProductionPath undoes SandboxPath; any other path is returned as it is.
func ProductionPath(path string) string {
	return strings.Replace(path, "/ams/sandbox/api", "/ams/api", 1)
}

// IsSandboxClient reports whether an SDK with this Client-Id uses the
// sandbox paths.
func IsSandboxClient(clientID string) bool { return strings.HasPrefix(clientID, "SANDBOX_") }
