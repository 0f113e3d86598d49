package aind // import "github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"

import (
	"math"
	"strconv"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// Zone says what a timestamp said about its time zone, so validation can
// flag anything but explicit UTC.
type Zone uint8

const (
	// ZoneUTC: "Z" or a zero offset.
	ZoneUTC Zone = iota
	// ZoneOffset: a non-zero offset; the time is converted to UTC.
	ZoneOffset
	// ZoneNone: no zone written; the time is taken as UTC.
	ZoneNone
	// ZoneEpoch: a number of seconds (or ms, µs, ns) since the Unix epoch.
	ZoneEpoch
)

// Epoch magnitudes: a number below secondsBelow is seconds (until year 5138),
// below millisBelow milliseconds, below microsBelow microseconds, else ns.
const (
	secondsBelow = 1e11
	millisBelow  = 1e14
	microsBelow  = 1e17
)

// ParseTimestamp reads a timestamp value as the mapping allows: RFC 3339 /
// ISO 8601 with "Z" or an offset and up to nanosecond fractions, the same
// without a zone (UTC), Python's "2026-02-09 21:19:24,061", or epoch numbers
// (ints, floats or numeric strings) whose unit is chosen by magnitude.
func ParseTimestamp(v pcommon.Value) (pcommon.Timestamp, Zone, bool) {
	switch v.Type() {
	case pcommon.ValueTypeStr:
		s := v.Str()
		if ts, zone, ok := parseISO(s); ok {
			return ts, zone, true
		}
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return epochInt(i)
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return epochFloat(f)
		}
	case pcommon.ValueTypeInt:
		return epochInt(v.Int())
	case pcommon.ValueTypeDouble:
		return epochFloat(v.Double())
	}
	return 0, 0, false
}

func epochInt(i int64) (pcommon.Timestamp, Zone, bool) {
	if i < 0 {
		return 0, 0, false
	}
	scale := int64(1)
	switch {
	case i < secondsBelow:
		scale = 1e9
	case i < millisBelow:
		scale = 1e6
	case i < microsBelow:
		scale = 1e3
	}
	if i > math.MaxInt64/scale {
		return 0, 0, false // beyond year 2262, which pdata cannot hold
	}
	return pcommon.Timestamp(i * scale), ZoneEpoch, true
}

// epochFloat rounds to whole microseconds: a float64 near today's epoch in
// seconds cannot hold more, and rounding keeps a written "….061270" exact.
func epochFloat(f float64) (pcommon.Timestamp, Zone, bool) {
	if math.IsNaN(f) || f < 0 || f >= math.MaxInt64 {
		return 0, 0, false
	}
	var micros float64
	switch {
	case f < secondsBelow:
		micros = f * 1e6
	case f < millisBelow:
		micros = f * 1e3
	case f < microsBelow:
		micros = f
	default:
		return pcommon.Timestamp(int64(f)), ZoneEpoch, true
	}
	if micros >= math.MaxInt64/1e3 {
		return 0, 0, false // beyond year 2262, which pdata cannot hold
	}
	return pcommon.Timestamp(int64(math.Round(micros)) * 1e3), ZoneEpoch, true
}

// parseISO parses YYYY-MM-DD[T ]hh:mm:ss[(.|,)fraction][Z|±hh[:mm]] by hand:
// it is on the hot path and time.Parse needs one layout per variant.
func parseISO(s string) (pcommon.Timestamp, Zone, bool) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':' {
		return 0, 0, false
	}
	if c := s[10]; c != 'T' && c != 't' && c != ' ' {
		return 0, 0, false
	}
	year, ok1 := Digits(s[0:4])
	month, ok2 := Digits(s[5:7])
	day, ok3 := Digits(s[8:10])
	hour, ok4 := Digits(s[11:13])
	minute, ok5 := Digits(s[14:16])
	sec, ok6 := Digits(s[17:19])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 || !ValidDate(year, month, day) ||
		hour > 23 || minute > 59 || sec > 60 {
		return 0, 0, false
	}
	rest := s[19:]
	nanos := 0
	if len(rest) > 0 && (rest[0] == '.' || rest[0] == ',') {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			if n <= 9 {
				nanos = nanos*10 + int(rest[n]-'0')
			}
			n++
		}
		if n == 1 {
			return 0, 0, false
		}
		for i := n; i <= 9; i++ {
			nanos *= 10
		}
		rest = rest[n:]
	}
	offset, zone, ok := parseZone(rest)
	if !ok {
		return 0, 0, false
	}
	// The bounds are the instant's, not the written date's: an instant read
	// at one offset is read at any other.
	secs := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC).Unix() - int64(offset)
	if secs < 0 || secs >= endSeconds {
		return 0, 0, false
	}
	return pcommon.Timestamp(secs*int64(time.Second) + int64(nanos)), zone, true
}

// endSeconds ends the instants read, in seconds since 1970: pdata holds
// nanoseconds since 1970, which an int64 (time.UnixNano) counts until April
// 2262.
var endSeconds = time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC).Unix()

// parseZone reads "", "Z", "±hh", "±hhmm" or "±hh:mm" and returns the offset
// in seconds east of UTC.
func parseZone(s string) (int, Zone, bool) {
	switch {
	case s == "":
		return 0, ZoneNone, true
	case s == "Z" || s == "z":
		return 0, ZoneUTC, true
	case s[0] != '+' && s[0] != '-':
		return 0, 0, false
	}
	var hh, mm string
	switch len(s) {
	case 3:
		hh = s[1:3]
	case 5:
		hh, mm = s[1:3], s[3:5]
	case 6:
		if s[3] != ':' {
			return 0, 0, false
		}
		hh, mm = s[1:3], s[4:6]
	default:
		return 0, 0, false
	}
	h, okH := Digits(hh)
	m := 0
	okM := true
	if mm != "" {
		m, okM = Digits(mm)
	}
	if !okH || !okM || h > 23 || m > 59 {
		return 0, 0, false
	}
	offset := h*3600 + m*60
	if s[0] == '-' {
		offset = -offset
	}
	if offset == 0 {
		return 0, ZoneUTC, true
	}
	return offset, ZoneOffset, true
}

// Digits reads a string of ASCII digits (no sign, no space) as a number.
func Digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// ValidDate reports whether year-month-day is a day of the calendar.
func ValidDate(year, month, day int) bool {
	return month >= 1 && month <= 12 && day >= 1 &&
		day <= time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
