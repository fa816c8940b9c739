package coderules_test

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/coderules"
	"github.com/mppwallet/mppwallet/assets"
)

func sandbox(t *testing.T) (*coderules.Matcher, []string, []alipayplus.CodeRule) {
	t.Helper()
	var resp alipayplus.InquiryCodeRulesResponse
	if _, err := alipayplus.Decode(assets.SandboxCodeRules, &resp); err != nil {
		t.Fatalf("decode sandbox rules: %v", err)
	}
	if len(resp.CodeRules) != 73 {
		t.Fatalf("sandbox has %d rules, want 73", len(resp.CodeRules))
	}
	m, warns := coderules.New(resp.CodeRules)
	return m, warns, resp.CodeRules
}

// tlv renders one EMVCo TLV item (length in characters).
func tlv(tag, value string) string {
	return fmt.Sprintf("%s%02d%s", tag, utf8.RuneCountInString(value), value)
}

// emv builds a valid payload from TLV items, adding 00=01 and the CRC.
func emv(items ...string) string {
	return coderules.WithCRC(tlv("00", "01") + strings.Join(items, ""))
}

func grabStatic() string {
	return emv(tlv("01", "11"),
		tlv("26", tlv("00", "com.grab")+tlv("01", "MERCHANT123")),
		tlv("52", "5812"), tlv("53", "702"), tlv("58", "SG"),
		tlv("59", "Chicken Rice"), tlv("60", "Singapore"))
}

func grabDynamic() string {
	return emv(tlv("01", "12"),
		tlv("26", tlv("00", "com.grab")+tlv("01", "MERCHANT123")),
		tlv("52", "5812"), tlv("53", "702"), tlv("54", "10.00"), tlv("58", "SG"),
		tlv("59", "Chicken Rice"), tlv("60", "Singapore"))
}

func TestSandboxLoads(t *testing.T) {
	m, warns, _ := sandbox(t)
	skipped := 0
	for _, w := range warns {
		t.Log(w)
		if strings.Contains(w, "skipped:") {
			skipped++
		}
	}
	t.Logf("sandbox: %d rules used, %d skipped, %d warnings", m.Len(), skipped, len(warns))
	if m.Len()+skipped != 73 {
		t.Errorf("used %d + skipped %d != 73", m.Len(), skipped)
	}
	if skipped != 0 {
		t.Errorf("expected every sandbox rule to load, %d skipped", skipped)
	}
}

func TestSandboxIdentify(t *testing.T) {
	m, _, _ := sandbox(t)
	regexCode := "2-ZPKRW-abc-def--xyz"
	tests := []struct {
		name      string
		code      string
		supported bool
		action    coderules.Action
		method    string
		url       string // exact URL, when set
		urlHas    []string
		reasonHas string
	}{
		{name: "test acquirer", code: "https://aps.testacquirer.com/abc", supported: true, action: coderules.Decode, method: "PREFIX"},
		{name: "alipay bax", code: "https://qr.alipay.com/bax123", supported: true, action: coderules.Decode, method: "PREFIX"},
		{name: "prefix case-insensitive", code: "HTTPS://QR.ALIPAY.COM/BAX1", supported: true, action: coderules.Decode, method: "PREFIX"},
		{name: "numeric prefix", code: "28166604123", supported: true, action: coderules.Decode, method: "PREFIX"},
		{name: "open url directly", code: "https://render.alipay.com/p/w/ac-fe-adaptor/x", supported: true, action: coderules.OpenURL, method: "PREFIX",
			url: "https://render.alipay.com/p/w/ac-fe-adaptor/x"},
		{name: "regex dynamic url", code: regexCode, supported: true, action: coderules.OpenURL, method: "REGEX",
			urlHas: []string{"https://cdn.marmot-cloud.com/page/mobile-integration/entry.html?", "paymentCurrency=KRW", "codeValue=" + url.QueryEscape(regexCode)}},
		{name: "regex is whole-string", code: "x" + regexCode + "\n\n", supported: false, reasonHas: "no Alipay+ code rule"},
		{name: "hello", code: "hello", supported: false, reasonHas: "no Alipay+ code rule"},
		{name: "empty", code: "", supported: false},
		{name: "grab static", code: grabStatic(), supported: true, action: coderules.OpenURL, method: "EMVCO",
			urlHas: []string{"https://render-intl.alipay.com/", "codeValue=" + url.QueryEscape(grabStatic()), "issuer=com.grab&"}},
		{name: "grab dynamic", code: grabDynamic(), supported: true, action: coderules.Decode, method: "EMVCO"},
		{name: "grab bad CRC", code: grabStatic()[:len(grabStatic())-4] + "0000", supported: false, reasonHas: "CRC"},
		{name: "grab truncated", code: grabStatic()[:30], supported: false, reasonHas: "invalid EMVCo"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := m.Identify(tc.code)
			if d.Supported != tc.supported {
				t.Fatalf("Supported = %v, want %v (%+v)", d.Supported, tc.supported, d)
			}
			if !tc.supported {
				if d.Reason == "" || !strings.Contains(d.Reason, tc.reasonHas) {
					t.Errorf("Reason = %q, want it to mention %q", d.Reason, tc.reasonHas)
				}
				return
			}
			if d.Action != tc.action || d.Method != tc.method {
				t.Errorf("Action, Method = %s, %s; want %s, %s", d.Action, d.Method, tc.action, tc.method)
			}
			if d.Rule == nil {
				t.Error("Rule is nil")
			}
			if tc.url != "" && d.URL != tc.url {
				t.Errorf("URL = %q, want %q", d.URL, tc.url)
			}
			for _, s := range tc.urlHas {
				if !strings.Contains(d.URL, s) {
					t.Errorf("URL %q lacks %q", d.URL, s)
				}
			}
			if d.Action == coderules.OpenURL && d.UserAgent == "" {
				t.Error("OPEN_URL without a user agent")
			}
			if d.Action == coderules.Decode && d.URL != "" {
				t.Errorf("DECODE with URL %q", d.URL)
			}
		})
	}
}

