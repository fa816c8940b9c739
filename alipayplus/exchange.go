package alipayplus

import (
	"net/http"
	"time"
)

// Direction says which side started an exchange.
type Direction string

// Exchange directions.
const (
	// Incoming: a request this process answered.
	Incoming Direction = "in"
	// Outgoing: a request this process sent.
	Outgoing Direction = "out"
)

// Exchange is one request and its answer, handed to observers (transcripts,
// inspectors, conformance checks). Bodies are the exact bytes on the wire.
type Exchange struct {
	Direction      Direction
	At             time.Time
	API            string
	URL            string
	RequestHeader  http.Header
	RequestBody    []byte
	ResponseHeader http.Header
	ResponseBody   []byte
	HTTPStatus     int
	// Result is the decoded result of the answer, when there was one.
	Result Result
	// Violations lists body-convention departures of the request (incoming)
	// or of the answer (outgoing).
	Violations []Violation
	// Problems lists what failed validation (answered PARAM_ILLEGAL).
	Problems []string
	// SignatureErr is why the request's (incoming) or answer's (outgoing)
	// signature did not verify; nil when it did or was not checked.
	SignatureErr error
	Duration     time.Duration
	// Err is a transport failure, or why the answer was unusable.
	Err error
}
