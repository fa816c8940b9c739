package coderules_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/coderules"
	"github.com/mppwallet/mppwallet/assets"
)

// Fuzz targets for the code-rule matcher. Run one with:
//
//	go test ./alipayplus/coderules -run '^$' -fuzz '^FuzzIdentify$' -fuzztime 10m -parallel 1
//	go test ./alipayplus/coderules -run '^$' -fuzz '^FuzzRuleSet$' -fuzztime 10m -parallel 1

// simOrderDomain is simulator.DefaultOrderDomain (not imported, to keep
// the fuzz binary small).
const simOrderDomain = "https://qr.mppwallet.test"

// simulatorRule is the rule the embedded simulator adds to the sandbox set
// for its own order codes (simulator/routes.go codeRules).
func simulatorRule() alipayplus.CodeRule {
	return alipayplus.CodeRule{
		CodeMatchPattern: &alipayplus.CodeMatchPattern{MatchMethod: "PREFIX",
			Prefix: simOrderDomain + "/28199904", Priority: "9000"},
		PostCodeMatchAction: &alipayplus.PostCodeMatchAction{PostCodeMatchActionType: "DECODE"},
		ExtendInfo:          `{"matchResult":"{\"routerType\":\"AC_CODE\"}"}`,
	}
}

// codeSeeds are scanned codes: one for the rules of every method and action
// in the sandbox set, the simulator's order codes, near misses, and every
// EMVCo seed.
func codeSeeds() []string {
	codes := []string{
		"https://aps.testacquirer.com/abc",
		"https://qr.alipay.com/bax123",
		"HTTPS://QR.ALIPAY.COM/BAX1",
		"https://qr.alipay.com/oc123",
		"28166604123",
		"https://qr.alipayplus.com/28166613000001",
		"https://gqr.alipay.com/2810150400000001",
		"CN_ORDER_1234",
		"NETSQPAY1234",
		"https://render.alipay.com/p/w/ac-fe-adaptor/x",
		"https://cdn.marmot-cloud.com/page/mobile-integration/entry.html?x=1",
		"2-ZPKRW-abc-def--xyz",
		"2-ZP-abc-def-g-h",
		"x2-ZPKRW-abc-def--xyz\n\n",
		"wxp://f2f0abc",
		"https://weixin.qq.com/x\n",
		"https://qr.paypay.ne.jp/28180104abc",
		simOrderDomain + "/2819990400011234567890123456",
		simOrderDomain + "/28199905",
		"281006020000000000125733",
		"hello",
		"",
		"\x00\xff",
	}
	valid, broken := emvSeeds()
	return append(append(codes, valid...), broken...)
}

// sandboxRules decodes the embedded sandbox set as the app does.
func sandboxRules(tb testing.TB) []alipayplus.CodeRule {
	tb.Helper()
	var resp alipayplus.InquiryCodeRulesResponse
	if _, err := alipayplus.Decode(assets.SandboxCodeRules, &resp); err != nil {
		tb.Fatal(err)
	}
	return resp.CodeRules
}