// rules builds a small rule set through the lenient decoder.
func rules(t *testing.T, body string) []alipayplus.CodeRule {
	t.Helper()
	var resp alipayplus.InquiryCodeRulesResponse
	if _, err := alipayplus.Decode([]byte(`{"codeRules":`+body+`}`), &resp); err != nil {
		t.Fatal(err)
	}
	return resp.CodeRules
}

// priorityRules tie and order priorities: numbers and strings, absent
// (10000), and one that cannot be read ("high"). The fuzz seeds use it too.
const priorityRules = `[
	 {"codeMatchPattern":{"matchMethod":"PREFIX","prefix":"https://a.example/"},
	  "postCodeMatchAction":{"postCodeMatchActionType":"OPEN_URL","urlConstructionMethod":"USE_DIRECTLY"}},
	 {"codeMatchPattern":{"matchMethod":"PREFIX","prefix":"https://a.example/pay","priority":"9000"},
	  "postCodeMatchAction":{"postCodeMatchActionType":"DECODE"}},
	 {"codeMatchPattern":{"matchMethod":"REGEX","regex":"https://a\\.example/pay/[0-9]+","priority":9500},
	  "postCodeMatchAction":{"postCodeMatchActionType":"OPEN_URL"}},
	 {"codeMatchPattern":{"matchMethod":"PREFIX","prefix":"https://b.example/","priority":10000},
	  "postCodeMatchAction":{"postCodeMatchActionType":"DECODE"}},
	 {"codeMatchPattern":{"matchMethod":"PREFIX","prefix":"https://b.example/"},
	  "postCodeMatchAction":{"postCodeMatchActionType":"OPEN_URL"}},
	 {"codeMatchPattern":{"matchMethod":"PREFIX","prefix":"https://c.example/","priority":"high"},
	  "postCodeMatchAction":{"postCodeMatchActionType":"DECODE"}}
	]`

func TestPriority(t *testing.T) {
	rs := rules(t, priorityRules)
	m, warns := coderules.New(rs)
	if m.Len() != 6 {
		t.Fatalf("Len = %d, warnings %v", m.Len(), warns)
	}
	if len(warns) != 1 || !strings.Contains(warns[0], "rule 5:") || !strings.Contains(warns[0], "priority") {
		t.Errorf("warnings = %q, want one about rule 5's priority", warns)
	}
	tests := []struct {
		code     string
		index    int
		priority int
		action   coderules.Action
	}{
		{"https://a.example/home", 0, 10000, coderules.OpenURL}, // only the absent-priority rule
		{"https://a.example/pay/12", 1, 9000, coderules.Decode}, // three match; "9000" wins
		{"https://a.example/payx", 1, 9000, coderules.Decode},   // regex does not match
		{"https://b.example/x", 3, 10000, coderules.Decode},     // tie: first listed wins
		{"https://c.example/x", 5, 10000, coderules.Decode},     // unparsable priority = default
	}
	for _, tc := range tests {
		d := m.Identify(tc.code)
		if !d.Supported || d.Index != tc.index || d.Priority != tc.priority || d.Action != tc.action {
			t.Errorf("%s: got index %d priority %d action %s; want %d %d %s", tc.code, d.Index, d.Priority, d.Action, tc.index, tc.priority, tc.action)
		}
	}
	if d := m.Identify("https://a.example/home"); d.URL != "https://a.example/home" || d.UserAgent != coderules.DefaultUserAgent {
		t.Errorf("USE_DIRECTLY: URL %q UA %q", d.URL, d.UserAgent)
	}
}

