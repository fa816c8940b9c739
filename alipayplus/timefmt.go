package alipayplus

import (
	"fmt"
	"time"
)

// TimeLayout is how times go on the wire: ISO 8601 with a numeric offset,
// e.g. "2019-11-27T12:01:01+08:00".
const TimeLayout = "2006-01-02T15:04:05-07:00"

// FormatTime formats t for the wire.
func FormatTime(t time.Time) string { return t.Format(TimeLayout) }

var timeLayouts = []string{
	time.RFC3339Nano,                     // 2019-11-27T12:01:01.123+08:00 and Z
	"2006-01-02T15:04:05.999999999Z0700", // basic offset +0800
	"2006-01-02T15:04:05Z0700",
}

// ParseTime reads an ISO 8601 time with an offset or Z, with or without
// fractional seconds.
func ParseTime(s string) (time.Time, error) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q is not ISO 8601 with an offset (like 2019-11-27T12:01:01+08:00)", s)
}

// ParseEpochTime reads a Unix time as Antom's merchant SDKs send it in
// Request-Time: decimal digits counting seconds (10 digits), milliseconds
// (13, what the SDKs document), microseconds (16) or nanoseconds (19, what
// some releases of the Go SDK send).
func ParseEpochTime(s string) (time.Time, error) {
	if s == "" || len(s) > 19 {
		return time.Time{}, fmt.Errorf("time %q is not a Unix time in seconds, milliseconds, microseconds or nanoseconds", s)
	}
	var n int64
	for _, r := range s {
		if r < '0' || r > '9' {
			return time.Time{}, fmt.Errorf("time %q is not a Unix time in seconds, milliseconds, microseconds or nanoseconds", s)
		}
		n = n*10 + int64(r-'0')
	}
	switch len(s) {
	case 10:
		return time.Unix(n, 0), nil
	case 13:
		return time.UnixMilli(n), nil
	case 16:
		return time.UnixMicro(n), nil
	case 19:
		return time.Unix(0, n), nil
	}
	return time.Time{}, fmt.Errorf("time %q has %d digits: a Unix time has 10 (seconds), 13 (milliseconds), 16 or 19", s, len(s))
}

// ParseRequestTime reads a Request-Time header: ISO 8601 (Alipay+) or,
// when epoch is true, also a Unix time (Antom's SDKs).
func ParseRequestTime(s string, epoch bool) (time.Time, error) {
	t, err := ParseTime(s)
	if err == nil || !epoch || s == "" || s[0] < '0' || s[0] > '9' || len(s) > 19 {
		return t, err
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return t, err
		}
	}
	return ParseEpochTime(s)
}
