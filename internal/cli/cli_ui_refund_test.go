package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mppwallet/mppwallet/alipayplus/simulator/simclient"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/ui"
)

// cliRefundedPayment is a payment with its refunds, as "payments list
// --json" prints it.
type cliRefundedPayment struct {
	RequestID string     `json:"paymentRequestId"`
	Status    string     `json:"status"`
	Refunded  *cliAmount `json:"refunded"`
}

// cliChargeShown charges alice amount with the code her app shows, after
// leaving the result page of the charge before, and returns the payment's
// paymentRequestId.
func cliChargeShown(t *testing.T, d *appDriver, dir string, used map[string]bool, amount string) string {
	t.Helper()
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
	shown := d.m.(ui.App).Shown().Code.Value
	used[shown] = true
	cliWaitShown(t, dir, "the code in run/ui.json", func(s shownState) bool { return s.PaymentCode == shown })
	stdout, stderr, code := cliChargeUser(t, dir, "alice", amount, true)
	var out cliSimChargeJSON
	if code != 0 || json.Unmarshal([]byte(stdout), &out) != nil || out.Status != "SUCCESS" || out.PaymentRequestID == "" {
		t.Fatalf("merchant charge --user alice --amount %s: exit %d, %s %s", amount, code, stdout, stderr)
	}
	return out.PaymentRequestID
}

// TestUIRefundsTheSelectedPayment runs the real app (its wallet server and
// embedded simulator) for alice, pays two charges, and on History selects
// the older one and refunds it with R, y: the simulator has the wallet
// refund that payment, in full, and not the newer one (the newest is the
// one selected on entry, so a refund of the wrong row shows here).
func TestUIRefundsTheSelectedPayment(t *testing.T) {
	dir := cliSimDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--balance", "100.00", "--currency", "USD")
	s, d, err := startDriven(context.Background(), uiOptions{dataPath: dir, userID: "alice"}, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.stop(); s.close() })
	used := map[string]bool{}
	older := cliChargeShown(t, d, dir, used, "3.00")
	newer := cliChargeShown(t, d, dir, used, "5.00")

	if !d.until(t.Context(), func(string) bool { return d.m.(ui.App).Shown().Screen == "result" }, 30*time.Second) {
		t.Fatalf("no result page for the second charge:\n%s", flatRefundView(d.view))
	}
	d.update(tea.KeyPressMsg{Code: tea.KeyEnter})
	d.update(tea.KeyPressMsg{Code: '2', Text: "2"})
	if !d.until(t.Context(), func(v string) bool { return strings.Contains(flatRefundView(v), "2 payments, newest first") }, 30*time.Second) {
		t.Fatalf("History does not list the two payments:\n%s", flatRefundView(d.view))
	}
	d.update(tea.KeyPressMsg{Code: tea.KeyDown})
	d.update(tea.KeyPressMsg{Code: 'r', ShiftedCode: 'R', Mod: tea.ModShift, Text: "R"}) // shift+r as a terminal sends it
	ask := "Refund 3.00 USD of "
	if v := flatRefundView(d.view); !strings.Contains(v, ask) || !strings.Contains(v, "("+older+")? y refund all · n/esc cancel") {
		t.Fatalf("R does not ask to refund the older payment %s:\n%s", older, v)
	}
	d.update(tea.KeyPressMsg{Code: 'y', Text: "y"})
	done := func(v string) bool {
		v = flatRefundView(v)
		return strings.Contains(v, "Refunded 3.00 USD (refundId ") || strings.Contains(v, "Refund failed")
	}
	if !d.until(t.Context(), done, 90*time.Second) || strings.Contains(flatRefundView(d.view), "Refund failed") {
		t.Fatalf("no refund:\n%s", flatRefundView(d.view))
	}
	reloaded := func(v string) bool { return strings.Contains(historyRowOf(v, "refunded"), "3.00 USD") }
	if !d.until(t.Context(), reloaded, 30*time.Second) {
		t.Fatalf("History does not show the older payment refunded:\n%s", flatRefundView(d.view))
	}
	if row := historyRowOf(d.view, "▶"); !strings.Contains(row, "refunded") || !strings.Contains(row, "3.00 USD") {
		t.Errorf("the cursor left the refunded payment: the selected row is %q", row)
	}

	stdout, stderr, code := runCLI(t, "", "payments", "list", "--data", dir, "--user", "alice", "--json")
	var ps []cliRefundedPayment
	if code != 0 || json.Unmarshal([]byte(stdout), &ps) != nil {
		t.Fatalf("payments list --json: exit %d, %s %s", code, stdout, stderr)
	}
	got := map[string]string{}
	for _, p := range ps {
		got[p.RequestID] = "0"
		if p.Refunded != nil {
			got[p.RequestID] = p.Refunded.Value
		}
	}
	if got[older] != "300" || got[newer] != "0" {
		t.Errorf("refunded per payment %v; want %s (older) 300 minor units and %s (newer) none", got, older, newer)
	}
	if b := cliSimBalance(t, dir, "alice"); b == nil || b.Value != "9500" {
		t.Errorf("alice's balance is %+v, want 95.00 USD (100 − 3 − 5 + 3)", b)
	}
}

func flatRefundView(v string) string { return strings.Join(strings.Fields(ansi.Strip(v)), " ") }

// historyRowOf is the line of the History table, as drawn, that contains
// want, or "".
func historyRowOf(view, want string) string {
	for _, l := range strings.Split(ansi.Strip(view), "\n") {
		if strings.Contains(l, want) && strings.Contains(l, "SUCCESS") {
			return l
		}
	}
	return ""
}

// A gateway that is not the simulator has no admin API to refund with:
// the app says that refunds need the simulator.
func TestUIRefundNeedsTheSimulator(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	b := &uiBackend{sim: simclient.New(srv.URL)}
	_, err := b.Refund(t.Context(), "PR-1", money.Money{Currency: "USD", Minor: 100})
	if err == nil || !strings.Contains(err.Error(), "refunds need the Alipay+ simulator: the gateway at "+srv.URL+" is not one") {
		t.Fatalf("Refund against a gateway that is not a simulator: %v", err)
	}
}
