package simulator

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
)

func TestMagicForEveryRow(t *testing.T) {
	type want struct {
		mode    string
		suffix  int
		status  string // Decline status, "" = no decline
		code    string
		effects map[string]Effect
	}
	u := alipayplus.Unknown(alipayplus.CodeUnknownException, magicUnknownMessage)
	rows := []want{
		{"UPM", 51, "F", "RISK_REJECT", nil},
		{"UPM", 52, "F", "PAYMENT_AMOUNT_EXCEED_LIMIT", nil},
		{"UPM", 61, "", "", map[string]Effect{APIPay: {Duplicate: true}}},
		{"UPM", 62, "", "", map[string]Effect{APIPay: {Drop: true}}},
		{"UPM", 63, "", "", map[string]Effect{APIPay: {CorruptSignature: true}}},
		{"UPM", 64, "", "", map[string]Effect{APIPay: {Drop: true}, APIInquiryPayment: {Drop: true}}},
		{"UPM", 65, "", "", map[string]Effect{APIPay: {Delay: 3 * time.Second}}},
		{"MPM", 81, "F", "EXPIRED_CODE", nil},
		{"MPM", 82, "F", "ORDER_IS_CLOSED", nil},
		{"MPM", 83, "F", "PAYMENT_AMOUNT_INVALID", nil},
		{"MPM", 84, "F", "MERCHANT_NOT_REGISTERED", nil},
		{"MPM", 85, "F", "CURRENCY_NOT_SUPPORT", nil},
		{"MPM", 86, "U", "UNKNOWN_EXCEPTION", nil},
		{"MPM", 87, "", "", map[string]Effect{APINotifyPayment: {Result: &u}}},
		{"MPM", 88, "", "", map[string]Effect{APINotifyPayment: {Drop: true}}},
	}
	if n := len(MagicTable()); n != len(rows) {
		t.Fatalf("MagicTable has %d rows, want %d", n, len(rows))
	}
	for _, w := range rows {
		// 12.xx USD (1200+s), 1000+s JPY, a small amount (s), a large one.
		for _, minor := range []int64{1200 + int64(w.suffix), 1000 + int64(w.suffix), int64(w.suffix), 987_654_300 + int64(w.suffix)} {
			t.Run(fmt.Sprintf("%s/%d", w.mode, minor), func(t *testing.T) {
				m, ok := MagicFor(w.mode, minor)
				if !ok {
					t.Fatal("no magic")
				}
				if m.Suffix != w.suffix || m.Mode != w.mode || m.Outcome == "" {
					t.Fatalf("row = %+v", m)
				}
				switch {
				case w.status == "" && m.Decline != nil:
					t.Fatalf("Decline = %+v, want none", m.Decline)
				case w.status != "" && (m.Decline == nil || m.Decline.ResultStatus != w.status || m.Decline.ResultCode != w.code || m.Decline.ResultMessage == ""):
					t.Fatalf("Decline = %+v, want %s %s with a message", m.Decline, w.status, w.code)
				}
				if len(m.Effects) != len(w.effects) {
					t.Fatalf("Effects = %+v, want %+v", m.Effects, w.effects)
				}
				for api, we := range w.effects {
					ge, ok := m.Effects[api]
					if !ok {
						t.Fatalf("Effects lacks %s", api)
					}
					if ge.Delay != we.Delay || ge.Drop != we.Drop || ge.Duplicate != we.Duplicate ||
						ge.CorruptSignature != we.CorruptSignature || (ge.Result == nil) != (we.Result == nil) ||
						(ge.Result != nil && *ge.Result != *we.Result) {
						t.Fatalf("Effects[%s] = %+v, want %+v", api, ge, we)
					}
				}
			})
		}
	}
	if m, _ := MagicFor("UPM", 1251); m.Decline.ResultMessage != "The payment is declined due to risk control." {
		t.Errorf("RISK_REJECT message = %q", m.Decline.ResultMessage)
	}
}

func TestMagicForNoMagic(t *testing.T) {
	tests := []struct {
		mode  string
		minor int64
	}{
		{"UPM", 1200}, {"UPM", 1250}, {"UPM", 1253}, {"UPM", 1260}, {"UPM", 1266}, {"UPM", 1299},
		{"UPM", 1281}, {"UPM", 1288}, // MPM suffixes in UPM
		{"MPM", 1251}, {"MPM", 1261}, {"MPM", 1265}, // UPM suffixes in MPM
		{"MPM", 1280}, {"MPM", 1289}, {"MPM", 1000}, {"MPM", 1},
		{"UPM", 0}, {"MPM", 0}, {"UPM", -1251}, {"MPM", -81}, {"UPM", -49},
		{"", 1251}, {"XPM", 1281},
	}
	for _, tt := range tests {
		if m, ok := MagicFor(tt.mode, tt.minor); ok {
			t.Errorf("MagicFor(%q, %d) = %+v, want no magic", tt.mode, tt.minor, m)
		}
	}
	if _, ok := MagicFor("upm", 1261); !ok {
		t.Error("mode is not case-insensitive")
	}
}

