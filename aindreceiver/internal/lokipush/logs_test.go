package lokipush

import (
	"strings"
	"testing"
	"time"

	"github.com/grafana/loki/pkg/push"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
)

func TestLogs(t *testing.T) {
	ts := time.Unix(1770671964, 61270000)
	streams := []Stream{
		{
			Labels: []push.LabelAdapter{{Name: "job", Value: "capsule"}, {Name: "service_name", Value: "waterlog"}},
			Entries: []push.Entry{
				{Timestamp: ts, Line: `{"message": "hi"}`, StructuredMetadata: push.LabelsAdapter{{Name: "trace_id", Value: "abc"}, {Name: "", Value: "dropped"}}},
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
		Resource: func(m pcommon.Map, labels []push.LabelAdapter) {
			m.PutStr("job", "static")
			PutLabels(m, labels)
			m.PutStr("co.capsule.id", "c")
		},
	})
	assert.Equal(t, jsonlines.Counts{Truncated: 2}, counts)
	require.Equal(t, 2, ld.ResourceLogs().Len(), "no resource for a stream without entries")
	assert.Equal(t, map[string]any{"job": "capsule", "service.name": "waterlog", "co.capsule.id": "c"},
		ld.ResourceLogs().At(0).Resource().Attributes().AsRaw(), "labels win over the static resource, request attributes over labels")
	lrs := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	require.Equal(t, 3, lrs.Len())
	assert.Equal(t, `{"message": "hi"}`, lrs.At(0).Body().Str())
	assert.Equal(t, pcommon.NewTimestampFromTime(ts), lrs.At(0).Timestamp())
	assert.Equal(t, pcommon.Timestamp(7), lrs.At(0).ObservedTimestamp())
	assert.Equal(t, map[string]any{"trace_id": "abc"}, lrs.At(0).Attributes().AsRaw())
	assert.Equal(t, strings.Repeat("long ", 4), lrs.At(1).Body().Str())
	assert.Equal(t, map[string]any{aind.AttrTruncated: true}, lrs.At(1).Attributes().AsRaw())
	assert.Zero(t, lrs.At(2).Timestamp(), "a time pdata cannot hold leaves Timestamp unset")
	assert.Equal(t, "before 1970, invalid", lrs.At(2).Body().Str())

	empty := ld.ResourceLogs().At(1)
	assert.Equal(t, map[string]any{"job": "static", "co.capsule.id": "c"}, empty.Resource().Attributes().AsRaw())
	assert.Equal(t, "", empty.ScopeLogs().At(0).LogRecords().At(0).Body().Str(), "an empty line is a record")
}
