package lokipush

import (
	"time"

	"github.com/grafana/loki/pkg/push"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/utf8text"
)

// serviceNameLabel is the label Loki makes of the service.name resource
// attribute; Logs maps it back.
const serviceNameLabel = "service_name"

// Options are the receiver's settings that Logs applies.
type Options struct {
	// MaxLogSize is the longest line kept whole, in bytes.
	MaxLogSize int
	// Observed is the ObservedTimestamp of every record.
	Observed pcommon.Timestamp
	// Resource sets the attributes of a stream's resource. It puts the
	// stream's labels with PutLabels where they go among the receiver's
	// own attributes (later ones win).
	Resource func(attrs pcommon.Map, labels []push.LabelAdapter)
}

// Logs makes one resource per stream that has entries (its attributes set
// by opts.Resource) and one record per entry: Timestamp from the entry, the
// line as a string body, cut to opts.MaxLogSize and flagged aind.truncated
// (the aind processor maps a line holding a JSON object), structured
// metadata as record attributes. The counts say how many lines were cut.
func Logs(streams []Stream, opts Options) (plog.Logs, jsonlines.Counts) {
	ld := plog.NewLogs()
	lines := jsonlines.Builder{MaxLogSize: opts.MaxLogSize, Observed: opts.Observed}
	for _, s := range streams {
		if len(s.Entries) == 0 {
			continue
		}
		rl := ld.ResourceLogs().AppendEmpty()
		opts.Resource(rl.Resource().Attributes(), s.Labels)
		records := rl.ScopeLogs().AppendEmpty().LogRecords()
		records.EnsureCapacity(len(s.Entries))
		for i := range s.Entries {
			e := &s.Entries[i]
			lr := lines.AppendText(records, e.Line)
			if ts, ok := timestamp(e.Timestamp); ok {
				lr.SetTimestamp(ts)
			}
			for _, m := range e.StructuredMetadata {
				if m.Name != "" {
					lr.Attributes().PutStr(utf8text.Repair(m.Name), utf8text.Repair(m.Value))
				}
			}
		}
	}
	return ld, lines.Counts()
}

// PutLabels puts a stream's labels as resource attributes of the same
// names, but that the label Loki derives from service.name maps back to it.
func PutLabels(attrs pcommon.Map, labels []push.LabelAdapter) {
	for _, l := range labels {
		attrs.PutStr(labelAttr(l.Name), utf8text.Repair(l.Value))
	}
}

// labelAttr names the resource attribute of a stream label: the label
// Loki derives from service.name maps back to it, others keep their name.
func labelAttr(label string) string {
	if label == serviceNameLabel {
		return aind.ResourceServiceName
	}
	return utf8text.Repair(label)
}

// timestamp converts an entry's time; times pdata cannot hold (before
// 1970, after 2262, or unset) leave Timestamp unset.
func timestamp(t time.Time) (pcommon.Timestamp, bool) {
	if t.IsZero() || t.Year() >= 2262 || t.Unix() < 0 {
		return 0, false
	}
	ns := t.UnixNano()
	if ns <= 0 {
		return 0, false
	}
	return pcommon.Timestamp(ns), true
}
