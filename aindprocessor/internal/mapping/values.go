package mapping // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/mapping"

import (
	"math"
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// setTimestamp sets the record's time from a timestamp field it can read.
func setTimestamp(lr plog.LogRecord, v pcommon.Value) bool {
	ts, _, ok := aind.ParseTimestamp(v)
	if ok {
		// The observed timestamp is the line's own too: a line read again
		// after a crash, or sent again by a client, must be exported
		// identically for Loki to keep one copy, and Loki stores the
		// observed timestamp as structured metadata. The time the line was
		// read is what is given up (README).
		lr.SetTimestamp(ts)
		lr.SetObservedTimestamp(ts)
	}
	return ok
}

// setSeverity keeps a written level as SeverityText. A Python number gets its
// level's name as text: the number alone tells a reader less.
func setSeverity(lr plog.LogRecord, v pcommon.Value) bool {
	if v.Type() == pcommon.ValueTypeStr {
		sev, _ := aind.SeverityFromText(v.Str())
		lr.SetSeverityText(v.Str())
		lr.SetSeverityNumber(sev)
		return true
	}
	n, ok := Int(v)
	if !ok {
		return false
	}
	setSeverityNumber(lr, n, true)
	return true
}

// setSeverityNumber maps a Python level number. A known number gets its
// level's name as text when withText is set; an unknown one (0, Python's
// NOTSET) keeps the number as text.
func setSeverityNumber(lr plog.LogRecord, n int64, withText bool) {
	name, sev, known := aind.LevelOfNumber(n)
	lr.SetSeverityNumber(sev)
	switch {
	case !withText:
	case known:
		lr.SetSeverityText(name)
	default:
		lr.SetSeverityText(strconv.FormatInt(n, 10))
	}
}

// Int reads v as the mapping reads an integer field (lineno, process, a
// level number): ints, integral doubles and numeric strings, since the
// standard says string where Python writes int.
func Int(v pcommon.Value) (int64, bool) {
	switch v.Type() {
	case pcommon.ValueTypeInt:
		return v.Int(), true
	case pcommon.ValueTypeDouble:
		f := v.Double()
		if f == math.Trunc(f) && math.Abs(f) < 1<<63 {
			return int64(f), true
		}
	case pcommon.ValueTypeStr:
		n, err := strconv.ParseInt(strings.TrimSpace(v.Str()), 10, 64)
		return n, err == nil
	}
	return 0, false
}

// canonicalString gives identifiers one type: subject_id arrives both as
// "713491" and 714392.
func canonicalString(v pcommon.Value) {
	switch v.Type() {
	case pcommon.ValueTypeInt:
		v.SetStr(strconv.FormatInt(v.Int(), 10))
	case pcommon.ValueTypeDouble, pcommon.ValueTypeBool:
		if n, ok := Int(v); ok {
			v.SetStr(strconv.FormatInt(n, 10))
		} else {
			v.SetStr(v.AsString())
		}
	}
}

func isScalar(v pcommon.Value) bool {
	switch v.Type() {
	case pcommon.ValueTypeStr, pcommon.ValueTypeInt, pcommon.ValueTypeDouble, pcommon.ValueTypeBool:
		return true
	}
	return false
}

// pythonException reads the type and message from the last line of a Python
// traceback ("ValueError: bad value").
func pythonException(stack string) (typ, msg string, ok bool) {
	if !strings.HasPrefix(stack, "Traceback (most recent call last):") {
		return "", "", false
	}
	last := strings.TrimRight(stack, " \t\r\n")
	if i := strings.LastIndexByte(last, '\n'); i >= 0 {
		last = last[i+1:]
	}
	if last == "" || last[0] == ' ' || last[0] == '\t' {
		return "", "", false
	}
	typ, msg, _ = strings.Cut(last, ":")
	if strings.ContainsAny(typ, " \t") {
		return "", "", false
	}
	return typ, strings.TrimSpace(msg), true
}
