package alipayplus

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"time"
)

// MaxBodyBytes is the largest request body a Server accepts (256 KiB): no
// Alipay+ message comes near it (the largest, a pay with its order, goods
// and environment, is a few KiB). A request that declares a longer body
// (Content-Length) is refused with PARAM_ILLEGAL before any of it is read;
// one that does not (chunked) is refused as soon as it passes the limit.
const MaxBodyBytes = 256 << 10

// maxBody is the largest request body read.
const maxBody = MaxBodyBytes

// maxAnswerBody is the largest answer a Client reads (1 MiB: a code-rule
// set is larger than any request).
const maxAnswerBody = 1 << 20

// Call is what a handler knows about the request besides its body.
type Call struct {
	// API is the request path.
	API string
	// ClientID is the Client-Id of the caller (verified unless the
	// endpoint takes unsigned requests).
	ClientID string
	// RequestTime is the parsed Request-Time header.
	RequestTime time.Time
	// Violations lists the body-convention departures that were tolerated.
	Violations []Violation
	// SignatureErr is set when an endpoint that takes unsigned requests got
	// one whose signature is missing or wrong.
	SignatureErr error
	// Raw is the request body as received.
	Raw []byte
}

// Fault is what an interceptor does to one exchange, to simulate a
// misbehaving peer.
type Fault struct {
	// Result, when set, is answered instead of calling the handler.
	Result *Result
	// Delay holds the answer back this long.
	Delay time.Duration
	// Drop closes the connection without an answer (after the handler ran).
	Drop bool
	// CorruptSignature sends a signature that does not verify.
	CorruptSignature bool
}

// ServerConfig configures a Server.
type ServerConfig struct {
	// ClientID answers in the Client-Id header when a request has none.
	ClientID string
	// Key signs every response.
	Key *rsa.PrivateKey
	// PublicKey returns the key that verifies requests from clientID; false
	// answers INVALID_CLIENT.
	PublicKey func(clientID string) (*rsa.PublicKey, bool)
	// Now is the clock for Response-Time (default time.Now).
	Now func() time.Time
	// Logger receives one line per request (default: discard).
	Logger *slog.Logger
	// Observe, when set, is called with every exchange. It must not block.
	Observe func(Exchange)
	// Intercept, when set, is asked for a fault for every request that
	// passed the protocol checks.
	Intercept func(api string, call *Call) Fault
	// EpochRequestTime also accepts Request-Time as a Unix time in
	// milliseconds (or seconds, micro- or nanoseconds), as Antom's merchant
	// SDKs send it.
	EpochRequestTime bool
	// MaxClockSkew, when positive, refuses (PARAM_ILLEGAL) a request whose
	// Request-Time is further than this from Now, either way. Off by
	// default: real peers' clocks drift.
	MaxClockSkew time.Duration
}

// Server is an http.Handler for a set of Alipay+ endpoints: it checks the
// method, media type, size, Client-Id and signature of every request,
// decodes the body leniently, validates it, calls the endpoint's handler and
// signs the answer. Protocol failures are answered with the protocol's
// result codes (NO_INTERFACE_DEF, METHOD_NOT_SUPPORTED, INVALID_SIGNATURE,
// PARAM_ILLEGAL, ...), never with a bare HTTP error.
type Server struct {
	cfg    ServerConfig
	routes map[string]route
}

type route struct {
	run        func(ctx context.Context, call *Call) (any, []string, error)
	unsigned   bool
	emptyIsObj bool
}

// HandleOption changes how one endpoint treats requests.
type HandleOption func(*route)

// Unsigned lets an endpoint answer requests whose signature is missing or
// wrong (Alipay+'s own SDK calls inquiryCodeRules with a dummy signature).
// The handler sees the problem in Call.SignatureErr.
func Unsigned() HandleOption { return func(r *route) { r.unsigned = true } }

// EmptyBody lets an endpoint take an empty body as {} (inquiryCodeRules
// has no parameters, and some clients send nothing).
func EmptyBody() HandleOption { return func(r *route) { r.emptyIsObj = true } }

