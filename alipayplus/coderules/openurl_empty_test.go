package coderules_test

import (
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/coderules"
)

// TestOpenURLNeverEmpty: an OPEN_URL decision always carries a URL. A rule
// used directly on an empty code, or whose dynamic URL expression expands
// to nothing (only ${issuer}, for a code without one), used to come out as
// "supported, open this URL" with no URL; now it is not supported and says
// why. (The invariant is FuzzRuleSet's; testdata/fuzz/FuzzRuleSet has both
// inputs.)
func TestOpenURLNeverEmpty(t *testing.T) {
	tests := []struct {
		name string
		rule alipayplus.CodeRule
		code string
	}{
		{"empty code used directly", alipayplus.CodeRule{
			CodeMatchPattern:    &alipayplus.CodeMatchPattern{MatchMethod: "REGEX", Regex: ".*"},
			PostCodeMatchAction: &alipayplus.PostCodeMatchAction{PostCodeMatchActionType: "OPEN_URL"},
		}, ""},
		{"expression expands to nothing", alipayplus.CodeRule{
			CodeMatchPattern: &alipayplus.CodeMatchPattern{MatchMethod: "PREFIX", Prefix: "x"},
			PostCodeMatchAction: &alipayplus.PostCodeMatchAction{PostCodeMatchActionType: "OPEN_URL",
				URLConstructionMethod: coderules.ConstructDynamicURL, DynamicURLExpression: "${issuer}"},
		}, "xyz"},
	}
	for _, tt := range tests {
		m, warns := coderules.New([]alipayplus.CodeRule{tt.rule})
		if m.Len() != 1 {
			t.Fatalf("%s: rule skipped: %v", tt.name, warns)
		}
		d := m.Identify(tt.code)
		if d.Supported || d.Action != "" || d.Index != 0 || !strings.Contains(d.Reason, "no URL") {
			t.Errorf("%s: %+v; want not supported, rule 0, a reason about the URL", tt.name, d)
		}
	}
}
