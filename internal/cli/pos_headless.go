package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/ui/pos"
)

// posMaxScan bounds one line of input.
const posMaxScan = 1 << 20

// posSaleJSON is the documented JSON line of one scan: status is the
// sale's (SUCCESS, FAIL, PROCESSING, CANCELLED), REJECTED for a scan
// refused before anything was charged, or ERROR when the gateway could not
// be asked.
type posSaleJSON struct {
	Scan             int                `json:"scan"`
	Status           string             `json:"status"`
	ResultCode       string             `json:"resultCode"`
	ResultMessage    string             `json:"resultMessage,omitempty"`
	PaymentID        string             `json:"paymentId"`
	PaymentRequestID string             `json:"paymentRequestId"`
	Amount           *alipayplus.Amount `json:"amount"`
	Code             string             `json:"code,omitempty"`
	PaymentTime      string             `json:"paymentTime,omitempty"`
	Customer         string             `json:"customer,omitempty"`
}

// splitScans splits the input at every enter (LF, CR) or tab: what a
// keyboard-wedge scanner ends a code with.
func splitScans(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexAny(data, "\r\n\t"); i >= 0 {
		return i + 1, data[:i], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// runPosHeadless charges each scan on stdin in turn and prints one line
// (or JSON object) a scan; blank lines are skipped. It fails (exit 1) when
// any scan was not paid.
func runPosHeadless(ctx context.Context, env *cliEnv, r posRun) error {
	in := bufio.NewScanner(env.stdin)
	in.Buffer(make([]byte, 0, 4096), posMaxScan)
	in.Split(splitScans)
	n, failed := 0, false
	for in.Scan() {
		raw := in.Text()
		if strings.TrimSpace(raw) == "" {
			continue
		}
		n++
		out := posSaleJSON{Scan: n, Amount: alipayplus.AmountOf(r.amount)}
		if code, err := r.scanner.Clean(raw); err != nil {
			var se *pos.ScanError
			errors.As(err, &se)
			out.Status, out.ResultCode, out.ResultMessage = "REJECTED", se.Code, se.Reason+"; nothing charged"
		} else {
			sale, err := r.till.Charge(ctx, code, r.amount)
			out.fill(sale, err)
		}
		failed = failed || out.Status != string(pos.StatusSuccess)
		if err := printPosSale(env.stdout, out, r.asJSON); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if err := in.Err(); err != nil {
		return fmt.Errorf("reading the scans: %w", err)
	}
	if failed {
		return errSilentFailure
	}
	return nil
}

// fill copies a charge's outcome into the line.
func (o *posSaleJSON) fill(s pos.Sale, err error) {
	o.Code, o.PaymentRequestID = pos.Mask(s.Code), s.RequestID
	if err != nil {
		o.Status, o.ResultCode, o.ResultMessage = "ERROR", alipayplus.CodeUnknownException, err.Error()
		return
	}
	o.Status, o.ResultCode, o.ResultMessage, o.PaymentID, o.Customer = string(s.Status), s.ResultCode, s.ResultMessage, s.PaymentID, s.Customer
	if !s.PaidAt.IsZero() {
		o.PaymentTime = s.PaidAt.Format(time.RFC3339)
	}
}

// printPosSale prints one scan's line: JSON, or one line for people.
func printPosSale(w io.Writer, o posSaleJSON, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(w).Encode(o)
	}
	amount := o.Amount.String()
	var err error
	switch o.Status {
	case "REJECTED":
		_, err = fmt.Fprintf(w, "%-9s scan %d: %s\n", o.Status, o.Scan, o.ResultMessage)
	case string(pos.StatusSuccess):
		_, err = fmt.Fprintf(w, "%-9s %s  %s  paymentId %s  paymentRequestId %s\n", o.Status, amount, o.Code, o.PaymentID, o.PaymentRequestID)
	default:
		_, err = fmt.Fprintf(w, "%-9s %s  %s  %s: %s  paymentRequestId %s\n", o.Status, amount, o.Code, o.ResultCode, o.ResultMessage, o.PaymentRequestID)
	}
	return err
}