// checkDecision asserts what must hold of any Decision of a matcher built
// from rules: the shape of the outcome, determinism, and that the winner is
// the matching rule with the smallest priority, ties to the first listed.
// single[i] is a matcher of rules[i] alone (nil if New skipped it), the
// oracle for whether rule i matches on its own.
func checkDecision(t *testing.T, m *coderules.Matcher, rules []alipayplus.CodeRule, single []*coderules.Matcher, code string) {
	t.Helper()
	d := m.Identify(code)
	if again := m.Identify(code); !reflect.DeepEqual(d, again) {
		t.Fatalf("Identify(%q) is not deterministic:\n%+v\n%+v", code, d, again)
	}
	if d.Supported {
		if d.Rule == nil || d.Index < 0 || d.Index >= len(rules) || d.Rule != &rules[d.Index] {
			t.Fatalf("Identify(%q): supported with rule %p index %d", code, d.Rule, d.Index)
		}
		switch d.Action {
		case coderules.Decode:
			if d.URL != "" {
				t.Fatalf("Identify(%q): DECODE with URL %q", code, d.URL)
			}
		case coderules.OpenURL:
			if d.URL == "" || d.UserAgent == "" {
				t.Fatalf("Identify(%q): OPEN_URL without URL or user agent: %+v", code, d)
			}
		default:
			t.Fatalf("Identify(%q): action %q", code, d.Action)
		}
		switch d.Method {
		case "PREFIX":
			if len(code) < len(d.Prefix) || !strings.EqualFold(code[:len(d.Prefix)], d.Prefix) || d.Prefix == "" {
				t.Fatalf("Identify(%q): PREFIX %q does not prefix the code", code, d.Prefix)
			}
		case "REGEX":
		case "EMVCO":
			if _, err := coderules.ParseEMV(code); err != nil {
				t.Fatalf("Identify(%q): EMVCO match on a payload that does not parse: %v", code, err)
			}
		default:
			t.Fatalf("Identify(%q): method %q", code, d.Method)
		}
		if d.Reason != "" {
			t.Fatalf("Identify(%q): supported with reason %q", code, d.Reason)
		}
	} else if d.Reason == "" || d.Action != "" || d.URL != "" {
		t.Fatalf("Identify(%q): unsupported without a reason, or with an action: %+v", code, d)
	}

	// The winner, by the rules' own verdicts one at a time.
	want, wantPrio := -1, 0
	for i, s := range single {
		if s == nil {
			continue
		}
		if sd := s.Identify(code); sd.Index == 0 && (want < 0 || sd.Priority < wantPrio) {
			want, wantPrio = i, sd.Priority
		}
	}
	if d.Index != want {
		t.Fatalf("Identify(%q): winner %d (priority %d), want %d (priority %d)", code, d.Index, d.Priority, want, wantPrio)
	}
	if want >= 0 {
		if d.Priority != wantPrio {
			t.Fatalf("Identify(%q): priority %d, want %d", code, d.Priority, wantPrio)
		}
		if sd := single[want].Identify(code); sd.Supported != d.Supported || sd.Action != d.Action || sd.URL != d.URL {
			t.Fatalf("Identify(%q): %+v, but the winning rule alone says %+v", code, d, sd)
		}
	}
}

// singles builds one matcher per rule (nil where New skips it).
func singles(rules []alipayplus.CodeRule) []*coderules.Matcher {
	out := make([]*coderules.Matcher, len(rules))
	for i := range rules {
		if m, _ := coderules.New(rules[i : i+1]); m.Len() == 1 {
			out[i] = m
		}
	}
	return out
}

// FuzzIdentify runs the real sandbox rules plus the simulator's own rule
// over fuzzed codes: never a panic, a well-formed and deterministic
// decision, and the right winner (smallest priority, first listed on a
// tie).
func FuzzIdentify(f *testing.F) {
	rules := append(sandboxRules(f), simulatorRule())
	m, _ := coderules.New(rules)
	if m.Len() != len(rules) {
		f.Fatalf("%d of %d rules load", m.Len(), len(rules))
	}
	single := singles(rules)
	for _, c := range codeSeeds() {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, code string) {
		checkDecision(t, m, rules, single, code)
	})
}

