package alipayplus

import (
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

// maxBody is the largest message body accepted or read (1 MiB).
const maxBody = 1 << 20

// Call is what a handler knows about the request besides its body.
type Call struct {
	// ClientID is the verified Client-Id of the caller.
	ClientID string
	// RequestTime is the parsed Request-Time header.
	RequestTime time.Time
	// Violations lists the body-convention departures that were tolerated.
	Violations []Violation
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
}

// Server is an http.Handler for a set of Alipay+ endpoints: it checks the
// method, media type, size, Client-Id and signature of every request,
// decodes the body leniently, validates it, calls the endpoint's handler and
// signs the answer. Protocol failures are answered with the protocol's
// result codes (NO_INTERFACE_DEF, METHOD_NOT_SUPPORTED, INVALID_SIGNATURE,
// PARAM_ILLEGAL, ...), never with a bare HTTP error.
type Server struct {
	cfg    ServerConfig
	routes map[string]endpoint
}

type endpoint func(ctx context.Context, call *Call, raw []byte) (any, error)

// NewServer returns a Server with no endpoints; add them with Handle.
func NewServer(cfg ServerConfig) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Server{cfg: cfg, routes: map[string]endpoint{}}
}

// validator is implemented by request types that check their fields.
type validator interface{ Validate() error }

// Handle registers fn for path. The request body is decoded into a new Req;
// "" for a field, undecodable JSON or a failed Validate answers PARAM_ILLEGAL
// before fn runs. fn's response is encoded and signed as it is.
func Handle[Req any, Resp responder](s *Server, path string, fn func(ctx context.Context, call *Call, req *Req) Resp) {
	s.routes[path] = func(ctx context.Context, call *Call, raw []byte) (any, error) {
		req := new(Req)
		vs, err := Decode(raw, req)
		call.Violations = vs
		if err != nil {
			return nil, err
		}
		var empties []string
		for _, v := range vs {
			if v.Kind == EmptyString {
				empties = append(empties, v.String())
			}
		}
		if len(empties) > 0 {
			return nil, &FieldError{Problems: empties}
		}
		if v, ok := any(req).(validator); ok {
			if err := v.Validate(); err != nil {
				return nil, err
			}
		}
		return fn(ctx, call, req), nil
	}
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	call := &Call{ClientID: r.Header.Get("Client-Id")}
	var raw []byte
	resp := s.serve(w, r, call, &raw)
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
			h.Set("Signature", sig)
		}
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	result := resultOf(resp)
	s.cfg.Logger.Info("alipayplus request", "api", r.URL.Path, "method", r.Method, "client", call.ClientID,
		"status", result.ResultStatus, "code", result.ResultCode, "ms", time.Since(start).Milliseconds())
	if s.cfg.Observe != nil {
		s.cfg.Observe(Exchange{API: r.URL.Path, RequestBody: raw, ResponseBody: body, HTTPStatus: http.StatusOK,
			Violations: call.Violations, Duration: time.Since(start)})
	}
}

func resultOf(resp any) Result {
	if rr, ok := resp.(responder); ok {
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
// response body value.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, call *Call, raw *[]byte) any {
	ep, ok := s.routes[r.URL.Path]
	if !ok {
		return fail(CodeNoInterfaceDef, "API is not defined: %s", r.URL.Path)
	}
	if r.Method != http.MethodPost {
		return fail(CodeMethodNotSupported, "method %s is not supported, use POST", r.Method)
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return fail(CodeMediaTypeNotAcceptable, "media type %q is not acceptable, use application/json", ct)
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fail(CodeParamIllegal, "body is larger than %d bytes", maxBody)
		}
		return fail(CodeParamIllegal, "cannot read the body: %v", err)
	}
	*raw = body
	if call.ClientID == "" {
		return fail(CodeInvalidClient, "the Client-Id header is missing")
	}
	pub, ok := s.cfg.PublicKey(call.ClientID)
	if !ok {
		return fail(CodeInvalidClient, "unknown client %q", call.ClientID)
	}
	reqTime := r.Header.Get("Request-Time")
	t, err := ParseTime(reqTime)
	if err != nil {
		return fail(CodeParamIllegal, "Request-Time header: %v", err)
	}
	call.RequestTime = t
	if err := VerifyHeader(pub, r.Header.Get("Signature"), http.MethodPost, r.URL.RequestURI(), call.ClientID, reqTime, body); err != nil {
		return fail(CodeInvalidSignature, "the signature is invalid: %v", err)
	}
	resp, err := ep(r.Context(), call, body)
	if err != nil {
		return fail(CodeParamIllegal, "%v", err)
	}
	for _, v := range call.Violations {
		s.cfg.Logger.Warn("request breaks the body convention", "api", r.URL.Path, "violation", v.String())
	}
	return resp
}
