package coderules_test

import (
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/coderules"
)

// TestTransactionAmountLiteralIsExact: a matchPattern transactionAmount
// literal (the sandbox's Nepal rules use "0") matches the code's tag 54 as
// an exact decimal. It used to go through float64, so "-0", "0e5", "0x0"
// and "+0" passed for "0" (not EMVCo amounts at all), and amounts past
// float64's precision compared equal when they are not.
func TestTransactionAmountLiteralIsExact(t *testing.T) {
	rules := func(amount string) []alipayplus.CodeRule {
		return []alipayplus.CodeRule{{
			CodeMatchPattern: &alipayplus.CodeMatchPattern{MatchMethod: "EMVCO",
				EmvMatchRules: []alipayplus.EMVMatchRule{{ExtendedMerchantTag: "00", ExtendedMerchantValue: "R<.*>"}}},
			ExtendInfo:          `{"matchPattern":"{\"countryCode\":\"NP\",\"transactionAmount\":\"` + amount + `\"}"}`,
			PostCodeMatchAction: &alipayplus.PostCodeMatchAction{PostCodeMatchActionType: "DECODE"},
		}}
	}
	tests := []struct {
		literal, tag54 string
		want           bool
	}{
		{"0", "0", true},
		{"0", "0.00", true},
		{"0", "00.0", true},
		{"0.00", "0", true},
		{"10.5", "010.50", true},
		{"10", "10.", true},
		{"0", "5", false},
		{"0", "-0", false},
		{"0", "+0", false},
		{"0", "0e5", false},
		{"0", "0x0", false},
		{"0", ".", false},
		{"0", "0.0.0", false},
		{"Inf", "+Inf", false},
		{"10000000000000000", "10000000000000001", false},
		{"0.10000000000000000", "0.10000000000000001", false},
	}
	for _, tt := range tests {
		m, warns := coderules.New(rules(tt.literal))
		if m.Len() != 1 {
			t.Fatalf("rule with amount %q skipped: %v", tt.literal, warns)
		}
		code := emv(tlv("26", tlv("00", "NCHL12345678")), tlv("54", tt.tag54), tlv("58", "NP"))
		if d := m.Identify(code); d.Supported != tt.want {
			t.Errorf("rule amount %q, code amount %q: supported %v, want %v (%s)", tt.literal, tt.tag54, d.Supported, tt.want, d.Reason)
		}
	}
}
