package coderules_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mppwallet/mppwallet/alipayplus/coderules"
)

// Fuzz targets for the EMVCo parser. Run one with:
//
//	go test ./alipayplus/coderules -run '^$' -fuzz '^FuzzParseEMV$' -fuzztime 10m -parallel 1

// emvSeeds are EMVCo merchant-presented payloads with valid CRCs, one for
// each kind of EMVCO rule in the sandbox set (Nepal NCHL and primitive tag
// 15, Cambodia Bakong, Vietnam, Singapore Grab/NETS/SGQR, Sri Lanka, the
// A0000006150001 and A900000000000000 schemes, Alipay's own), static (11)
// and dynamic (12), plus the broken shapes the unit tests pin.
func emvSeeds() (valid, broken []string) {
	g := grabStatic()
	valid = []string{
		grabStatic(),
		grabDynamic(),
		// Nepal, NCHL in tag 26.00, static and dynamic (amount 0 and not).
		emv(tlv("01", "11"), tlv("26", tlv("00", "NCHL12345678")+tlv("01", "SHOP1")),
			tlv("52", "5411"), tlv("53", "524"), tlv("58", "NP"), tlv("59", "Himalaya Tea"), tlv("60", "Kathmandu")),
		emv(tlv("01", "12"), tlv("26", tlv("00", "NCHL12345678")+tlv("01", "SHOP1")),
			tlv("52", "5411"), tlv("53", "524"), tlv("54", "250.00"), tlv("58", "NP"), tlv("59", "Himalaya Tea"), tlv("60", "Kathmandu")),
		emv(tlv("01", "12"), tlv("26", tlv("00", "NCHL00000000")),
			tlv("52", "5411"), tlv("53", "524"), tlv("54", "0"), tlv("58", "NP"), tlv("59", "Zero Shop")),
		// Nepal, primitive merchant account information tag 15.
		emv(tlv("01", "11"), tlv("15", "9704360012345678"), tlv("52", "5812"), tlv("53", "524"),
			tlv("58", "NP"), tlv("59", "Momo"), tlv("60", "Pokhara")),
		// Cambodia, Bakong account in tag 29, KHR.
		emv(tlv("01", "12"), tlv("29", tlv("00", "shop@abaa")+tlv("01", "012345678")),
			tlv("52", "5999"), tlv("53", "116"), tlv("54", "10000"), tlv("58", "KH"), tlv("59", "Phnom Penh Cafe"),
			tlv("60", "Phnom Penh"), tlv("99", tlv("00", "1700000000000"))),
		emv(tlv("01", "11"), tlv("30", tlv("00", "tods@bong")), tlv("52", "5999"), tlv("53", "840"),
			tlv("58", "KH"), tlv("59", "Tods")),
		// Vietnam (VietQR: 970436 in tag 38), SmartPay.
		emv(tlv("01", "11"), tlv("38", tlv("00", "970436")+tlv("01", tlv("00", "970436")+tlv("01", "0011223344"))),
			tlv("52", "5411"), tlv("53", "704"), tlv("58", "VN"), tlv("59", "Pho 24"), tlv("62", tlv("08", "thanh toan"))),
		emv(tlv("01", "12"), tlv("27", tlv("00", "com.smartpayvn")+tlv("01", "M1")), tlv("52", "5411"),
			tlv("53", "704"), tlv("54", "50000"), tlv("58", "VN"), tlv("59", "Banh Mi")),
		// Singapore: NETS, SGQR.
		emv(tlv("01", "11"), tlv("33", tlv("00", "SG.COM.NETS")+tlv("01", "123456789")+tlv("99", "ABCD")),
			tlv("51", tlv("00", "SG.SGQR")+tlv("01", "1234567890ABCD")), tlv("52", "5812"), tlv("53", "702"),
			tlv("58", "SG"), tlv("59", "Hawker 12"), tlv("60", "Singapore")),
		emv(tlv("01", "11"), tlv("26", tlv("00", "SG.ALIPAY.PLUS")+tlv("01", "X1")), tlv("52", "5812"),
			tlv("53", "702"), tlv("58", "SG"), tlv("59", "Kopi")),
		// Sri Lanka, dynamic.
		emv(tlv("01", "12"), tlv("26", tlv("00", "LANKAQR")+tlv("01", "0001")), tlv("52", "5411"),
			tlv("53", "144"), tlv("54", "1500.00"), tlv("58", "LK"), tlv("59", "Colombo Books")),
		// A0000006150001 with a listed issuer, merchant category not 0000.
		emv(tlv("01", "12"), tlv("26", tlv("00", "A0000006150001")+tlv("01", "564169")), tlv("52", "5411"),
			tlv("53", "458"), tlv("54", "12.50"), tlv("58", "MY"), tlv("59", "KL Mart")),
		emv(tlv("01", "11"), tlv("26", tlv("00", "A0000006150001")+tlv("01", "564169")), tlv("52", "0000"),
			tlv("53", "458"), tlv("58", "MY"), tlv("59", "KL Mart")),
		// A900000000000000: URL in 03 (OPEN_URL) or an order code (DECODE).
		emv(tlv("01", "11"), tlv("26", tlv("00", "A900000000000000")+tlv("02", "CsB")+tlv("03", "https://qr.example/p/1")),
			tlv("52", "5812"), tlv("53", "392"), tlv("58", "JP"), tlv("59", "Sushi")),
		emv(tlv("01", "12"), tlv("26", tlv("00", "A900000000000000")+tlv("02", "CsB")+tlv("03", "281666040000001")),
			tlv("52", "5812"), tlv("53", "392"), tlv("54", "1200"), tlv("58", "JP"), tlv("59", "Sushi")),
		// Alipay's own, and the network integration test codes.
		emv(tlv("01", "12"), tlv("26", tlv("00", "com.alipayplus")+tlv("01", "2188")), tlv("52", "5812"),
			tlv("53", "156"), tlv("54", "1.00"), tlv("58", "CN"), tlv("59", "Test")),
		emv(tlv("01", "11"), tlv("26", tlv("00", "com.alipay")), tlv("52", "5812"), tlv("53", "156"),
			tlv("58", "CN"), tlv("59", "network_integration_test_static_code")),
		// Language template 64 with non-ASCII text (lengths in characters).
		emv(tlv("01", "11"), tlv("26", tlv("00", "com.grab")), tlv("52", "5812"), tlv("53", "392"),
			tlv("58", "JP"), tlv("59", "Sushi"), tlv("64", tlv("00", "JA")+tlv("01", "寿司屋")+tlv("02", "東京"))),
		// Lower-case CRC, and a template that is not TLV.
		g[:len(g)-4] + strings.ToLower(g[len(g)-4:]),
		emv(tlv("01", "11"), tlv("26", "not tlv"), tlv("58", "SG")),
		coderules.WithCRC("000201"), // nothing but the indicator and the CRC
	}
	broken = []string{
		"",
		"000201",
		"0002016304",
		g[:len(g)-4] + "0000", // bad CRC
		g[:30],                // truncated
		g[:len(g)-8] + "6305" + g[len(g)-4:] + "0", // CRC of length 5
		emv(tlv("01", "11"), tlv("01", "12")),      // duplicate tag
		"000201" + tlv("63", "ABCD") + tlv("58", "SG"),
		"000201" + "5899SG" + "6304ABCD", // length past the end
		"0002016A04ABCD",                 // tag not digits
		"000201630",                      // truncated header
		"https://qr.alipay.com/bax123",
	}
	return valid, broken
}