func TestMagicTableShape(t *testing.T) {
	table := MagicTable()
	if !slices.IsSortedFunc(table, func(a, b Magic) int {
		if c := strings.Compare(a.Mode, b.Mode); c != 0 {
			return c
		}
		return a.Suffix - b.Suffix
	}) {
		t.Error("MagicTable is not sorted by Mode then Suffix")
	}
	seen := map[string]bool{}
	for _, m := range table {
		key := fmt.Sprintf("%s/%d", m.Mode, m.Suffix)
		if seen[key] {
			t.Errorf("row %s twice", key)
		}
		seen[key] = true
		if m.Suffix < 0 || m.Suffix > 99 {
			t.Errorf("%s: suffix out of range", key)
		}
		if m.Mode != "UPM" && m.Mode != "MPM" {
			t.Errorf("%s: mode %q", key, m.Mode)
		}
		if !strings.HasSuffix(m.Outcome, ".") || strings.Count(m.Outcome, ". ") > 0 {
			t.Errorf("%s: outcome %q is not one sentence", key, m.Outcome)
		}
		if (m.Decline == nil) == (len(m.Effects) == 0) {
			t.Errorf("%s: want exactly one of Decline and Effects", key)
		}
		for api, e := range m.Effects {
			if !slices.Contains(APIs(), api) {
				t.Errorf("%s: Effects key %q is not an API", key, api)
			}
			if e.Duplicate && !faultOutgoing[api] {
				t.Errorf("%s: duplicate on incoming API %s", key, api)
			}
			if e.RuleID != 0 {
				t.Errorf("%s: RuleID %d, want 0", key, e.RuleID)
			}
		}
		if d := m.Decline; d != nil {
			if err := (Rule{API: "*", Status: d.ResultStatus, Code: d.ResultCode, Message: d.ResultMessage}).Validate(); err != nil {
				t.Errorf("%s: decline is not a valid forced result: %v", key, err)
			}
		}
	}
	// Callers get a copy they may change.
	table[0].Suffix = 7
	table[0].Decline.ResultCode = "CHANGED"
	if MagicTable()[0].Suffix == 7 || MagicTable()[0].Decline.ResultCode == "CHANGED" {
		t.Error("MagicTable shares state between calls")
	}
	// Effects stay out of JSON; the rest is there.
	b, err := json.Marshal(MagicTable()[0])
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "Effects") || !strings.Contains(string(b), `"decline"`) {
		t.Errorf("JSON = %s", b)
	}
}

func TestMagicMarkdown(t *testing.T) {
	md := MagicMarkdown()
	if md != MagicMarkdown() {
		t.Fatal("MagicMarkdown is not deterministic")
	}
	lines := strings.Split(strings.TrimSuffix(md, "\n"), "\n")
	if lines[0] != "| amount ends in | mode | what happens |" {
		t.Errorf("header = %q", lines[0])
	}
	if len(lines) != 2+len(MagicTable()) {
		t.Fatalf("%d lines, want header, separator and %d rows:\n%s", len(lines), len(MagicTable()), md)
	}
	for i, m := range MagicTable() {
		want := fmt.Sprintf("| %02d | %s | %s |", m.Suffix, m.Mode, m.Outcome)
		if lines[2+i] != want {
			t.Errorf("line %d = %q, want %q", 2+i, lines[2+i], want)
		}
	}
}

// TestMagic86SaysItNeverSucceeds: the acquirer answers U every time, so the
// row must not promise that a retry helps.
func TestMagic86SaysItNeverSucceeds(t *testing.T) {
	m, ok := MagicFor("MPM", 186)
	if !ok || m.Decline == nil || m.Decline.ResultStatus != alipayplus.StatusUnknown {
		t.Fatalf("row 86 = %+v, want a U answer", m)
	}
	if !strings.Contains(m.Outcome, "every userInitiatedPay") || !strings.Contains(m.Outcome, "can never be paid") {
		t.Errorf("row 86 outcome %q does not say the order can never be paid", m.Outcome)
	}
}
