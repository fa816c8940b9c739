package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestReconcileListsAFaultsDisagreement: a fault replaces the wallet's S
// to pay with F RISK_REJECT after the wallet debited. The merchant sees a
// decline, the ledger keeps the payment, and reconcile lists the payment
// (with the simulator's note of the cause) and exits 1; a clean sale
// before it agreed.
func TestReconcileListsAFaultsDisagreement(t *testing.T) {
	w := cliSimStartWorld(t)
	if _, _, code := cliSimCharge(t, w.dir, cliSimCode(t, w.dir, "alice"), "1.00", "USD"); code != 0 {
		t.Fatalf("a clean charge exited %d", code)
	}
	if stdout, stderr, code := runCLI(t, "", "reconcile", "--data", w.dir); code != 0 || !strings.Contains(stdout, "1 payment(s) compared, 0 still in flight: the simulator and the wallet agree") {
		t.Fatalf("reconcile after a clean sale: exit %d\n%s%s", code, stdout, stderr)
	}
	if _, stderr, code := runCLI(t, "", "faults", "add", "--data", w.dir, "pay:result=F/RISK_REJECT,count=1"); code != 0 {
		t.Fatalf("faults add: %s", stderr)
	}
	charged, _, code := cliSimCharge(t, w.dir, cliSimCode(t, w.dir, "alice"), "2.00", "USD")
	if code != 1 || charged.Status != "FAIL" {
		t.Fatalf("the faulted charge: exit %d %+v, want a decline", code, charged)
	}
	if got := cliSimBalance(t, w.dir, "alice"); got.Value != "9700" {
		t.Fatalf("balance %+v: the wallet should have debited both (the fault came after)", got)
	}
	stdout, _, code := runCLI(t, "", "reconcile", "--data", w.dir)
	if code != 1 || !strings.Contains(stdout, "network FAIL, wallet SUCCEEDED: the network says FAIL RISK_REJECT, the wallet kept 2.00 USD") ||
		!strings.Contains(stdout, "cause: a fault replaced the wallet's answer S SUCCESS with F RISK_REJECT") ||
		!strings.Contains(stdout, "1 payment(s) differ") {
		t.Errorf("reconcile: exit %d\n%s", code, stdout)
	}
	stdout, _, code = runCLI(t, "", "reconcile", "--data", w.dir, "--json")
	var rep reconcileReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != 1 || rep.Checked != 2 || len(rep.Differences) != 1 ||
		rep.Differences[0].Network != "FAIL" || rep.Differences[0].Wallet != "SUCCEEDED" || rep.Differences[0].CustomerID != "alice" {
		t.Errorf("reconcile --json: exit %d %v\n%s", code, err, stdout)
	}
}