// NewServer returns a Server with no endpoints; add them with Handle.
func NewServer(cfg ServerConfig) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Server{cfg: cfg, routes: map[string]route{}}
}

// validator is implemented by request types that check their fields.
type validator interface{ Validate() error }

// Handle registers fn for path. The request body is decoded into a new Req;
// "" for a field, undecodable JSON or a failed Validate answers PARAM_ILLEGAL
// before fn runs. fn's response is encoded and signed as it is.
func Handle[Req any, Resp Responder](s *Server, path string, fn func(ctx context.Context, call *Call, req *Req) Resp, opts ...HandleOption) {
	var r route
	r.run = func(ctx context.Context, call *Call) (any, []string, error) {
		req := new(Req)
		raw := call.Raw
		if r.emptyIsObj && len(bytes.TrimSpace(raw)) == 0 {
			raw = []byte("{}")
		}
		vs, err := Decode(raw, req)
		call.Violations = vs
		if err != nil {
			return nil, []string{err.Error()}, err
		}
		var empties []string
		for _, v := range vs {
			if v.Kind == EmptyString {
				empties = append(empties, v.String())
			}
		}
		if len(empties) > 0 {
			return nil, empties, &FieldError{Problems: empties}
		}
		if v, ok := any(req).(validator); ok {
			if err := v.Validate(); err != nil {
				var fe *FieldError
				if errors.As(err, &fe) {
					return nil, fe.Problems, err
				}
				return nil, []string{err.Error()}, err
			}
		}
		return fn(ctx, call, req), nil, nil
	}
	for _, o := range opts {
		o(&r)
	}
	s.routes[path] = r
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	call := &Call{API: r.URL.Path, ClientID: r.Header.Get("Client-Id")}
	ex := Exchange{Direction: Incoming, At: start, API: r.URL.Path, URL: r.URL.RequestURI()}
	if s.cfg.Observe != nil { // the headers are copied only for an observer
		ex.RequestHeader = r.Header.Clone()
	}
	resp, fault := s.serve(w, r, call, &ex)
	body, err := json.Marshal(resp)
	if err != nil {
		body, _ = json.Marshal(Response{Result: Unknown(CodeUnknownException, "cannot encode the response")})
	}
	clientID := call.ClientID
	if clientID == "" {
		clientID = s.cfg.ClientID
	}
	respTime := FormatTime(s.cfg.Now())
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=UTF-8")
	h.Set("Client-Id", clientID)
	h.Set("Response-Time", respTime)
	if s.cfg.Key != nil {
		signer := Signer{ClientID: clientID, Key: s.cfg.Key}
		if sig, err := signer.SignatureHeader(http.MethodPost, r.URL.RequestURI(), respTime, body); err == nil {
			if fault.CorruptSignature {
				sig, _ = signer.SignatureHeader(http.MethodPost, r.URL.RequestURI(), respTime, append(body, ' '))
			}
			h.Set("Signature", sig)
		}
	}
	ex.Result = resultOf(resp)
	ex.ResponseBody, ex.HTTPStatus = body, http.StatusOK
	if s.cfg.Observe != nil {
		ex.ResponseHeader = h.Clone()
	}
	if fault.Delay > 0 {
		t := time.NewTimer(fault.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}
	// Record the exchange before the answer goes out, so whoever reads the
	// answer can rely on the record being there.
	ex.Duration = time.Since(start)
	if fault.Drop {
		ex.Err = errors.New("answer dropped (fault)")
		ex.HTTPStatus = 0
	}
	if s.cfg.Logger.Enabled(r.Context(), slog.LevelInfo) {
		s.cfg.Logger.Info("alipayplus request", "api", r.URL.Path, "method", r.Method, "client", call.ClientID,
			"status", ex.Result.ResultStatus, "code", ex.Result.ResultCode, "ms", ex.Duration.Milliseconds(), "dropped", fault.Drop)
	}
	if s.cfg.Observe != nil {
		s.cfg.Observe(ex)
	}
	if fault.Drop {
		panic(http.ErrAbortHandler)
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

func resultOf(resp any) Result {
	if rr, ok := resp.(Responder); ok {
		return rr.response().Result
	}
	if rr, ok := resp.(Response); ok {
		return rr.Result
	}
	return Result{}
}

// fail builds the body of a framework-level failure.
func fail(code, format string, args ...any) Response {
	return Response{Result: Failure(code, fmt.Sprintf(format, args...))}
}

// serve runs the checks in the order a caller can fix them and returns the
// response body value and the fault to apply to the answer.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, call *Call, ex *Exchange) (any, Fault) {
	rt, ok := s.routes[r.URL.Path]
	if !ok {
		return fail(CodeNoInterfaceDef, "API is not defined: %s", r.URL.Path), Fault{}
	}
	if r.Method != http.MethodPost {
		return fail(CodeMethodNotSupported, "method %s is not supported, use POST", r.Method), Fault{}
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return fail(CodeMediaTypeNotAcceptable, "media type %q is not acceptable, use application/json", ct), Fault{}
		}
	}
	if r.ContentLength > maxBody {
		// Refused unread: the connection closes rather than drain the rest.
		w.Header().Set("Connection", "close")
		return fail(CodeParamIllegal, "body of %d bytes is larger than %d bytes", r.ContentLength, maxBody), Fault{}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fail(CodeParamIllegal, "body is larger than %d bytes", maxBody), Fault{}
		}
		return fail(CodeParamIllegal, "cannot read the body: %v", err), Fault{}
	}
	call.Raw, ex.RequestBody = body, body
	if err := s.verify(r, call, body); err != nil {
		ex.SignatureErr = err
		if !rt.unsigned {
			var ce clientError
			if errors.As(err, &ce) {
				return fail(CodeInvalidClient, "%v", err), Fault{}
			}
			var pe paramError
			if errors.As(err, &pe) {
				return fail(CodeParamIllegal, "%v", err), Fault{}
			}
			return fail(CodeInvalidSignature, "the signature is invalid: %v", err), Fault{}
		}
		call.SignatureErr = err
	}
	var fault Fault
	if s.cfg.Intercept != nil {
		fault = s.cfg.Intercept(r.URL.Path, call)
		if fault.Result != nil {
			return Response{Result: *fault.Result}, fault
		}
	}
	resp, problems, err := rt.run(r.Context(), call)
	ex.Violations, ex.Problems = call.Violations, problems
	if err != nil {
		return fail(CodeParamIllegal, "%v", err), fault
	}
	for _, v := range call.Violations {
		s.cfg.Logger.Warn("request breaks the body convention", "api", r.URL.Path, "violation", v.String())
	}
	return resp, fault
}

type clientError struct{ error }
type paramError struct{ error }

// verify checks Client-Id, Request-Time and the signature.
func (s *Server) verify(r *http.Request, call *Call, body []byte) error {
	if call.ClientID == "" {
		return clientError{errors.New("the Client-Id header is missing")}
	}
	pub, ok := s.cfg.PublicKey(call.ClientID)
	if !ok {
		return clientError{fmt.Errorf("unknown client %q", call.ClientID)}
	}
	reqTime := r.Header.Get("Request-Time")
	t, err := ParseRequestTime(reqTime, s.cfg.EpochRequestTime)
	if err != nil {
		return paramError{fmt.Errorf("Request-Time header: %w", err)}
	}
	call.RequestTime = t
	if skew := s.cfg.MaxClockSkew; skew > 0 {
		if d := s.cfg.Now().Sub(t); d > skew || d < -skew {
			return paramError{fmt.Errorf("Request-Time %s is %s off this server's clock (at most %s is accepted)", reqTime, d.Round(time.Second).Abs(), skew)}
		}
	}
	return VerifyHeader(pub, r.Header.Get("Signature"), http.MethodPost, r.URL.RequestURI(), call.ClientID, reqTime, body)
}