func TestSkippedRules(t *testing.T) {
	rs := rules(t, `[
	 {"codeMatchPattern":{"matchMethod":"GLOB","prefix":"x"},"postCodeMatchAction":{"postCodeMatchActionType":"DECODE"}},
	 {"codeMatchPattern":{"matchMethod":"REGEX","regex":"(?!abc).*"},"postCodeMatchAction":{"postCodeMatchActionType":"DECODE"}},
	 {"codeMatchPattern":{"matchMethod":"PREFIX","prefix":"x"},"postCodeMatchAction":{"postCodeMatchActionType":"SHOUT"}},
	 {"codeMatchPattern":{"matchMethod":"PREFIX","prefix":"x"},"postCodeMatchAction":{"postCodeMatchActionType":"OPEN_URL","urlConstructionMethod":"CONSTRUCT_DYNAMIC_URL"}},
	 {"codeMatchPattern":{"matchMethod":"EMVCO","emvMatchRules":[{"extendedMerchantTag":"00","extendedMerchantValue":"R<(?=x)x>"}]},"postCodeMatchAction":{"postCodeMatchActionType":"DECODE"}},
	 {"codeMatchPattern":{"matchMethod":"PREFIX","prefix":"x"},"postCodeMatchAction":{"postCodeMatchActionType":"DECODE"},"extendInfo":"{not json"},
	 {"postCodeMatchAction":{"postCodeMatchActionType":"DECODE"}},
	 {"codeMatchPattern":{"matchMethod":"PREFIX","prefix":"ok"},"postCodeMatchAction":{"postCodeMatchActionType":"DECODE"}}
	]`)
	m, warns := coderules.New(rs)
	if m.Len() != 1 {
		t.Errorf("Len = %d, want 1", m.Len())
	}
	want := []string{"unknown matchMethod", "lookaround", "unknown postCodeMatchActionType", "dynamicUrlExpression", "lookaround", "extendInfo", "no codeMatchPattern"}
	if len(warns) != len(want) {
		t.Fatalf("warnings = %q", warns)
	}
	for i, w := range warns {
		if !strings.HasPrefix(w, fmt.Sprintf("rule %d skipped: ", i)) || !strings.Contains(w, want[i]) {
			t.Errorf("warning %d = %q, want rule %d skipped: ...%s", i, w, i, want[i])
		}
	}
	if d := m.Identify("x1"); d.Supported {
		t.Errorf("skipped rule matched: %+v", d)
	}
	if d := m.Identify("OK1"); !d.Supported {
		t.Errorf("remaining rule did not match: %+v", d)
	}
}

