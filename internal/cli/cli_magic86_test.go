package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestMagic86TellsTheTruth: an order for an amount ending in 86 can never
// be paid, by design. The order says so, and scanning it ends with the
// outcome Alipay+ really answered (U UNKNOWN_EXCEPTION, after retries),
// not "did not answer"; nothing is paid.
func TestMagic86TellsTheTruth(t *testing.T) {
	w := cliSimStartWorld(t)
	stdout, stderr, code := runCLI(t, "", "merchant", "order", "--data", w.dir, "--amount", "1.86", "--json")
	var o struct {
		CodeValue string `json:"codeValue"`
		Magic     string `json:"magic"`
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &o) != nil || o.CodeValue == "" {
		t.Fatalf("merchant order: exit %d, %s %s", code, stdout, stderr)
	}
	if !strings.Contains(o.Magic, "can never be paid") {
		t.Errorf("the order's magic %q does not say it can never be paid", o.Magic)
	}
	stdout, stderr, code = runCLI(t, "", "scan", "--data", w.dir, o.CodeValue, "--user", "alice", "--yes")
	for _, want := range []string{"stayed unknown after retries (U UNKNOWN_EXCEPTION", "the acquirer's outcome is unknown (UNKNOWN_EXCEPTION",
		"nothing was paid"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("scan: stderr %q lacks %q", stderr, want)
		}
	}
	if code != 1 || strings.Contains(stderr, "did not answer") {
		t.Errorf("scan: exit %d, stdout %q, stderr %q; want exit 1 and the answer Alipay+ gave", code, stdout, stderr)
	}
	assertOneErrorLine(t, stderr)
	if b := cliSimBalance(t, w.dir, "alice"); !cliAmountIs(b, "USD", "10000") {
		t.Errorf("alice's balance %+v: nothing should be paid", b)
	}
}
