package aind

import (
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
		{"1969 at an offset is 1970 in UTC", pcommon.NewValueStr("1969-12-31T23:30:00-01:00"), utc("1970-01-01T00:30:00Z"), ZoneOffset, true},
		{"1970 at an offset is 1969 in UTC", pcommon.NewValueStr("1970-01-01T00:30:00+01:00"), 0, 0, false},
		{"2262 at an offset is 2261 in UTC", pcommon.NewValueStr("2262-01-01T00:30:00+01:00"), utc("2261-12-31T23:30:00Z"), ZoneOffset, true},
		{"2261 at an offset is 2262 in UTC", pcommon.NewValueStr("2261-12-31T23:30:00-01:00"), 0, 0, false},
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

// rfc3339 is the form of RFC 3339's date-time (section 5.6), with the
// ranges of an offset's hour and minute: time.Parse reads more than it (a
// one-digit hour, a 60-minute offset), and checks the ranges of the rest.
var rfc3339 = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$`)

// FuzzParseTimestamp: a string of RFC 3339's date-time is read as
// time.Parse reads it (within the years pdata holds), and the zone it
// names is the zone reported. Whatever string is read as a date and time
// names a day of the calendar, and its instant written back in RFC 3339
// (in UTC or at an offset) or in Python's logging format is read back as
// the same instant, with the zone it was written in; without a zone it is
// the instant the same string ending in "Z" names.
func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{
		"2026-03-01T08:15:02.123456Z", "2026-03-01 08:15:02,123", "1767225600", "2026-02-30T00:00:00Z", "+99999",
		"2026-03-01T08:15:02.5+05:30", "2026-03-01T08:15:02-0800", "2026-03-01t08:15:02+02", "2026-03-01T08:15:02.1234567891z",
		"1970-01-01T00:30:00+01:00", "2261-12-31T23:59:59.999999999Z", "2026-06-30T23:59:60Z",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, zone, ok := ParseTimestamp(pcommon.NewValueStr(s))
		if ref, err := time.Parse(time.RFC3339Nano, s); err == nil && rfc3339.MatchString(s) && ref.Unix() >= 0 && ref.UTC().Year() <= 2261 {
			require.True(t, ok, "%q is RFC 3339", s)
			require.Equal(t, ref.UnixNano(), int64(ts), "%q", s)
			wantZone := ZoneOffset
			if _, offset := ref.Zone(); offset == 0 {
				wantZone = ZoneUTC
			}
			require.Equal(t, wantZone, zone, "%q", s)
		}
		if !ok || zone == ZoneEpoch {
			return
		}
		// time.Date moves a day past the end of its month into the next.
		year, _ := strconv.Atoi(s[0:4])
		month, _ := strconv.Atoi(s[5:7])
		day, _ := strconv.Atoi(s[8:10])
		date := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
		require.Equal(t, [3]int{year, month, day}, [3]int{date.Year(), int(date.Month()), date.Day()}, "%q is not a day", s)

		at := ts.AsTime()
		east, west := time.FixedZone("", 5*3600+30*60), time.FixedZone("", -(9*3600+30*60))
		written := map[string]Zone{
			at.Format(time.RFC3339Nano):                              ZoneUTC,
			at.Format("2006-01-02 15:04:05,000000000"):               ZoneNone,
			at.Format("2006-01-02T15:04:05.999999999-07"):            ZoneUTC,
			at.In(east).Format(time.RFC3339Nano):                     ZoneOffset,
			at.In(west).Format("2006-01-02T15:04:05.999999999-0700"): ZoneOffset,
		}
		if zone == ZoneNone {
			written[s+"Z"] = ZoneUTC
		}
		for w, wantZone := range written {
			again, againZone, ok := ParseTimestamp(pcommon.NewValueStr(w))
			require.True(t, ok, "%q, written back from %q", w, s)
			require.Equal(t, ts.AsTime(), again.AsTime(), "%q, written back from %q", w, s)
			require.Equal(t, wantZone, againZone, "%q, written back from %q", w, s)
		}
	})
}
