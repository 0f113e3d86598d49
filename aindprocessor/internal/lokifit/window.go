package lokifit // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"

import (
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// window is the range of timestamps Loki accepts, in Unix nanoseconds.
type window struct {
	check          bool
	now            int64
	oldest, newest int64
	checkOld       bool
}

func (l *limits) window(now time.Time) window {
	return window{
		check:    l.timestamps,
		now:      now.UnixNano(),
		checkOld: l.rejectOld,
		oldest:   now.Add(-l.oldest).UnixNano(),
		newest:   now.Add(l.grace).UnixNano(),
	}
}

// accepts mirrors Validator.ValidateEntry: older than the oldest or newer
// than the newest is rejected.
func (w window) accepts(ts int64) bool {
	return (!w.checkOld || ts >= w.oldest) && ts <= w.newest
}

// fit moves a timestamp Loki would reject to the observed time, or to now,
// keeping the original under aind.timestamp.original, and reports whether
// it did. A record without a timestamp is stamped by Loki with its observed
// time: if that is out of range, the record gets now, and Loki keeps the
// observed time as observed_timestamp.
func (w window) fit(lr plog.LogRecord) bool {
	ts := int64(lr.Timestamp())
	obs := int64(lr.ObservedTimestamp())
	if ts == 0 {
		if obs == 0 || w.accepts(obs) {
			return false
		}
		lr.SetTimestamp(pcommon.Timestamp(w.now))
		return true
	}
	if w.accepts(ts) {
		return false
	}
	to := w.now
	if obs != 0 && w.accepts(obs) {
		to = obs
	}
	lr.Attributes().PutStr(aind.AttrTimestampOriginal, time.Unix(0, ts).UTC().Format(time.RFC3339Nano))
	lr.SetTimestamp(pcommon.Timestamp(to))
	return true
}
