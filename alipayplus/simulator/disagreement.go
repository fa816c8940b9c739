package simulator

import (
	"fmt"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// ruleDisagreement is the finding of an answer a fault replaced after the
// wallet acted on its own: the two sides now disagree.
const ruleDisagreement = "disagreement"

// disagreement compares the wallet's real answer with the one a fault
// replaced it by. Only a final answer changed into the other final one
// matters: the wallet debited (S) while the network sees a decline (F), or
// the other way round. A U the network follows up with inquiries, which
// find the wallet's real outcome.
func disagreement(api string, real alipayplus.Result, replaced *alipayplus.Result) (Finding, bool) {
	final := func(s string) bool { return s == alipayplus.StatusSuccess || s == alipayplus.StatusFail }
	if replaced == nil || !final(real.ResultStatus) || !final(replaced.ResultStatus) || real.ResultStatus == replaced.ResultStatus {
		return Finding{}, false
	}
	return Finding{API: api, Side: sideResponse, Field: "result", Rule: ruleDisagreement,
		Message: fmt.Sprintf("a fault replaced the wallet's answer %s %s with %s %s: the wallet acted on its own answer, "+
			"Alipay+ and the merchant act on the replaced one, so the two sides now disagree (mppwallet reconcile lists it)",
			real.ResultStatus, real.ResultCode, replaced.ResultStatus, replaced.ResultCode)}, true
}

// noteDisagreement marks the payment and says so in its steps.
func (s *Simulator) noteDisagreement(p *Payment, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p.Disagreement = msg
	s.stepLocked(p, "%s", msg)
}
