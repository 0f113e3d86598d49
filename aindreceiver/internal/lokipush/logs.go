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

// Options are the receiver's settings that Logs applies.
type Options struct {
	// MaxLogSize is the longest line kept whole, in bytes.
	MaxLogSize int
	// Observed is the ObservedTimestamp of every record.
	Observed pcommon.Timestamp
	// Labels says what the stream labels mean.
	Labels *LabelRoles
	// Resource sets the attributes of a stream's resource. It calls
	// putLabels where what the stream's labels give (service.name and the
	// low-cardinality labels) goes among the receiver's own attributes
	// (later ones win).
	Resource func(attrs pcommon.Map, putLabels func(pcommon.Map))
}

// Logs makes one resource per stream that has entries, with one scope named
// by the stream's logger label, and one record per entry: Timestamp from the
// entry, the severity from the stream's level label (or the entry's
// structured metadata), the line as a string body, cut to opts.MaxLogSize and
// flagged aind.truncated (the aind processor maps a line holding a JSON
// object, whose own fields win), the other labels and the structured
// metadata as record attributes (structured metadata wins: it is the
// entry's own). The counts say how many lines were cut.
func Logs(streams []Stream, opts Options) (plog.Logs, jsonlines.Counts) {
	ld := plog.NewLogs()
	lines := jsonlines.Builder{MaxLogSize: opts.MaxLogSize, Observed: opts.Observed}
	for _, s := range streams {
		if len(s.Entries) == 0 {
			continue
		}
		meaning := opts.Labels.meaning(s.Labels)
		rl := ld.ResourceLogs().AppendEmpty()
		opts.Resource(rl.Resource().Attributes(), meaning.putResource)
		sl := rl.ScopeLogs().AppendEmpty()
		sl.Scope().SetName(meaning.scope)
		records := sl.LogRecords()
		records.EnsureCapacity(len(s.Entries))
		for i := range s.Entries {
			e := &s.Entries[i]
			lr := lines.AppendText(records, e.Line)
			if ts, ok := timestamp(e.Timestamp); ok {
				lr.SetTimestamp(ts)
			}
			opts.Labels.putEntry(lr, &meaning, e.StructuredMetadata)
		}
	}
	return ld, lines.Counts()
}

// putResource puts service.name and the low-cardinality labels.
func (m *streamMeaning) putResource(attrs pcommon.Map) {
	if m.serviceName != "" {
		attrs.PutStr(aind.ResourceServiceName, m.serviceName)
	}
	for _, kv := range m.resource {
		attrs.PutStr(kv[0], kv[1])
	}
}

// putEntry sets what the stream's labels and the entry's structured metadata
// say about one record: the severity and the attributes.
func (r *LabelRoles) putEntry(lr plog.LogRecord, m *streamMeaning, metadata push.LabelsAdapter) {
	sev, used := m.severity, -1
	if sev.text == "" {
		sev, used = r.entrySeverity(metadata)
	}
	if sev.text != "" {
		lr.SetSeverityText(sev.text)
		lr.SetSeverityNumber(sev.number)
	}
	attrs := lr.Attributes()
	attrs.EnsureCapacity(len(m.attributes) + len(metadata))
	for _, kv := range m.attributes {
		attrs.PutStr(kv[0], kv[1])
	}
	for i, md := range metadata {
		if md.Name != "" && i != used {
			attrs.PutStr(utf8text.Repair(md.Name), utf8text.Repair(md.Value))
		}
	}
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