func TestEMVRules(t *testing.T) {
	rs := rules(t, `[
	 {"codeMatchPattern":{"matchMethod":"EMVCO","priority":1,"emvMatchRules":[
	   {"extendedMerchantTag":"00","extendedMerchantValue":"A900000000000000","primitiveMerchant":false},
	   {"extendedMerchantTag":"03","extendedMerchantValue":"S<http>","primitiveMerchant":false}]},
	  "postCodeMatchAction":{"postCodeMatchActionType":"OPEN_URL","urlConstructionMethod":"EXTRACT_URL_FROM_EMVCODE","emvUrlTag":"merchantTag.03"}},
	 {"codeMatchPattern":{"matchMethod":"EMVCO","priority":2,"emvMatchRules":[{"primitiveMerchant":true,"primitiveMerchantTag":"15"}]},
	  "extendInfo":"{\"matchPattern\":\"{\\\"countryCode\\\":\\\"NP\\\",\\\"primitiveMai\\\":true,\\\"primitiveMaiTag\\\":\\\"15\\\",\\\"transactionAmount\\\":\\\"0\\\"}\"}",
	  "postCodeMatchAction":{"postCodeMatchActionType":"DECODE"}},
	 {"codeMatchPattern":{"matchMethod":"EMVCO","priority":3,"emvMatchRules":[{"extendedMerchantTag":"00","extendedMerchantValue":"R<.*>"}]},
	  "extendInfo":"{\"matchPattern\":\"{\\\"merchantCategoryCode\\\":\\\"R<^(?!0000$).*$>\\\",\\\"merchantMaiRestrictions\\\":{\\\"01\\\":\\\"N<NULL>\\\"},\\\"transactionCurrency\\\":\\\"116\\\"}\"}",
	  "postCodeMatchAction":{"postCodeMatchActionType":"OPEN_URL","urlConstructionMethod":"CONSTRUCT_DYNAMIC_URL","dynamicUrlExpression":"https://x.example/?c=${codeValue}&i=${issuer}"}}
	]`)
	m, warns := coderules.New(rs)
	if m.Len() != 3 || len(warns) != 0 {
		t.Fatalf("Len %d warnings %q", m.Len(), warns)
	}
	extract := emv(tlv("01", "11"), tlv("29", tlv("00", "A900000000000000")+tlv("02", "CsB")+tlv("03", "https://pay.example/q?x=1")), tlv("58", "SG"))
	if d := m.Identify(extract); !d.Supported || d.Index != 0 || d.URL != "https://pay.example/q?x=1" {
		t.Errorf("EXTRACT_URL_FROM_EMVCODE: %+v", d)
	}
	np := emv(tlv("15", "1234567890"), tlv("54", "0.00"), tlv("58", "NP"))
	if d := m.Identify(np); !d.Supported || d.Index != 1 {
		t.Errorf("primitive MAI, amount 0.00 vs 0: %+v", d)
	}
	if d := m.Identify(emv(tlv("15", "1234567890"), tlv("54", "5"), tlv("58", "NP"))); d.Supported {
		t.Errorf("amount 5 matched amount 0 rule: %+v", d)
	}
	kh := emv(tlv("30", tlv("00", "abc@upay")), tlv("52", "5812"), tlv("53", "116"))
	d := m.Identify(kh)
	if !d.Supported || d.Index != 2 || d.URL != "https://x.example/?c="+url.QueryEscape(kh)+"&i=abc%40upay" {
		t.Errorf("dynamic URL with issuer: %+v", d)
	}
	for name, code := range map[string]string{
		"MCC 0000":   emv(tlv("30", tlv("00", "abc@upay")), tlv("52", "0000"), tlv("53", "116")),
		"sub-tag 01": emv(tlv("30", tlv("00", "abc@upay")+tlv("01", "x")), tlv("52", "5812"), tlv("53", "116")),
		"currency":   emv(tlv("30", tlv("00", "abc@upay")), tlv("52", "5812"), tlv("53", "702")),
		"no MCC":     emv(tlv("30", tlv("00", "abc@upay")), tlv("53", "116")),
	} {
		if d := m.Identify(code); d.Supported {
			t.Errorf("%s: matched %+v", name, d)
		}
	}
}

func TestValuePattern(t *testing.T) {
	tests := []struct {
		pat     string
		value   string
		present bool
		want    bool
	}{
		{"R<abc|def>", "def", true, true},
		{"R<abc|def>", "abcd", true, false}, // whole-string
		{"R<^.*@upay$|^tods@bong$>", "m1@upay", true, true},
		{"R<.*>", "", true, true},
		{"R<.*>", "", false, false},
		{"R<^(?!0000$).*$>", "5812", true, true},
		{"R<^(?!0000$).*$>", "0000", true, false},
		{"R<^(?!0000$).*$>", "00000", true, true},
		{"R<^NCHL(?!00000000).{8}.*>", "NCHL12345678", true, true},
		{"R<^NCHL(?!00000000).{8}.*>", "NCHL00000000", true, false},
		{"R<^NCHL(?!00000000).{8}.*>", "NCHL1234567", true, false},
		{"S<http>", "https://x", true, true},
		{"S<http>", "HTTP://x", true, false},
		{"S<http>", "", false, false},
		{"C<alipay>", "qr.alipay.com", true, true},
		{"C<alipay>", "qr.paypay.ne.jp", true, false},
		{"N<NULL>", "", false, true},
		{"N<NULL>", "1.00", true, false},
		{"N<NOT_NULL>", "1.00", true, true},
		{"N<NOT_NULL>", "", false, false},
		{"com.grab", "com.grab", true, true},
		{"com.grab", "com.grab2", true, false},
		{"com.grab", "", false, false},
		{"X<y>", "X<y>", true, true}, // unknown letter: literal
	}
	for _, tc := range tests {
		p, err := coderules.CompileValuePattern(tc.pat)
		if err != nil {
			t.Errorf("%s: %v", tc.pat, err)
			continue
		}
		if got := p.Match(tc.value, tc.present); got != tc.want {
			t.Errorf("%s.Match(%q, %v) = %v, want %v", tc.pat, tc.value, tc.present, got, tc.want)
		}
	}
	for _, bad := range []string{"R<(?<=a)b>", "R<a(?!b)>", "N<MAYBE>", "R<(>"} {
		if _, err := coderules.CompileValuePattern(bad); err == nil {
			t.Errorf("%s: compiled, want error", bad)
		}
	}
	if _, err := coderules.CompileValuePattern("R<a(?!b)>"); !errors.Is(err, coderules.ErrUnsupportedRegex) {
		t.Errorf("lookahead error %v is not ErrUnsupportedRegex", err)
	}
}

