package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestScanPaysAnOrderCodeFromAnImage: merchant order --png, then scan
// --image completes a Merchant-presented Mode payment, once.
func TestScanPaysAnOrderCodeFromAnImage(t *testing.T) {
	w := cliSimStartWorld(t)
	order := func(amount string) string {
		t.Helper()
		png := filepath.Join(t.TempDir(), "order.png")
		if _, stderr, code := runCLI(t, "", "merchant", "order", "--data", w.dir, "--amount", amount, "--currency", "SGD", "--png", png); code != 0 {
			t.Fatalf("merchant order: exit %d %q", code, stderr)
		}
		return png
	}
	scan := func(args ...string) (scanJSON, int) {
		t.Helper()
		stdout, stderr, code := runCLI(t, "", append([]string{"scan", "--data", w.dir, "--json"}, args...)...)
		var out scanJSON
		if err := json.Unmarshal([]byte(stdout), &out); err != nil {
			t.Fatalf("scan %v: exit %d stdout %q stderr %q", args, code, stdout, stderr)
		}
		return out, code
	}
	png := order("13.50")
	first, code := scan("--image", png, "--user", "alice", "--yes")
	if code != 0 || first.Status != "SUCCEEDED" || !first.Notified || first.PayToAmount.Value != "1000" || first.PaymentAmount.Currency != "SGD" ||
		first.Rules != "network c_16_ignet_25+s1" || first.Merchant == "" || first.Store == "" || first.Repeat {
		t.Fatalf("scan: exit %d %+v", code, first)
	}
	_, users := cliListUsers(t, w.dir)
	if !cliAmountIs(users["alice"].Balance, "USD", "9000") {
		t.Errorf("alice's balance %+v, want 90.00 USD", users["alice"].Balance)
	}
	// The same code again is the same payment: no second debit.
	if _, _, code := runCLI(t, "", "scan", "--data", w.dir, png, "--image", png, "--user", "alice", "--yes"); code != 2 {
		t.Errorf("a code and --image together: exit %d, want 2", code)
	}
	again, code := scan("--image", png, "--yes", "--user", "alice")
	if code != 0 || again.PaymentRequestID != first.PaymentRequestID || !again.Repeat || again.PaymentID != first.PaymentID {
		t.Errorf("rescan: exit %d %+v, want the same payment", code, again)
	}
	// In a pipe without --yes a rescan needs no answer: nothing is paid again.
	stdout, stderr, code := runCLI(t, "", "scan", "--data", w.dir, "--image", png, "--user", "alice")
	if code != 0 || !strings.Contains(stdout, "scanned before: the same payment") || !strings.Contains(stdout, "rules    network c_16_ignet_25+s1") {
		t.Errorf("rescan in text: exit %d\n%s%s", code, stdout, stderr)
	}
	_, users = cliListUsers(t, w.dir)
	if !cliAmountIs(users["alice"].Balance, "USD", "9000") {
		t.Errorf("alice's balance after the rescan %+v, want 90.00 USD", users["alice"].Balance)
	}
	// The network agrees.
	stdout, _, _ = runCLI(t, "", "merchant", "payments", "--data", w.dir, "--json")
	if !strings.Contains(stdout, first.PaymentRequestID) || !strings.Contains(stdout, `"status":"SUCCESS"`) {
		t.Errorf("the simulator's payments:\n%s", stdout)
	}
	// Declining tells Alipay+ F and moves no money.
	declined, code := scan("--image", order("2.00"), "--user", "alice", "--decline")
	if code != 1 || declined.Status != "FAILED" || !declined.Notified {
		t.Errorf("decline: exit %d %+v", code, declined)
	}
	if stdout, _, _ := runCLI(t, "", "payments", "list", "--data", w.dir, "--json"); !strings.Contains(stdout, declined.PaymentRequestID) {
		t.Errorf("the declined payment is not in the ledger:\n%s", stdout)
	}
	// A closed order (magic 82): the acquirer's reason, nothing recorded.
	closed, code := scan("--image", order("2.82"), "--user", "alice", "--yes")
	if code != 1 || closed.Status != "REFUSED" || closed.ResultCode != "ORDER_IS_CLOSED" {
		t.Errorf("closed order: exit %d %+v", code, closed)
	}
	// Not an Alipay+ code.
	nope, code := scan("hello", "--user", "alice", "--yes")
	if code != 1 || nope.Supported {
		t.Errorf("unknown code: exit %d %+v", code, nope)
	}
	// Without --yes or --decline and no terminal: a usage error.
	if _, stderr, code := runCLI(t, "", "scan", "--data", w.dir, "--image", order("3.00"), "--user", "alice"); code != 2 || !strings.Contains(stderr, "--yes") {
		t.Errorf("no answer: exit %d %q", code, stderr)
	}
	// Not an image.
	if _, stderr, code := runCLI(t, "", "scan", "--data", w.dir, "--image", filepath.Join(w.dir, "config.json"), "--yes"); code != 2 {
		t.Errorf("not an image: exit %d %q", code, stderr)
	}
}