// ruleSetSeeds are rule sets (inquiryCodeRules bodies): the simulator's
// rule, and the odd shapes the unit tests pin (numbers and
// strings for priority, booleans for flags, unknown methods and actions,
// broken extendInfo, lookaround regexes, EMV URL extraction).
var ruleSetSeeds = []string{
	`{"codeRules":[{"codeMatchPattern":{"matchMethod":"PREFIX","prefix":"https://qr.mppwallet.test/28199904","priority":"9000"},` +
		`"postCodeMatchAction":{"postCodeMatchActionType":"DECODE"},"extendInfo":"{\"matchResult\":\"{\\\"routerType\\\":\\\"AC_CODE\\\"}\"}"}],"version":"sim"}`,
	`{"codeRules":` + priorityRules + `}`,
	`{"codeRules":[
	 {"codeMatchPattern":{"matchMethod":"GLOB","prefix":"x"},"postCodeMatchAction":{"postCodeMatchActionType":"DECODE"}},
	 {"codeMatchPattern":{"matchMethod":"REGEX","regex":"(?!abc).*"},"postCodeMatchAction":{"postCodeMatchActionType":"DECODE"}},
	 {"codeMatchPattern":{"matchMethod":"PREFIX","prefix":"x"},"postCodeMatchAction":{"postCodeMatchActionType":"SHOUT"}},
	 {"codeMatchPattern":{"matchMethod":"PREFIX","prefix":"x"},"postCodeMatchAction":{"postCodeMatchActionType":"OPEN_URL","urlConstructionMethod":"CONSTRUCT_DYNAMIC_URL"}},
	 {"codeMatchPattern":{"matchMethod":"EMVCO","emvMatchRules":[{"extendedMerchantTag":"00","extendedMerchantValue":"R<(?=x)x>"}]},"postCodeMatchAction":{"postCodeMatchActionType":"DECODE"}},
	 {"codeMatchPattern":{"matchMethod":"PREFIX","prefix":"x"},"postCodeMatchAction":{"postCodeMatchActionType":"DECODE"},"extendInfo":"{not json"},
	 {"postCodeMatchAction":{"postCodeMatchActionType":"DECODE"}},
	 {"codeMatchPattern":{"matchMethod":"PREFIX","prefix":"ok"},"postCodeMatchAction":{"postCodeMatchActionType":"DECODE"}}]}`,
	`{"codeRules":[
	 {"codeMatchPattern":{"matchMethod":"EMVCO","priority":1,"emvMatchRules":[
	   {"extendedMerchantTag":"00","extendedMerchantValue":"A900000000000000","primitiveMerchant":false},
	   {"extendedMerchantTag":"03","extendedMerchantValue":"S<http>","primitiveMerchant":false}]},
	  "postCodeMatchAction":{"postCodeMatchActionType":"OPEN_URL","urlConstructionMethod":"EXTRACT_URL_FROM_EMVCODE","emvUrlTag":"merchantTag.03"}},
	 {"codeMatchPattern":{"matchMethod":"EMVCO","priority":2,"emvMatchRules":[{"primitiveMerchant":true,"primitiveMerchantTag":"15"}]},
	  "extendInfo":"{\"matchPattern\":\"{\\\"countryCode\\\":\\\"NP\\\",\\\"primitiveMai\\\":true,\\\"primitiveMaiTag\\\":\\\"15\\\",\\\"transactionAmount\\\":\\\"0\\\"}\"}",
	  "postCodeMatchAction":{"postCodeMatchActionType":"DECODE"}},
	 {"codeMatchPattern":{"matchMethod":"EMVCO","priority":3,"emvMatchRules":[{"extendedMerchantTag":"00","extendedMerchantValue":"R<.*>"}]},
	  "extendInfo":"{\"matchPattern\":\"{\\\"merchantCategoryCode\\\":\\\"R<^(?!0000$).*$>\\\",\\\"merchantMaiRestrictions\\\":{\\\"01\\\":\\\"N<NULL>\\\"},\\\"transactionCurrency\\\":\\\"116\\\"}\"}",
	  "postCodeMatchAction":{"postCodeMatchActionType":"OPEN_URL","urlConstructionMethod":"CONSTRUCT_DYNAMIC_URL","dynamicUrlExpression":"https://x.example/?c=${codeValue}&i=${issuer}"}},
	 {"codeMatchPattern":{"matchMethod":"regx","priority":"1.0"},"extendInfo":"{\"matchPattern\":{\"regx\":\"[0-9]+\",\"pointOfInitiationMethod\":12}}",
	  "postCodeMatchAction":{"postCodeMatchActionType":"decode"}},
	 {"codeMatchPattern":{"matchMethod":"EMVCO","emvMatchRules":[{"extendedMerchantTag":"01","extendedMerchantValue":"C<SHOP>"}]},
	  "extendInfo":"{\"matchPattern\":\"{\\\"transactionAmount\\\":\\\"N<NOT_NULL>\\\",\\\"pointOfInitiationMethod\\\":\\\"12\\\",\\\"merchantName\\\":\\\"Z\\\"}\"}",
	  "postCodeMatchAction":{"postCodeMatchActionType":"OPEN_URL","urlConstructionMethod":"USE_DIRECTLY","userAgent":"UA"}}]}`,
	`{"codeRules":[]}`,
	`{"codeRules":[{}]}`,
	`{}`,
}

