package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mppwallet/mppwallet/ui"
)

// cliChargeUser runs "merchant charge --user USER --amount AMOUNT" on dir,
// with --json when asJSON.
func cliChargeUser(t *testing.T, dir, user, amount string, asJSON bool) (stdout, stderr string, code int) {
	t.Helper()
	args := []string{"merchant", "charge", "--data", dir, "--user", user, "--amount", amount}
	if asJSON {
		args = append(args, "--json")
	}
	return runCLI(t, "", args...)
}

// TestMerchantChargeUserChargesTheCodeOnScreen runs the real app for alice
// (its wallet server and embedded simulator on loopback) and charges by
// user: alice's charge takes the very code her app shows, and says so;
// bob, whose codes no app shows, is charged a fresh code; an unknown user
// is refused as 'codes --user' refuses one.
func TestMerchantChargeUserChargesTheCodeOnScreen(t *testing.T) {
	dir := cliSimDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--balance", "100.00", "--currency", "USD")
	cliAddUser(t, dir, "--id", "bob", "--balance", "50.00", "--currency", "USD")
	s, d, err := startDriven(context.Background(), uiOptions{dataPath: dir, userID: "alice"}, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.stop(); s.close() })
	shown := d.m.(ui.App).Shown().Code.Value
	if shown == "" {
		t.Fatal("the app shows no code")
	}
	cliWaitShown(t, dir, "the code in run/ui.json", func(s shownState) bool { return s.PaymentCode == shown })

	tests := []struct {
		name, user, amount string
		asJSON             bool
		code               int
		from               string // codeFrom in JSON
		out                string // in stdout (exit 0) or stderr
	}{
		{"alice's app shows her code", "alice", "12.34", true, 0, codeFromApp, `"paymentCode":"{shown}"`},
		{"in words: the code and that it is on screen", "alice", "1.00", false, 0, "",
			"code     {shown} on the app's screen (pid "},
		{"bob's codes are not on screen: a fresh one", "bob", "2.00", true, 0, codeFromFresh, `"customerId":"bob"`},
		{"in words: fresh, and why", "bob", "3.00", false, 0, "", "fresh, issued for bob (the app (pid "},
		{"an unknown user", "nobody", "1.00", false, 1, "", "users list"},
	}
	used := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.user == "alice" {
				// The charge before showed its result page: back to
				// the code page, which shows the next code, and
				// run/ui.json says so.
				fresh := func(string) bool {
					sh := d.m.(ui.App).Shown()
					return sh.Screen == "result" || (sh.Code.Value != "" && !used[sh.Code.Value])
				}
				if !d.until(t.Context(), fresh, 30*time.Second) {
					t.Fatal("the app shows neither a result nor an unused code")
				}
				if d.m.(ui.App).Shown().Screen == "result" {
					d.update(tea.KeyPressMsg{Code: tea.KeyEnter})
					if !d.until(t.Context(), fresh, 30*time.Second) || d.m.(ui.App).Shown().Code.Value == "" {
						t.Fatal("no unused code after the result page")
					}
				}
				shown = d.m.(ui.App).Shown().Code.Value
				used[shown] = true
				cliWaitShown(t, dir, "the code in run/ui.json", func(s shownState) bool { return s.PaymentCode == shown })
				tt.out = strings.ReplaceAll(tt.out, "{shown}", shown)
			}
			stdout, stderr, code := cliChargeUser(t, dir, tt.user, tt.amount, tt.asJSON)
			got := stdout
			if tt.code != 0 {
				got = stderr
				assertOneErrorLine(t, stderr)
			}
			if code != tt.code || !strings.Contains(got, tt.out) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d with %q", code, stdout, stderr, tt.code, tt.out)
			}
			if tt.code != 0 && !tt.asJSON {
				if strings.Contains(stdout, "PAID") {
					t.Errorf("stdout %q: nothing should be paid", stdout)
				}
				return
			}
			if !tt.asJSON {
				if !strings.Contains(stdout, "PAID     "+tt.amount+" USD from "+tt.user) {
					t.Errorf("stdout %q, want PAID %s USD from %s", stdout, tt.amount, tt.user)
				}
				return
			}
			var out cliSimChargeJSON
			var extra struct {
				PaymentCode string `json:"paymentCode"`
				CodeFrom    string `json:"codeFrom"`
			}
			if json.Unmarshal([]byte(stdout), &out) != nil || json.Unmarshal([]byte(stdout), &extra) != nil {
				t.Fatalf("not one JSON object: %s", stdout)
			}
			if out.Status != "SUCCESS" || out.CustomerID != tt.user || extra.CodeFrom != tt.from || len(extra.PaymentCode) != len(shown) {
				t.Errorf("charge = %s; want SUCCESS for %s from %q", stdout, tt.user, tt.from)
			}
			if tt.from == codeFromFresh && extra.PaymentCode == shown {
				t.Errorf("bob was charged the code alice's app shows")
			}
		})
	}
	// The ledger moved the money once per charge.
	if b := cliSimBalance(t, dir, "alice"); !cliAmountIs(b, "USD", "8666") {
		t.Errorf("alice's balance %+v, want 86.66 USD", b)
	}
	if b := cliSimBalance(t, dir, "bob"); !cliAmountIs(b, "USD", "4500") {
		t.Errorf("bob's balance %+v, want 45.00 USD", b)
	}
}

// TestMerchantChargeUserWithoutApp charges by user beside a headless
// 'serve' and 'sim': no app runs, so every charge is of a fresh code,
// exactly as 'codes --user' would issue.
func TestMerchantChargeUserWithoutApp(t *testing.T) {
	w := cliSimStartWorld(t)
	stdout, stderr, code := cliChargeUser(t, w.dir, "alice", "12.34", false)
	if code != 0 || !strings.Contains(stdout, "fresh, issued for alice (no app runs on "+w.dir+")") ||
		!strings.Contains(stdout, "PAID     12.34 USD from alice") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	stdout, _, code = cliChargeUser(t, w.dir, "kenji", "1.00", true)
	if code != 0 || !strings.Contains(stdout, `"codeFrom":"fresh"`) || !strings.Contains(stdout, `"status":"SUCCESS"`) {
		t.Fatalf("kenji: exit %d, %s", code, stdout)
	}
	if b := cliSimBalance(t, w.dir, "alice"); !cliAmountIs(b, "USD", "8766") {
		t.Errorf("alice's balance %+v, want 87.66 USD", b)
	}
}

// TestMerchantChargeUserUsage: --user and --code name the code two ways,
// and a malformed id names nothing: usage errors, exit 2, one line.
func TestMerchantChargeUserUsage(t *testing.T) {
	dir := cliDataDir(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"both --user and --code", []string{"--user", "alice", "--code", "259999021234567890123456"}, "--code and --user cannot go together"},
		{"neither", nil, "--code or --user is required"},
		{"a malformed user id", []string{"--user", "al ice"}, "--user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"merchant", "charge", "--data", dir, "--amount", "1.00"}, tt.args...)
			_, stderr, code := runCLI(t, "", args...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 with %q", code, stderr, tt.want)
			}
			assertOneErrorLine(t, stderr)
		})
	}
}
