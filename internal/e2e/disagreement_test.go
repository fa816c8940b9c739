package e2e_test

import (
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus/simulator"
)

// TestResultFaultAfterDebitIsADisagreement: a result fault on pay replaces
// the wallet's S after it debited. The payment says so, its steps say so,
// and the transcript holds a "disagreement" finding naming both answers;
// a result fault that keeps the status (S for S), or turns it into U
// (the network then inquires), is none.
func TestResultFaultAfterDebitIsADisagreement(t *testing.T) {
	cases := []struct {
		fault string
		want  bool
	}{
		{"pay:result=F/RISK_REJECT,count=1", true},
		{"pay:result=U/UNKNOWN_EXCEPTION,count=1", false}, // inquiries find the wallet's S
		{"pay:result=S/SUCCESS,count=1", false},
	}
	for _, c := range cases {
		t.Run(c.fault, func(t *testing.T) {
			n := newNetwork(t, fastTiming)
			n.addUser("alice", "100.00", "USD", nil)
			rule, err := simulator.ParseRule(c.fault)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := n.sim.Faults().Add(rule); err != nil {
				t.Fatal(err)
			}
			p := charge(t, n, n.codes("alice", 1)[0].PaymentCode, "2.00", "USD")
			var found []simulator.Finding
			for _, f := range n.sim.Transcript().Findings() {
				if f.Rule == "disagreement" {
					found = append(found, f)
				}
			}
			if !c.want {
				if len(found) > 0 || p.Disagreement != "" {
					t.Errorf("findings %+v, payment note %q: want none", found, p.Disagreement)
				}
				return
			}
			if len(found) != 1 || found[0].API != simulator.APIPay || !strings.Contains(found[0].Message, "the wallet's answer S SUCCESS") {
				t.Errorf("disagreement findings %+v, want one on pay naming the wallet's S SUCCESS", found)
			}
			if p.Disagreement == "" || !strings.Contains(stepText(p), "disagree") {
				t.Errorf("payment %+v does not note the disagreement", p)
			}
		})
	}
}
