package lokipush

import (
	"strings"
	"testing"
	"time"

	"github.com/grafana/loki/pkg/push"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
)

func TestLogs(t *testing.T) {
	ts := time.Unix(1770671964, 61270000)
	streams := []Stream{
		{
			Labels: []push.LabelAdapter{
				{Name: "filename", Value: "/results/run.log"}, {Name: "host", Value: "W10DT713843"}, {Name: "job", Value: "capsule"},
				{Name: "level", Value: "warn"}, {Name: "logger", Value: "acq.camera"}, {Name: "service_name", Value: "waterlog"},
			},
			Entries: []push.Entry{
				{Timestamp: ts, Line: `{"message": "hi"}`, StructuredMetadata: push.LabelsAdapter{
					{Name: "trace_id", Value: "abc"}, {Name: "", Value: "dropped"}, {Name: "job", Value: "the entry's own"},
				}},
				{Timestamp: ts.Add(time.Second), Line: strings.Repeat("long ", 10)},
				{Timestamp: time.Unix(-1, 0), Line: "before 1970, invalid \xff UTF-8"},
			},
		},
		{Labels: []push.LabelAdapter{{Name: "job", Value: "no entries"}}},
		{Entries: []push.Entry{{Line: ""}}},
	}
	ld, counts := Logs(streams, Options{
		MaxLogSize: 20,
		Observed:   7,
		Labels:     NewLabelRoles(DefaultLabelConfig()),
		Resource: func(m pcommon.Map, putLabels func(pcommon.Map)) {
			m.PutStr("host.name", "static")
			m.PutStr("service.name", "static")
			putLabels(m)
			m.PutStr("co.capsule.id", "c")
		},
	})
	assert.Equal(t, jsonlines.Counts{Truncated: 2}, counts)
	require.Equal(t, 2, ld.ResourceLogs().Len(), "no resource for a stream without entries")
	assert.Equal(t, map[string]any{"host.name": "W10DT713843", "service.name": "waterlog", "co.capsule.id": "c"},
		ld.ResourceLogs().At(0).Resource().Attributes().AsRaw(), "labels win over the static resource, request attributes over labels")
	assert.Equal(t, "acq.camera", ld.ResourceLogs().At(0).ScopeLogs().At(0).Scope().Name(), "the logger label names the scope")
	lrs := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	require.Equal(t, 3, lrs.Len())
	assert.Equal(t, `{"message": "hi"}`, lrs.At(0).Body().Str())
	assert.Equal(t, pcommon.NewTimestampFromTime(ts), lrs.At(0).Timestamp())
	assert.Equal(t, pcommon.Timestamp(7), lrs.At(0).ObservedTimestamp())
	// job is not service.name: service_name comes first. The entry's
	// structured metadata wins over the stream's labels.
	assert.Equal(t, map[string]any{"trace_id": "abc", "job": "the entry's own", "log.file.path": "/results/run.log"}, lrs.At(0).Attributes().AsRaw())
	for i := range lrs.Len() {
		assert.Equal(t, "warn", lrs.At(i).SeverityText())
		assert.Equal(t, plog.SeverityNumberWarn, lrs.At(i).SeverityNumber())
	}
	assert.Equal(t, strings.Repeat("long ", 4), lrs.At(1).Body().Str())
	assert.Equal(t, map[string]any{aind.AttrTruncated: true, "job": "capsule", "log.file.path": "/results/run.log"}, lrs.At(1).Attributes().AsRaw())
	assert.Zero(t, lrs.At(2).Timestamp(), "a time pdata cannot hold leaves Timestamp unset")
	assert.Equal(t, "before 1970, invalid", lrs.At(2).Body().Str())

	empty := ld.ResourceLogs().At(1)
	assert.Equal(t, map[string]any{"host.name": "static", "service.name": "static", "co.capsule.id": "c"}, empty.Resource().Attributes().AsRaw())
	assert.Empty(t, empty.ScopeLogs().At(0).Scope().Name())
	assert.Equal(t, "", empty.ScopeLogs().At(0).LogRecords().At(0).Body().Str(), "an empty line is a record")
}

// Without a level label, the entry's structured metadata gives the severity
// (Alloy's loki.write sends detected_level there), and that key is not also
// an attribute.
func TestLogsSeverityFromStructuredMetadata(t *testing.T) {
	streams := []Stream{{
		Labels: []push.LabelAdapter{{Name: "service_name", Value: "aind-portal"}},
		Entries: []push.Entry{
			{Line: "a", StructuredMetadata: push.LabelsAdapter{{Name: "detected_level", Value: "error"}, {Name: "trace_id", Value: "abc"}}},
			{Line: "b"},
		},
	}}
	ld, _ := Logs(streams, Options{
		MaxLogSize: 100,
		Labels:     NewLabelRoles(DefaultLabelConfig()),
		Resource:   func(m pcommon.Map, putLabels func(pcommon.Map)) { putLabels(m) },
	})
	lrs := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	assert.Equal(t, plog.SeverityNumberError, lrs.At(0).SeverityNumber())
	assert.Equal(t, "error", lrs.At(0).SeverityText())
	assert.Equal(t, map[string]any{"trace_id": "abc"}, lrs.At(0).Attributes().AsRaw())
	assert.Equal(t, plog.SeverityNumberUnspecified, lrs.At(1).SeverityNumber(), "per entry")
}
