package pos

import (
	"errors"
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/internal/money"
)

const goodCode = "259999023608988784077749"

func TestScannerClean(t *testing.T) {
	cases := []struct {
		name           string
		scanner        Scanner
		raw            string
		want, wantCode string
	}{
		{"plain", Scanner{}, goodCode, goodCode, ""},
		{"terminators and stray spaces", Scanner{}, " 2599 9902 3608988784077749\r\n\t", goodCode, ""},
		{"16 digits", Scanner{}, "1234567890123456", "1234567890123456", ""},
		{"32 digits", Scanner{}, strings.Repeat("1", 32), strings.Repeat("1", 32), ""},
		{"prefix and suffix", Scanner{Prefix: "]Q1", Suffix: "#"}, "]Q1" + goodCode + "#\r", goodCode, ""},
		{"prefix missing is fine", Scanner{Prefix: "]Q1"}, goodCode, goodCode, ""},
		{"empty", Scanner{}, " \t\r\n", "", CodeEmptyScan},
		{"only the framing", Scanner{Prefix: "<", Suffix: ">"}, "<>", "", CodeEmptyScan},
		{"a merchant's URL", Scanner{}, "https://qr.mppwallet.test/2819990400010448812941470832", "", CodeMerchantQRCode},
		{"EMVCo text", Scanner{}, "00020101021226300012COM.EXAMPLE5204581253033925802SG6304ABCD", "", CodeMerchantQRCode},
		{"letters", Scanner{}, "hello world", "", CodeNotPaymentCode},
		{"too short", Scanner{}, "123456789012345", "", CodeNotPaymentCode},
		{"too long", Scanner{}, strings.Repeat("9", 33), "", CodeNotPaymentCode},
		{"suffix not stripped is bad", Scanner{}, goodCode + "#", "", CodeNotPaymentCode},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.scanner.Clean(c.raw)
			var se *ScanError
			switch {
			case c.wantCode == "" && err != nil:
				t.Fatalf("Clean(%q) = %v, want %q", c.raw, err, c.want)
			case c.wantCode == "" && got != c.want:
				t.Fatalf("Clean(%q) = %q, want %q", c.raw, got, c.want)
			case c.wantCode != "" && (!errors.As(err, &se) || se.Code != c.wantCode):
				t.Fatalf("Clean(%q) = %q, %v; want a %s ScanError", c.raw, got, err, c.wantCode)
			case c.wantCode != "" && strings.Contains(err.Error(), goodCode[4:20]):
				t.Fatalf("the reason %q shows the code's middle digits", err)
			}
		})
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{goodCode: "2599••••7749", "12345678": "12345678", "": ""} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseAmount(t *testing.T) {
	cases := []struct {
		in, currency string
		want         money.Money
		bad          bool
	}{
		{"12.50", "USD", money.Money{Currency: "USD", Minor: 1250}, false},
		{" 12 ", "USD", money.Money{Currency: "USD", Minor: 1200}, false},
		{"1500 JPY", "USD", money.Money{Currency: "JPY", Minor: 1500}, false},
		{"jpy 1500", "USD", money.Money{Currency: "JPY", Minor: 1500}, false},
		{"9.990 KWD", "USD", money.Money{Currency: "KWD", Minor: 9990}, false},
		{"12.345", "USD", money.Money{}, true},
		{"0", "USD", money.Money{}, true},
		{"-1", "USD", money.Money{}, true},
		{"12 XYZ", "USD", money.Money{}, true},
		{"", "USD", money.Money{}, true},
		{"1 2 3", "USD", money.Money{}, true},
	}
	for _, c := range cases {
		got, err := ParseAmount(c.in, c.currency)
		if c.bad != (err != nil) || got != c.want {
			t.Errorf("ParseAmount(%q, %s) = %v, %v; want %v (error %v)", c.in, c.currency, got, err, c.want, c.bad)
		}
	}
}
