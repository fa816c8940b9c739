package ui

import (
	"context"
	"errors"
	"time"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

// Backend is what the screens need from the wallet and the network.
type Backend interface {
	// FetchCodes asks Alipay+ for n payment codes for the customer.
	FetchCodes(ctx context.Context, customerID string, n int) ([]wallet.PaymentCode, error)
	// Confirm answers a payment held for the user's confirmation and
	// reports it to Alipay+.
	Confirm(ctx context.Context, requestID string, approve bool) (wallet.Payment, error)
	// User returns the customer (name, balance).
	User(ctx context.Context, id string) (wallet.User, error)
	// Payments lists the customer's payments (refunds included as the
	// refunded amounts), newest first; limit 0 means all.
	Payments(ctx context.Context, customerID string, limit int) ([]wallet.Payment, error)
	// Users lists the wallet's users.
	Users(ctx context.Context) ([]wallet.User, error)
	// Exchanges returns the Alipay+ exchanges recorded after sinceSeq,
	// oldest first.
	Exchanges(ctx context.Context, sinceSeq int64) ([]Exchange, error)
	// ExportTranscript writes the retained exchanges as JSON lines and
	// returns the file's path.
	ExportTranscript(ctx context.Context) (path string, err error)
	OverrideBackend
	ScanBackend
	RefundBackend
}

// RefundBackend is what History needs to refund a payment: Alipay+ (the
// simulator, acting for the merchant) sends the wallet a refund.
type RefundBackend interface {
	// Refund has Alipay+ refund amount of the payment requestID (in the
	// merchant's currency or the wallet's); the wallet's refusal, or a
	// gateway that cannot refund on request, is the error.
	Refund(ctx context.Context, requestID string, amount money.Money) (RefundResult, error)
}

// RefundResult is a refund the wallet accepted.
type RefundResult struct {
	// Amount is what was refunded, as asked; RefundID the wallet's ID of
	// the refund, RefundRequestID Alipay+'s.
	Amount                    money.Money
	RefundID, RefundRequestID string
}

// Exchange is one Alipay+ exchange as the inspector shows it.
type Exchange struct {
	Seq                                      int64
	At                                       time.Time
	Direction, API, ResultStatus, ResultCode string
	Signature                                string
	LatencyMs                                float64
	Findings                                 int
	RequestBody, ResponseBody                string
	// URI is the request's URL or path; HTTPStatus the answer's (0: none).
	URI        string
	HTTPStatus int
	// RequestHeaders and ResponseHeaders are the headers as recorded
	// (signature values already redacted).
	RequestHeaders, ResponseHeaders map[string]string
	// FindingMessages spell out the conformance findings, one line each.
	FindingMessages []string
	// Error is why the exchange got no usable answer, if it did not.
	Error string
}

// Config sets up the app.
type Config struct {
	Backend    Backend
	CustomerID string
	// Events are the wallet server's payment events.
	Events <-chan wallet.Event
	// Now is the clock (default time.Now).
	Now func() time.Time
	// CodeBatch is how many codes to fetch at once (default 4, at most 10).
	CodeBatch int
	// Barcode starts on the Code 128 view instead of the QR code.
	Barcode bool
	// Theme is the terminal's background, "dark" or "light", for drawing
	// the code without colours; "" asks the terminal.
	Theme string
	// OnShown, if set, is told what the app shows of the payment code
	// when the app is made (New) and whenever that changes: a new code,
	// another user, another screen, QR or barcode. It runs on the event loop, so it must return at once
	// (hand the value to another goroutine; never do I/O in it).
	OnShown func(Shown)
	// Display is how the code and the pages are drawn (ui/display.go).
	Display Display
}

// FaultInfo is one active fault rule of the Alipay+ simulator as the
// overrides screen shows it.
type FaultInfo struct {
	ID int
	// Spec is the rule in the flag syntax, e.g. "pay:drop,count=1".
	Spec string
	// Until is when the rule expires.
	Until time.Time
	// Used is how many exchanges the rule has applied to.
	Used int
}

// OverrideBackend is what the overrides screen needs: the user's override
// and the simulator's fault rules.
type OverrideBackend interface {
	// SetOverride sets how the customer's next payments behave.
	SetOverride(ctx context.Context, customerID string, o wallet.Override) (wallet.User, error)
	// AddFault adds a simulator fault rule given in the flag syntax.
	AddFault(ctx context.Context, spec string) (FaultInfo, error)
	// Faults lists the active fault rules.
	Faults(ctx context.Context) ([]FaultInfo, error)
	// RemoveFault removes one fault rule.
	RemoveFault(ctx context.Context, id int) error
}

// ScanBackend is what the scan screen needs: read and identify a scanned
// code, ask Alipay+ for the order behind it, and answer that order.
type ScanBackend interface {
	// ReadCode reads what the user gave (a code's text, or the path of a
	// PNG or JPEG holding one) and identifies it with the code rules in
	// use, without the network.
	ReadCode(ctx context.Context, input string) (ScanRead, error)
	// OpenOrder sends a DECODE code to Alipay+ (userInitiatedPay) and
	// returns the order to confirm; Alipay+'s refusal is the error.
	OpenOrder(ctx context.Context, customerID, code string) (ScanOrder, error)
	// PayOrder answers the order (approve debits, decline does not) and
	// reports the result to Alipay+. An order paid before is not paid
	// again.
	PayOrder(ctx context.Context, order ScanOrder, approve bool) (ScanResult, error)
}

// ScanRead is a scanned code and the code rules' decision on it.
type ScanRead struct {
	// Code is the text read; Image the file it came from, if any.
	Code, Image string
	// Supported is true for an Alipay+ code.
	Supported bool
	// Action is DECODE (pay it through Alipay+) or OPEN_URL (open URL).
	Action, URL string
	// Rule describes the rule that decided; Reason says why none did.
	Rule, Reason string
	// Rules names the rule set: "network V", "cached V from T" or
	// "embedded sandbox set V".
	Rules string
}

// ScanOrder is the order Alipay+ decoded from a code, to confirm: merchant
// and store, the merchant's amount (PaymentAmount), what the user pays
// (Amount) and the FX quote.
type ScanOrder struct {
	wallet.PayOrder
	// Previous is the wallet's payment when the code was paid or declined
	// before.
	Previous *wallet.Payment
}

// ScanResult is how the order ended.
type ScanResult struct {
	Payment wallet.Payment
	// Note is for the user: the wallet's reason, a repeat, or that Alipay+
	// has not acknowledged the result yet.
	Note string
}

// PeerError is a peer of the app that does not answer (the Alipay+
// simulator or gateway, the wallet server), said plainly for the Pay
// screen: what is down, where it was, and what the app does about it.
type PeerError struct {
	// Peer is what is down, e.g. "the Alipay+ simulator".
	Peer string
	// Where is the address it was last reached at.
	Where string
	// Doing says what the app does besides retrying, e.g. "watching
	// DATA/run/sim.json for a simulator on this data dir"; may be empty.
	Doing string
	// Err is the failure, e.g. "connection refused".
	Err error
}

func (e *PeerError) Error() string {
	s := e.Peer + " at " + e.Where + " is not answering"
	if e.Err != nil {
		s += " (" + e.Err.Error() + ")"
	}
	return s
}

func (e *PeerError) Unwrap() error { return e.Err }

// CodeWatcher is a Backend that can say what became of the codes the app
// holds, from Alipay+'s own record of them (the simulator's). The app asks
// every second, so that a code answered without the wallet (a decline of
// Alipay+'s own) or one Alipay+ no longer knows (a simulator that
// restarted) is never shown again. A Backend without it (the real Alipay+)
// learns that a code was used only from the pays that reach the wallet.
type CodeWatcher interface {
	// CodeStates reports on codes, issued to the customer; a code not in
	// the answer is one Alipay+ does not know. ErrNoCodeStates says the
	// gateway keeps no such record to ask.
	CodeStates(ctx context.Context, customerID string, codes []string) ([]CodeState, error)
}

// ErrNoCodeStates is CodeStates' answer when the gateway is not a
// simulator: the app stops asking.
var ErrNoCodeStates = errors.New("the gateway does not report on its payment codes")

// CodeState is what Alipay+ knows of one code.
type CodeState struct {
	Value string
	// Used is true once a merchant charged the code, whatever the answer.
	Used bool
	// Payment is the payment that used it as Alipay+ saw it, when that
	// payment is final and never reached the wallet (Alipay+ declined it
	// itself); nil otherwise (the wallet's events tell the app).
	Payment *wallet.Payment
	// Note says how Alipay+ answered it, for the result page.
	Note string
}

// PeerWatcher is a Backend that can tell, cheaply and without waiting on
// the network, that a peer that was down may be back (a simulator
// published a new address on the data dir), so the app retries at once
// instead of at the end of its backoff.
type PeerWatcher interface {
	PeersMoved(ctx context.Context) bool
}
