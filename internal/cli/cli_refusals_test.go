package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// cliIssueCode asks Alipay+ for a payment code as the data dir's wallet,
// for a customer the codes command may refuse (one its ledger does not
// know), and returns it.
func cliIssueCode(t *testing.T, dir, user string) string {
	t.Helper()
	c, done, err := newWalletClient(&cliEnv{stdout: io.Discard, stderr: io.Discard, getenv: os.Getenv}, dir, "", false)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := c.GetPaymentCode(ctx, &alipayplus.GetPaymentCodeRequest{CustomerID: user, CodeQuantity: "1",
		Env: &alipayplus.Env{DeviceTokenID: "test-" + user, TerminalType: "APP"}})
	if err != nil || len(resp.PaymentCodeInfoList) != 1 {
		t.Fatalf("getPaymentCode for %s: %v", user, err)
	}
	return resp.PaymentCodeInfoList[0].PaymentCode
}

// assertUsageError runs a command line that is bad usage and checks what
// the user sees: exit 2, one line on stderr that contains want, nothing on
// stdout, and dir (the data dir it names, if any) not created.
func assertUsageError(t *testing.T, dir, want string, args ...string) {
	t.Helper()
	stdout, stderr, code := runCLI(t, "", args...)
	if code != 2 {
		t.Errorf("exit %d, want 2 (stdout %q)", code, stdout)
	}
	assertOneErrorLine(t, stderr)
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr %q lacks %q", stderr, want)
	}
	if stdout != "" {
		t.Errorf("stdout = %q, want nothing", stdout)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("a usage error created the data dir")
	}
}