// FuzzRuleSet builds a matcher from a fuzzed inquiryCodeRules body and runs
// it over a fuzzed code. The body is decoded leniently as the app does;
// New never panics, skips (with a warning naming the rule) what it cannot
// use — an unknown matchMethod included — and keeps the rest; Identify then
// obeys the same laws as with the real rules.
func FuzzRuleSet(f *testing.F) {
	// Small sets of real sandbox rules, one set per kind, so that every
	// seed stays small (big inputs make each step, and the minimisation
	// of every new input, slow).
	sandbox := sandboxRules(f)
	seeds := slices.Clone(ruleSetSeeds)
	for _, idx := range [][]int{
		{0, 14, 18, 59}, {23, 29, 51}, {2, 52}, {3, 53}, {4, 6, 54}, {5, 24, 41, 55}, {19, 20, 60, 61},
		{25, 26, 27, 28}, {36, 37, 68}, {38, 39, 40, 69}, {42, 71}, {48, 49, 50, 72},
	} {
		var set alipayplus.InquiryCodeRulesResponse
		for _, i := range idx {
			set.CodeRules = append(set.CodeRules, sandbox[i])
		}
		b, err := alipayplus.Encode(set)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, string(b))
	}
	codes := codeSeeds()
	for i, s := range seeds {
		for j := i; j < len(codes); j += len(seeds) {
			f.Add([]byte(s), codes[j])
		}
	}
	f.Fuzz(func(t *testing.T, body []byte, code string) {
		if len(body) > 8<<10 || len(code) > 1<<10 {
			return // big inputs only slow the search down
		}
		var resp alipayplus.InquiryCodeRulesResponse
		if _, err := alipayplus.Decode(body, &resp); err != nil {
			return
		}
		rules := resp.CodeRules
		m, warns := coderules.New(rules)
		skipped := 0
		for _, w := range warns {
			if !strings.HasPrefix(w, "rule ") {
				t.Fatalf("warning %q names no rule", w)
			}
			if strings.Contains(w, " skipped: ") {
				skipped++
			}
		}
		if m.Len()+skipped != len(rules) {
			t.Fatalf("%d rules: %d used + %d skipped", len(rules), m.Len(), skipped)
		}
		for i, r := range rules {
			known := false
			if r.CodeMatchPattern != nil {
				switch strings.ToUpper(strings.TrimSpace(r.CodeMatchPattern.MatchMethod)) {
				case "PREFIX", "REGEX", "REGX", "EMVCO":
					known = true
				}
			}
			if s, _ := coderules.New(rules[i : i+1]); !known && s.Len() != 0 {
				t.Fatalf("rule %d with matchMethod %+v was kept", i, r.CodeMatchPattern)
			}
		}
		checkDecision(t, m, rules, singles(rules), code)
		// A second matcher from the same rules decides the same.
		m2, warns2 := coderules.New(rules)
		if !reflect.DeepEqual(warns, warns2) || !reflect.DeepEqual(m.Identify(code), m2.Identify(code)) {
			t.Fatalf("two matchers from the same rules disagree")
		}
	})
}
