package cli

import (
	"encoding/json"
	"net"
	"strings"
	"testing"
)

// cliFailureJSON is the documented object a command run with --json prints
// on stdout when it fails.
type cliFailureJSON struct {
	Error         string          `json:"error"`
	Code          string          `json:"code"`
	ExitCode      int             `json:"exitCode"`
	ResultStatus  string          `json:"resultStatus"`
	ResultCode    string          `json:"resultCode"`
	ResultMessage string          `json:"resultMessage"`
	Payment       json.RawMessage `json:"payment"`
}

// cliFailure runs a command line that must fail and returns its --json
// failure object, after checking what every failure with --json shows: one
// line on stderr, and on stdout one JSON object whose error is that line's
// message and whose exitCode is the exit code.
func cliFailure(t *testing.T, args ...string) (cliFailureJSON, int) {
	t.Helper()
	stdout, stderr, code := runCLI(t, "", args...)
	if code == 0 {
		t.Fatalf("exit 0, want a failure (stdout %q)", stdout)
	}
	assertOneErrorLine(t, stderr)
	var f cliFailureJSON
	if strings.Count(stdout, "\n") != 1 || json.Unmarshal([]byte(stdout), &f) != nil {
		t.Fatalf("stdout is not one JSON object on one line: %q", stdout)
	}
	if want := strings.TrimSuffix(strings.TrimPrefix(stderr, "mppwallet: "), "\n"); f.Error != want {
		t.Errorf("error = %q, want the stderr line's %q", f.Error, want)
	}
	if f.ExitCode != code {
		t.Errorf("exitCode = %d, want the exit code %d", f.ExitCode, code)
	}
	return f, code
}

// With --json every failure is also a JSON object on stdout: the message,
// a code (the Alipay+ result code, or the kind of failure), the exit code,
// and the protocol result when the network refused.
func TestJSONFailureObjects(t *testing.T) {
	w := cliSimStartWorld(t)
	c := cliSimCode(t, w.dir, "alice")
	paid, _, code := cliSimCharge(t, w.dir, c, "12.34", "USD")
	if code != 0 {
		t.Fatalf("charge: exit %d %+v", code, paid)
	}
	// A simulator that stopped: its address no longer answers.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stopped := "http://" + ln.Addr().String()
	ln.Close()

	tests := []struct {
		name       string
		args       []string
		exit       int
		code       string
		resultCode string // and resultStatus F, when set
	}{
		{"refund over what was paid", []string{"merchant", "refund", "--payment", paid.PaymentRequestID, "--amount", "99.00"},
			1, "REFUND_AMOUNT_EXCEED", "REFUND_AMOUNT_EXCEED"},
		{"refund of an unknown payment", []string{"merchant", "refund", "--payment", "20990101000000000000000000000", "--amount", "1.00"},
			1, "ORDER_NOT_EXIST", ""},
		{"cancel of an unknown payment", []string{"merchant", "cancel", "--payment", "20990101000000000000000000000"}, 1, "ORDER_NOT_EXIST", ""},
		{"charge against a stopped simulator", []string{"merchant", "charge", "--sim", stopped, "--code", c, "--amount", "1.00"},
			1, "SIMULATOR_UNREACHABLE", ""},
		{"codes for an unknown user", []string{"codes", "--user", "nobody"}, 1, "USER_NOT_EXIST", ""},
		{"payments of an unknown user", []string{"payments", "list", "--user", "nobody"}, 1, "USER_NOT_EXIST", ""},
		{"users set of an unknown user", []string{"users", "set", "--id", "nobody", "--name", "N"}, 1, "USER_NOT_EXIST", ""},
		{"users add of a taken id", []string{"users", "add", "--id", "alice"}, 1, "PARAM_ILLEGAL", ""},
		{"confirm of an unknown payment", []string{"payments", "confirm", "20990101000000000000000000000", "--approve"}, 1, "ORDER_NOT_EXIST", ""},
		{"confirm of a paid payment", []string{"payments", "confirm", paid.PaymentID, "--decline"}, 1, "ORDER_STATUS_INVALID", ""},
		{"a malformed id", []string{"users", "add", "--id", "a b"}, 2, "USAGE", ""},
		{"a missing flag", []string{"merchant", "charge", "--amount", "1.00"}, 2, "USAGE", ""},
		{"an unknown flag", []string{"merchant", "payments", "--bogus"}, 2, "USAGE", ""},
		{"--json on a command without it", []string{"faults", "clear"}, 2, "USAGE", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, exit := cliFailure(t, append(tt.args, "--data", w.dir, "--json")...)
			if exit != tt.exit || f.Code != tt.code {
				t.Errorf("exit %d code %q, want %d %q (%+v)", exit, f.Code, tt.exit, tt.code, f)
			}
			if tt.resultCode != "" && (f.ResultStatus != "F" || f.ResultCode != tt.resultCode || f.ResultMessage == "") {
				t.Errorf("result %s %s %q, want F %s and a message", f.ResultStatus, f.ResultCode, f.ResultMessage, tt.resultCode)
			}
			if tt.resultCode == "" && f.ResultStatus != "" {
				t.Errorf("resultStatus %q for a failure that is no protocol answer", f.ResultStatus)
			}
		})
	}
	// A charge with no simulator running on the data dir says so.
	w.sim.stop(t)
	f, _ := cliFailure(t, "merchant", "charge", "--data", w.dir, "--code", c, "--amount", "1.00", "--json")
	if f.Code != "NO_SIMULATOR" || !strings.Contains(f.Error, "'mppwallet sim'") {
		t.Errorf("charge with no simulator: %+v", f)
	}
	// Nothing of it moved money: alice paid 12.34 once.
	if b := cliSimBalance(t, w.dir, "alice"); !cliAmountIs(b, "USD", "8766") {
		t.Errorf("balance %+v, want USD 8766", b)
	}
	// Without --json a failure prints nothing on stdout.
	stdout, _, code := runCLI(t, "", "codes", "--data", w.dir, "--user", "nobody")
	if code != 1 || stdout != "" {
		t.Errorf("without --json: exit %d stdout %q", code, stdout)
	}
}
