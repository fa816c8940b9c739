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
