package cli

import (
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator/simclient"
	"github.com/mppwallet/mppwallet/wallet"
)

// The kinds of failure a --json caller reads in "code" when the failure is
// not an Alipay+ result code (an unknown user is USER_NOT_EXIST, an unknown
// payment ORDER_NOT_EXIST, as the wallet answers them).
const (
	kindUsage       = "USAGE"
	kindError       = "ERROR"
	kindPending     = "PENDING"
	kindUnreachable = "SIMULATOR_UNREACHABLE"
)

// failure is an error with what --json reports of it besides the message:
// its kind, the protocol result when the failure is the network's answer,
// and the payment it is about when there is one to show.
type failure struct {
	err     error
	kind    string
	result  *alipayplus.Result
	payment any
}

func (f *failure) Error() string { return f.err.Error() }
func (f *failure) Unwrap() error { return f.err }

// keepCause is msg (err reworded for people) still wrapping err, so that
// --json reports what err was, e.g. an Alipay+ result.
func keepCause(msg, err error) error {
	if msg == nil || err == nil {
		return msg
	}
	return &causeError{msg: msg.Error(), err: err}
}

// causeError reads as msg and unwraps to err.
type causeError struct {
	msg string
	err error
}

func (e *causeError) Error() string { return e.msg }
func (e *causeError) Unwrap() error { return e.err }

// failKind gives err a kind for --json callers.
func failKind(kind string, err error) error { return &failure{err: err, kind: kind} }

// errorJSON is the object a command run with --json prints on stdout when
// it fails: the one-line message, a code (an Alipay+ result code, or the
// kind of failure), the exit code and, for the network's answers, the
// protocol result.
type errorJSON struct {
	Error         string `json:"error"`
	Code          string `json:"code"`
	ExitCode      int    `json:"exitCode"`
	ResultStatus  string `json:"resultStatus,omitempty"`
	ResultCode    string `json:"resultCode,omitempty"`
	ResultMessage string `json:"resultMessage,omitempty"`
	Payment       any    `json:"payment,omitempty"`
}

// describeFailure builds the --json object for err, which ends the command
// with exit code.
func describeFailure(err error, code int) errorJSON {
	out := errorJSON{Error: err.Error(), Code: kindError, ExitCode: code}
	var (
		f  *failure
		ue *usageError
		ae *alipayplus.Error
		se *simclient.Error
		we *wallet.Error
	)
	switch {
	case errors.As(err, &ue):
		out.Code = kindUsage
	case errors.As(err, &ae):
		out.Code = ae.Code
		out.ResultStatus, out.ResultCode, out.ResultMessage = ae.Status, ae.Code, ae.Message
	case errors.As(err, &se) && se.ResultCode != "":
		out.Code = se.ResultCode
		out.ResultStatus, out.ResultCode, out.ResultMessage = alipayplus.StatusFail, se.ResultCode, se.Message
	case errors.As(err, &we):
		out.Code = string(we.Code)
	case errors.Is(err, simclient.ErrUnreachable):
		out.Code = kindUnreachable
	}
	// A kind given by the command wins over what the error wraps.
	if errors.As(err, &f) {
		if f.kind != "" {
			out.Code = f.kind
		}
		if r := f.result; r != nil {
			out.ResultStatus, out.ResultCode, out.ResultMessage = r.ResultStatus, r.ResultCode, r.ResultMessage
		}
		out.Payment = f.payment
	}
	return out
}

// writeFailureJSON prints err's object as one line on w.
func writeFailureJSON(w io.Writer, err error, code int) {
	_ = json.NewEncoder(w).Encode(describeFailure(err, code))
}

// wantsJSON reports whether the command line asked for --json: the parsed
// flag when the command has one and parsed it, else (a usage error before
// the flags were read, or a command without --json) a --json among the
// arguments before "--".
func wantsJSON(cmd *cobra.Command, args []string, err error) bool {
	if cmd != nil {
		if f := cmd.Flags().Lookup("json"); f != nil {
			var ue *usageError
			if f.Changed || !errors.As(err, &ue) {
				v, _ := strconv.ParseBool(f.Value.String())
				return v
			}
		}
	}
	for _, a := range args {
		if a == "--" {
			break
		}
		if v, ok := strings.CutPrefix(a, "--json"); ok && (v == "" || v == "=true" || v == "=1") {
			return true
		}
	}
	return false
}