// codes and payments list name a user: one the ledger does not know is
// refused with a line that names it and says how to list the users, and
// nothing is issued for it.
func TestUnknownUserIsRefused(t *testing.T) {
	dir := cliSimDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--balance", "10.00")
	tests := []struct {
		name string
		args []string
	}{
		{"codes", []string{"codes", "--user", "nobody"}},
		{"codes --count 3", []string{"codes", "--user", "nobody", "--count", "3", "--print", "qr"}},
		{"payments list", []string{"payments", "list", "--user", "nobody"}},
		{"payments list --limit 0", []string{"payments", "list", "--user", "nobody", "--limit", "0"}},
		{"users set", []string{"users", "set", "--id", "nobody", "--top-up", "1.00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", append(tt.args, "--data", dir)...)
			if code != 1 {
				t.Errorf("exit %d, want 1 (stdout %q)", code, stdout)
			}
			assertOneErrorLine(t, stderr) // no "embedded simulator" note: nothing was issued
			for _, want := range []string{`"nobody"`, "mppwallet users list"} {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr %q lacks %q", stderr, want)
				}
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
	// The same commands for a user who exists still work.
	if stdout, stderr, code := runCLI(t, "", "codes", "--data", dir, "--user", "alice"); code != 0 || !strings.HasPrefix(stdout, "25999902") {
		t.Errorf("codes --user alice: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	if stdout, _, code := runCLI(t, "", "payments", "list", "--data", dir, "--user", "alice"); code != 0 || stdout != "no payments yet\n" {
		t.Errorf("payments list --user alice: exit %d stdout %q", code, stdout)
	}
	if _, users := cliListUsers(t, dir); len(users) != 1 {
		t.Errorf("users after the refusals: %v, want only alice", users)
	}
}

// Every malformed argument is bad usage (exit 2): one line naming what is
// wrong, nothing on stdout, and nothing changed (the data dir given is not
// even created).
func TestMalformedArgumentsAreUsageErrors(t *testing.T) {
	cliSimIsolate(t)
	code24 := "259999021234567890123456"
	tests := []struct {
		args []string // the command line, --data DIR added
		want string
	}{
		{[]string{"users", "add", "--id", "a b", "--balance", "1.00"}, "white space"},
		{[]string{"users", "add", "--id", strings.Repeat("x", 65)}, "64"},
		{[]string{"users", "add", "--id", "x", "--balance", "1.001"}, "--balance"},
		{[]string{"users", "add", "--id", "x", "--currency", "XYZ"}, "XYZ"},
		{[]string{"users", "add", "--id", "x", "--limits", "count=x"}, "--limits"},
		{[]string{"users", "set", "--id", "a b", "--top-up", "1.00"}, "white space"},
		{[]string{"users", "set", "--id", "nobody", "--top-up", "abc"}, "--top-up"},
		{[]string{"users", "set", "--id", "nobody", "--override", "bogus"}, "--override"},
		{[]string{"users", "set", "--id", "nobody", "--kyc", "maybe"}, "--kyc"},
		{[]string{"payments", "list", "--user", "a b"}, "white space"},
		{[]string{"payments", "list", "--limit", "-1"}, "--limit"},
		{[]string{"payments", "confirm", "--approve"}, "exactly one payment"},
		{[]string{"payments", "confirm", "PR-1", "PR-2", "--approve"}, "exactly one payment"},
		{[]string{"payments", "confirm", "PR-1"}, "--approve"},
		{[]string{"payments", "confirm", "PR-1", "--approve", "--decline"}, "--approve"},
		{[]string{"payments", "confirm", "a b", "--decline"}, "a b"},
		{[]string{"payments", "confirm", "PR-1", "--approve", "--gateway", "not a url"}, "--gateway"},
		{[]string{"codes", "--user", "a b"}, "white space"},
		{[]string{"codes", "--user", "alice", "--region", "CHN"}, "--region"},
		{[]string{"codes", "--user", "alice", "--gateway", "localhost:7576"}, "--gateway"},
		{[]string{"merchant", "charge", "--code", code24, "--amount", "1.00", "--region", "JAPAN"}, "--region"},
		{[]string{"merchant", "charge", "--code", code24, "--amount", "1.00", "--sim", "not a url"}, "--sim"},
		{[]string{"merchant", "order", "--amount", "1.00", "--region", "J"}, "--region"},
		{[]string{"merchant", "refund", "--payment", "PR-1", "--amount", "1.00", "--currency", "XYZ"}, "--currency"},
		{[]string{"merchant", "refund", "--payment", "PR-1", "--amount", "1.234", "--currency", "USD"}, "decimal places"},
		{[]string{"merchant", "cancel", "--payment", "PR-1", "--sim", "ftp://x"}, "--sim"},
		{[]string{"serve", "--listen", "nowhere"}, "--listen"},
		{[]string{"serve", "--listen", "127.0.0.1:99999"}, "--listen"},
		{[]string{"serve", "--listen", "127.0.0.1:0", "--max-clock-skew", "-1m"}, "--max-clock-skew"},
		{[]string{"serve", "--listen", "127.0.0.1:0", "--max-clock-skew", "soon"}, "--max-clock-skew"},
		{[]string{"serve", "--listen", "127.0.0.1:0", "--gateway", "not a url"}, "--gateway"},
		{[]string{"identify", "--gateway", "not a url", "--refresh", "https://qr.mppwallet.test/1"}, "--gateway"},
		{[]string{"scan", "--gateway", "not a url", "--yes", "https://qr.mppwallet.test/1"}, "--gateway"},
		{[]string{"ui", "--gateway", "not a url"}, "--gateway"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			assertUsageError(t, dir, tt.want, append(tt.args, "--data", dir)...)
		})
	}
	// sim shares serve's listen check (it writes its config first).
	_, stderr, code := runCLI(t, "", "sim", "--listen", "nowhere", "--data", t.TempDir())
	if code != 2 || !strings.Contains(stderr, "--listen") {
		t.Errorf("sim --listen nowhere: exit %d stderr %q, want 2 naming --listen", code, stderr)
	}
	assertOneErrorLine(t, stderr)
}
