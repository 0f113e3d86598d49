package aind

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

func TestParseTimestamp(t *testing.T) {
	utc := func(s string) pcommon.Timestamp {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return pcommon.NewTimestampFromTime(tm)
	}
	tests := []struct {
		name string
		in   pcommon.Value
		want pcommon.Timestamp
		zone Zone
		ok   bool
	}{
		{"standard example", pcommon.NewValueStr("2026-02-09T21:19:24.061270Z"), 1770671964061270000, ZoneUTC, true},
		{"nanoseconds", pcommon.NewValueStr("2026-02-09T21:19:24.123456789Z"), utc("2026-02-09T21:19:24.123456789Z"), ZoneUTC, true},
		{"fraction beyond ns is cut", pcommon.NewValueStr("2026-02-09T21:19:24.1234567891Z"), utc("2026-02-09T21:19:24.123456789Z"), ZoneUTC, true},
		{"no fraction", pcommon.NewValueStr("2026-02-09T21:19:24Z"), utc("2026-02-09T21:19:24Z"), ZoneUTC, true},
		{"lower-case z and t", pcommon.NewValueStr("2026-02-09t21:19:24z"), utc("2026-02-09T21:19:24Z"), ZoneUTC, true},
		{"offset", pcommon.NewValueStr("2026-02-09T22:19:24.5+01:00"), utc("2026-02-09T21:19:24.5Z"), ZoneOffset, true},
		{"negative offset no colon", pcommon.NewValueStr("2026-02-09T16:19:24-0500"), utc("2026-02-09T21:19:24Z"), ZoneOffset, true},
		{"hour-only offset", pcommon.NewValueStr("2026-02-09T23:19:24+02"), utc("2026-02-09T21:19:24Z"), ZoneOffset, true},
		{"zero offset is UTC", pcommon.NewValueStr("2026-02-09T21:19:24+00:00"), utc("2026-02-09T21:19:24Z"), ZoneUTC, true},
		{"no zone is UTC", pcommon.NewValueStr("2026-02-09T21:19:24.061270"), 1770671964061270000, ZoneNone, true},
		{"python asctime", pcommon.NewValueStr("2026-02-09 21:19:24,061"), utc("2026-02-09T21:19:24.061Z"), ZoneNone, true},
		{"leap day", pcommon.NewValueStr("2028-02-29T00:00:00Z"), utc("2028-02-29T00:00:00Z"), ZoneUTC, true},
		{"epoch seconds int", pcommon.NewValueInt(1770671964), 1770671964000000000, ZoneEpoch, true},
		{"epoch seconds float keeps µs", pcommon.NewValueDouble(1770671964.06127), 1770671964061270000, ZoneEpoch, true},
		{"epoch ms", pcommon.NewValueInt(1770671964061), 1770671964061000000, ZoneEpoch, true},
		{"epoch µs", pcommon.NewValueInt(1770671964061270), 1770671964061270000, ZoneEpoch, true},
		{"epoch ns", pcommon.NewValueInt(1770671964061270123), 1770671964061270123, ZoneEpoch, true},
		{"epoch seconds as string", pcommon.NewValueStr("1770671964"), 1770671964000000000, ZoneEpoch, true},
		{"epoch float as string", pcommon.NewValueStr("1770671964.5"), 1770671964500000000, ZoneEpoch, true},
		{"not a date", pcommon.NewValueStr("yesterday"), 0, 0, false},
		{"month 13", pcommon.NewValueStr("2026-13-09T21:19:24Z"), 0, 0, false},
		{"feb 30", pcommon.NewValueStr("2026-02-30T21:19:24Z"), 0, 0, false},
		{"not a leap year", pcommon.NewValueStr("2026-02-29T00:00:00Z"), 0, 0, false},
		{"hour 24", pcommon.NewValueStr("2026-02-09T24:00:00Z"), 0, 0, false},
		{"empty fraction", pcommon.NewValueStr("2026-02-09T21:19:24.Z"), 0, 0, false},
		{"bad zone", pcommon.NewValueStr("2026-02-09T21:19:24 UTC"), 0, 0, false},
		{"bad offset minutes", pcommon.NewValueStr("2026-02-09T21:19:24+01:75"), 0, 0, false},
		{"before 1970", pcommon.NewValueStr("1969-12-31T23:59:59Z"), 0, 0, false},
		{"after 2262", pcommon.NewValueStr("2300-01-01T00:00:00Z"), 0, 0, false},
		{"epoch overflow", pcommon.NewValueInt(99999999999999999), 0, 0, false},
		{"negative epoch", pcommon.NewValueInt(-5), 0, 0, false},
		{"bool", pcommon.NewValueBool(true), 0, 0, false},
		{"map", pcommon.NewValueMap(), 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, zone, ok := ParseTimestamp(tt.in)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.zone, zone)
		})
	}
}

// FuzzParseTimestamp: no string makes the parser panic, and a string it
// accepts as a date names a day that exists.
func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2026-03-01T08:15:02.123456Z", "2026-03-01 08:15:02,123", "1767225600", "2026-02-30T00:00:00Z", "+99999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, zone, ok := ParseTimestamp(pcommon.NewValueStr(s))
		if !ok || zone == ZoneEpoch {
			return
		}
		d := ts.AsTime()
		if !ValidDate(d.Year(), int(d.Month()), d.Day()) {
			t.Fatalf("ParseTimestamp(%q) = %v: not a date", s, d)
		}
	})
}
