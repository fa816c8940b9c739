package wallet_test

import (
	"slices"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/wallet"
)

// rotation returns n codes C0..Cn-1, each valid for 60 s, one starting
// every 30 s from t0, with the codes named in used marked used.
func rotation(n int, used ...string) []wallet.PaymentCode {
	codes := make([]wallet.PaymentCode, n)
	for i := range codes {
		from := t0.Add(time.Duration(i) * 30 * time.Second)
		codes[i] = wallet.PaymentCode{Value: "C" + string(rune('0'+i)), ValidFrom: from, ExpiresAt: from.Add(60 * time.Second)}
		codes[i].Used = slices.Contains(used, codes[i].Value)
	}
	return codes
}

func TestCodeToShow(t *testing.T) {
	s := func(secs float64) time.Time { return t0.Add(time.Duration(secs * float64(time.Second))) }
	tests := []struct {
		name string
		used []string
		at   time.Time
		want string // "" = none to show
	}{
		{"before the first code", nil, s(-1), ""},
		{"first code starts", nil, s(0), "C0"},
		{"first code alone", nil, s(29.999), "C0"},
		{"second code starts: newest wins", nil, s(30), "C1"},
		{"inside the overlap", nil, s(45), "C1"},
		{"first code expires", nil, s(60), "C2"},
		{"last code starts", nil, s(120), "C4"},
		{"last code alone", nil, s(150), "C4"},
		{"last nanosecond of the last code", nil, s(180).Add(-time.Nanosecond), "C4"},
		{"all expired", nil, s(180), ""},
		{"newest used: the older still valid one", []string{"C1"}, s(45), "C0"},
		{"newest used: the older one to its last instant", []string{"C1"}, s(60).Add(-time.Nanosecond), "C0"},
		{"used one skipped for the next", []string{"C1"}, s(60), "C2"},
		{"both valid codes used", []string{"C0", "C1"}, s(45), ""},
		{"only code used", []string{"C0"}, s(10), ""},
		{"all used", []string{"C0", "C1", "C2", "C3", "C4"}, s(100), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			codes := rotation(5, tc.used...)
			for _, order := range [][]wallet.PaymentCode{codes, reversed(codes)} {
				got, ok := wallet.CodeToShow(order, tc.at)
				if tc.want == "" {
					if ok {
						t.Errorf("CodeToShow at %v: got %s, want none", tc.at.Sub(t0), got.Value)
					}
					continue
				}
				if !ok || got.Value != tc.want {
					t.Errorf("CodeToShow at %v: got %q, %v, want %q", tc.at.Sub(t0), got.Value, ok, tc.want)
					continue
				}
				if got.Used || !got.ValidAt(tc.at) {
					t.Errorf("CodeToShow at %v: got %+v, which is used or not valid then", tc.at.Sub(t0), got)
				}
			}
		})
	}
	if _, ok := wallet.CodeToShow(nil, t0); ok {
		t.Errorf("CodeToShow(nil): got a code, want none")
	}
}

func reversed(codes []wallet.PaymentCode) []wallet.PaymentCode {
	out := slices.Clone(codes)
	slices.Reverse(out)
	return out
}

func TestCodeToShowNeverShowsAnExpiredOrUsedCode(t *testing.T) {
	codes := rotation(10, "C3", "C4", "C7")
	for at := t0.Add(-time.Minute); at.Before(t0.Add(7 * time.Minute)); at = at.Add(time.Second) {
		got, ok := wallet.CodeToShow(codes, at)
		valid := 0
		for _, c := range codes {
			if c.ValidAt(at) {
				valid++
				if ok && c.ValidFrom.After(got.ValidFrom) {
					t.Errorf("at %v: got %s, want the newer %s", at.Sub(t0), got.Value, c.Value)
				}
			}
		}
		if ok != (valid > 0) {
			t.Errorf("at %v: got found=%v with %d valid codes", at.Sub(t0), ok, valid)
		}
		if ok && (got.Used || !at.Before(got.ExpiresAt) || at.Before(got.ValidFrom)) {
			t.Errorf("at %v: got %+v, which is used, expired or not yet valid", at.Sub(t0), got)
		}
	}
}

func TestPaymentCodeValidAt(t *testing.T) {
	c := wallet.PaymentCode{Value: "C", ValidFrom: t0, ExpiresAt: t0.Add(time.Minute)}
	tests := []struct {
		name string
		at   time.Time
		used bool
		want bool
	}{
		{"before", t0.Add(-time.Nanosecond), false, false},
		{"from", t0, false, true},
		{"middle", t0.Add(30 * time.Second), false, true},
		{"last instant", t0.Add(time.Minute - time.Nanosecond), false, true},
		{"expiry", t0.Add(time.Minute), false, false},
		{"used", t0.Add(30 * time.Second), true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := c
			c.Used = tc.used
			if got := c.ValidAt(tc.at); got != tc.want {
				t.Errorf("ValidAt(%v): got %v, want %v", tc.at.Sub(t0), got, tc.want)
			}
		})
	}
}

func TestUsableAfter(t *testing.T) {
	tests := []struct {
		name string
		used []string
		at   time.Time
		want int
	}{
		{"before any starts: all count", nil, t0.Add(-time.Hour), 5},
		{"at the start", nil, t0, 5},
		{"first expired", nil, t0.Add(60 * time.Second), 4},
		{"used ones do not count", []string{"C2", "C4"}, t0.Add(60 * time.Second), 2},
		{"only the last left", nil, t0.Add(179 * time.Second), 1},
		{"all expired", nil, t0.Add(180 * time.Second), 0},
		{"all used", []string{"C0", "C1", "C2", "C3", "C4"}, t0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := wallet.UsableAfter(rotation(5, tc.used...), tc.at); got != tc.want {
				t.Errorf("UsableAfter at %v: got %d, want %d", tc.at.Sub(t0), got, tc.want)
			}
		})
	}
	if got := wallet.UsableAfter(nil, t0); got != 0 {
		t.Errorf("UsableAfter(nil): got %d, want 0", got)
	}
}