func TestParseEMV(t *testing.T) {
	if got := coderules.CRC16([]byte("123456789")); got != 0x29B1 {
		t.Fatalf("CRC16 check value = %04X, want 29B1", got)
	}
	good := grabDynamic()
	e, err := coderules.ParseEMV(good)
	if err != nil {
		t.Fatal(err)
	}
	if e.Tags["54"] != "10.00" || e.Tags["58"] != "SG" || e.Templates["26"]["00"] != "com.grab" || e.Templates["26"]["01"] != "MERCHANT123" {
		t.Errorf("parsed %+v", e)
	}
	if _, err := coderules.ParseEMV(strings.ToLower(good[:len(good)-4]) + strings.ToLower(good[len(good)-4:])); err == nil {
		// lower-casing the body changes the CRC input; must fail
		t.Error("lower-cased body passed the CRC")
	}
	if _, err := coderules.ParseEMV(good[:len(good)-4] + strings.ToLower(good[len(good)-4:])); err != nil {
		t.Errorf("lower-case CRC digits: %v", err)
	}
	// Non-ASCII merchant name: lengths count characters, CRC covers UTF-8.
	if _, err := coderules.ParseEMV(emv(tlv("59", "咖啡店"), tlv("58", "CN"))); err != nil {
		t.Errorf("UTF-8 name: %v", err)
	}
	tests := []struct {
		name    string
		payload string
		want    error
	}{
		{"not EMV", "hello", coderules.ErrNotEMV},
		{"wrong format indicator", "000202" + "6304ABCD", coderules.ErrNotEMV},
		{"bad CRC", good[:len(good)-4] + "0000", coderules.ErrBadCRC},
		{"no CRC", tlv("00", "01") + tlv("58", "SG"), coderules.ErrBadCRC},
		{"truncated value", good[:len(good)-10], coderules.ErrMalformed},
		{"truncated header", tlv("00", "01") + "58", coderules.ErrMalformed},
		{"bad length", tlv("00", "01") + "58XXSG", coderules.ErrMalformed},
		{"duplicate tag", emv(tlv("58", "SG"), tlv("58", "MY")), coderules.ErrMalformed},
		{"CRC not last", tlv("00", "01") + "6304ABCD" + tlv("58", "SG"), coderules.ErrMalformed},
	}
	for _, tc := range tests {
		if _, err := coderules.ParseEMV(tc.payload); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestConcurrentIdentify(t *testing.T) {
	m, _, _ := sandbox(t)
	codes := []string{"https://qr.alipay.com/bax1", grabStatic(), grabDynamic(), "hello", "2-ZPKRW-a-b--c"}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				_ = m.Identify(codes[(i+j)%len(codes)])
			}
		}()
	}
	wg.Wait()
}

// TestSandboxWinners pins which sandbox rule wins, by index in the file.
func TestSandboxWinners(t *testing.T) {
	m, _, _ := sandbox(t)
	nets := emv(tlv("01", "12"), tlv("26", tlv("00", "A0000006150001")+tlv("01", "890061")),
		tlv("52", "5812"), tlv("53", "458"), tlv("54", "12.50"), tlv("58", "MY"))
	for code, want := range map[string]int{
		"https://aps.testacquirer.com/abc":              57,
		"https://qr.alipay.com/bax123":                  58,
		"28166604123":                                   59,
		"https://render.alipay.com/p/w/ac-fe-adaptor/x": 7,
		"2-ZPKRW-a-b--c":                                51,
		grabStatic():                                    5,
		grabDynamic():                                   55,
		nets:                                            52, // MCC R<^(?!0000$).*$> emulated
	} {
		if d := m.Identify(code); d.Index != want {
			t.Errorf("%.40q: winner rule %d, want %d (%+v)", code, d.Index, want, d)
		}
	}
}
