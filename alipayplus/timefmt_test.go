package alipayplus_test

import (
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
)

func TestParseRequestTime(t *testing.T) {
	want := time.Date(2019, 11, 27, 4, 1, 1, 0, time.UTC)
	cases := []struct {
		in    string
		epoch bool
		want  time.Time
		valid bool
	}{
		{"2019-11-27T12:01:01+08:00", false, want, true},
		{"2019-11-27T12:01:01+08:00", true, want, true},
		{"1574827261000", true, want, true},       // milliseconds, as the SDKs document
		{"1574827261", true, want, true},          // seconds
		{"1574827261000000", true, want, true},    // microseconds
		{"1574827261000000000", true, want, true}, // nanoseconds (Go SDK releases)
		{"1574827261123", true, want.Add(123 * time.Millisecond), true},
		{"1574827261000", false, time.Time{}, false},       // Alipay+ APIs: ISO 8601 only
		{"157482726100", true, time.Time{}, false},         // 12 digits: no unit
		{"15748272610000000000", true, time.Time{}, false}, // 20 digits
		{"-1574827261000", true, time.Time{}, false},
		{"1574827261000 ", true, time.Time{}, false},
		{"", true, time.Time{}, false},
	}
	for _, c := range cases {
		got, err := alipayplus.ParseRequestTime(c.in, c.epoch)
		if c.valid != (err == nil) || (c.valid && !got.Equal(c.want)) {
			t.Errorf("ParseRequestTime(%q, %v) = %v, %v; want %v valid=%v", c.in, c.epoch, got, err, c.want, c.valid)
		}
	}
}