// TestEMVFuzzSeeds keeps the fuzz seeds honest: the valid ones parse (so
// fuzzing starts from deep inside the parser), the broken ones do not.
func TestEMVFuzzSeeds(t *testing.T) {
	valid, broken := emvSeeds()
	for _, s := range valid {
		if _, err := coderules.ParseEMV(s); err != nil {
			t.Errorf("valid seed %q: %v", s, err)
		}
	}
	for _, s := range broken {
		if _, err := coderules.ParseEMV(s); err == nil {
			t.Errorf("broken seed %q parses", s)
		}
	}
}

// reserialize renders the top-level tags of a parsed payload back as TLV,
// 00 first and the others in tag order, with a fresh CRC.
func reserialize(e coderules.EMV) string {
	var b strings.Builder
	b.WriteString(tlv("00", e.Tags["00"]))
	for _, tag := range slices.Sorted(maps.Keys(e.Tags)) {
		if tag != "00" && tag != "63" {
			b.WriteString(tlv(tag, e.Tags[tag]))
		}
	}
	return coderules.WithCRC(b.String())
}

// FuzzParseEMV: ParseEMV never panics and fails only with its three
// errors. What it accepts starts with 00=01, ends with a tag 63 holding the
// CRC of everything before its value, is fully covered by its tags (lengths
// in characters add up), and re-serialises (tags reordered, fresh CRC) to a
// payload that parses to the same tags and templates. Changing any one byte
// before the CRC value makes it fail: CRC-16 catches every burst of up to
// 16 bits, so no single-byte corruption can slip through.
func FuzzParseEMV(f *testing.F) {
	valid, broken := emvSeeds()
	for i, s := range append(valid, broken...) {
		f.Add(s, uint16(i*7), byte(i))
	}
	f.Fuzz(func(t *testing.T, payload string, pos uint16, flip byte) {
		e, err := coderules.ParseEMV(payload)
		if err != nil {
			if !errors.Is(err, coderules.ErrNotEMV) && !errors.Is(err, coderules.ErrMalformed) && !errors.Is(err, coderules.ErrBadCRC) {
				t.Fatalf("ParseEMV(%q): error %v matches no sentinel", payload, err)
			}
			if e.Tags != nil || e.Templates != nil {
				t.Fatalf("ParseEMV(%q): error with a non-zero EMV", payload)
			}
			return
		}
		if e.Tags["00"] != "01" {
			t.Fatalf("accepted payload format indicator %q", e.Tags["00"])
		}
		crc, ok := e.Tags["63"]
		want := fmt.Sprintf("%04X", coderules.CRC16([]byte(payload[:len(payload)-4])))
		if !ok || !strings.HasSuffix(payload, crc) || !strings.EqualFold(crc, want) {
			t.Fatalf("accepted CRC %q (ok %v), computed %s", crc, ok, want)
		}
		runes := 0
		for tag, v := range e.Tags {
			n := utf8.RuneCountInString(v)
			if len(tag) != 2 || tag[0] < '0' || tag[0] > '9' || tag[1] < '0' || tag[1] > '9' || n > 99 {
				t.Fatalf("tag %q with %d characters", tag, n)
			}
			runes += 4 + n
		}
		if runes != utf8.RuneCountInString(payload) {
			t.Fatalf("tags cover %d characters of %d", runes, utf8.RuneCountInString(payload))
		}
		for tag := range e.Templates {
			if _, ok := e.Tags[tag]; !ok {
				t.Fatalf("template %s is not a tag", tag)
			}
		}

		again, err := coderules.ParseEMV(reserialize(e))
		if err != nil {
			t.Fatalf("re-serialised %q does not parse: %v", reserialize(e), err)
		}
		delete(again.Tags, "63")
		tags := maps.Clone(e.Tags)
		delete(tags, "63")
		if !maps.Equal(again.Tags, tags) || !maps.EqualFunc(again.Templates, e.Templates, maps.Equal) {
			t.Fatalf("re-serialised payload parses differently:\n%v %v\n%v %v", e.Tags, e.Templates, again.Tags, again.Templates)
		}

		body := len(payload) - 4
		i := int(pos) % body
		if flip == 0 {
			flip = 1
		}
		mut := []byte(payload)
		mut[i] ^= flip
		if _, err := coderules.ParseEMV(string(mut)); err == nil {
			t.Fatalf("byte %d changed (^%#x) and the payload still parses: %q", i, flip, mut)
		}
	})
}
