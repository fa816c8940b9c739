package coderules

import (
	"errors"
	"fmt"
	"strings"
)

// EMV is a parsed EMVCo merchant-presented QR payload.
type EMV struct {
	// Tags holds every top-level tag ("00".."99") with its raw value,
	// templates included (as their undecoded TLV text).
	Tags map[string]string
	// Templates holds the decoded sub-tags of template tags: the merchant
	// account information templates 26–51, the additional data field 62,
	// the language template 64 and the unreserved templates 80–99. A
	// template whose value is not valid TLV is left out (its raw value is
	// still in Tags).
	Templates map[string]map[string]string
}

// Errors returned (wrapped) by ParseEMV.
var (
	// ErrNotEMV means the payload does not start with the payload format
	// indicator 00 = "01".
	ErrNotEMV = errors.New("not an EMVCo payload")
	// ErrMalformed means the TLV structure is broken (truncated, bad
	// tag or length, duplicate tag, CRC not last).
	ErrMalformed = errors.New("malformed EMVCo payload")
	// ErrBadCRC means tag 63 is missing or does not match the payload.
	ErrBadCRC = errors.New("EMVCo CRC check failed")
)

// CRC16 computes CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no
// reflection, no final XOR), the checksum of EMVCo QR payloads (tag 63).
func CRC16(data []byte) uint16 {
	crc := uint16(0xFFFF)
	for _, b := range data {
		crc ^= uint16(b) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// WithCRC appends the CRC tag to payload, which must hold every tag but
// 63: it returns payload + "6304" + the four upper-case hex CRC digits.
func WithCRC(payload string) string {
	p := payload + "6304"
	return p + fmt.Sprintf("%04X", CRC16([]byte(p)))
}

type tlv struct{ tag, value string }

// parseTLV splits s into EMVCo TLV items: a two-digit tag, a two-digit
// length counted in characters, then the value.
func parseTLV(s string) ([]tlv, error) {
	rs := []rune(s)
	var out []tlv
	for i := 0; i < len(rs); {
		if len(rs)-i < 4 {
			return nil, fmt.Errorf("%w: truncated tag header at character %d", ErrMalformed, i)
		}
		tag, lenText := string(rs[i:i+2]), string(rs[i+2:i+4])
		if !isDigits(tag) {
			return nil, fmt.Errorf("%w: tag %q at character %d is not two digits", ErrMalformed, tag, i)
		}
		if !isDigits(lenText) {
			return nil, fmt.Errorf("%w: tag %s has length %q, not two digits", ErrMalformed, tag, lenText)
		}
		n := int(lenText[0]-'0')*10 + int(lenText[1]-'0')
		i += 4
		if len(rs)-i < n {
			return nil, fmt.Errorf("%w: tag %s says %d characters, only %d left", ErrMalformed, tag, n, len(rs)-i)
		}
		out = append(out, tlv{tag, string(rs[i : i+n])})
		i += n
	}
	return out, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isTemplate reports whether a top-level tag holds nested TLV data.
func isTemplate(tag string) bool {
	n := int(tag[0]-'0')*10 + int(tag[1]-'0')
	return (n >= 26 && n <= 51) || n == 62 || n == 64 || n >= 80
}

// ParseEMV parses an EMVCo merchant-presented QR payload. It checks that
// the first tag is the payload format indicator 00 = "01", that every TLV
// length fits, that no top-level tag repeats, and that the payload ends
// with tag 63 whose value is the CRC-16/CCITT-FALSE (upper- or lower-case
// hex) of everything before it up to and including "6304".
func ParseEMV(payload string) (EMV, error) {
	if !strings.HasPrefix(payload, "000201") {
		return EMV{}, ErrNotEMV
	}
	items, err := parseTLV(payload)
	if err != nil {
		return EMV{}, err
	}
	e := EMV{Tags: map[string]string{}, Templates: map[string]map[string]string{}}
	for i, it := range items {
		if _, dup := e.Tags[it.tag]; dup {
			return EMV{}, fmt.Errorf("%w: tag %s appears twice", ErrMalformed, it.tag)
		}
		if it.tag == "63" && i != len(items)-1 {
			return EMV{}, fmt.Errorf("%w: CRC tag 63 is not the last tag", ErrMalformed)
		}
		e.Tags[it.tag] = it.value
		if isTemplate(it.tag) {
			if subs, err := parseTLV(it.value); err == nil {
				m := make(map[string]string, len(subs))
				for _, s := range subs {
					if _, dup := m[s.tag]; !dup { // first occurrence wins
						m[s.tag] = s.value
					}
				}
				e.Templates[it.tag] = m
			}
		}
	}
	crc, ok := e.Tags["63"]
	if !ok {
		return EMV{}, fmt.Errorf("%w: no CRC tag 63", ErrBadCRC)
	}
	if len(crc) != 4 {
		return EMV{}, fmt.Errorf("%w: CRC tag 63 has length %d, want 4", ErrBadCRC, len(crc))
	}
	want := fmt.Sprintf("%04X", CRC16([]byte(payload[:len(payload)-4])))
	if !strings.EqualFold(crc, want) {
		return EMV{}, fmt.Errorf("%w: payload says %s, computed %s", ErrBadCRC, crc, want)
	}
	return e, nil
}
