package aindprocessor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
)

// process runs the processor's mapping over ld, as the pipeline would.
func process(t *testing.T, cfg *Config, ld plog.Logs) plog.Logs {
	t.Helper()
	tb, err := metadata.NewTelemetryBuilder(componenttest.NewNopTelemetrySettings())
	require.NoError(t, err)
	p := newTestProcessor(t, cfg, tb)
	if p.guard != nil {
		// The mapping tests hold fixed instants of early 2026 and run at any
		// date; the guard's time window is tested with a pinned clock in
		// internal/lokifit.
		p.guard.SkipTimestamps()
	}
	out, err := p.processLogs(context.Background(), ld)
	require.NoError(t, err)
	return out
}

// newTestProcessor is newLogsProcessor for a configuration that compiles.
func newTestProcessor(t testing.TB, cfg *Config, tb *metadata.TelemetryBuilder) *logsProcessor {
	t.Helper()
	p, err := newLogsProcessor(cfg, tb)
	require.NoError(t, err)
	return p
}

// linesToLogs decodes JSON lines as aindreceiver does, into one
// ResourceLogs carrying resource attributes from the receiver's config.
func linesToLogs(resource map[string]string, lines ...string) plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	for k, v := range resource {
		rl.Resource().Attributes().PutStr(k, v)
	}
	records := rl.ScopeLogs().AppendEmpty().LogRecords()
	for _, line := range lines {
		jsonlines.DecodeLine(jsonlines.CleanLine([]byte(line)), records.AppendEmpty())
	}
	return ld
}

// only returns the single record of a batch with its resource and scope.
func only(t *testing.T, ld plog.Logs) (plog.ResourceLogs, plog.ScopeLogs, plog.LogRecord) {
	t.Helper()
	require.Equal(t, 1, ld.LogRecordCount(), "records")
	require.Equal(t, 1, ld.ResourceLogs().Len(), "resources")
	rl := ld.ResourceLogs().At(0)
	require.Equal(t, 1, rl.ScopeLogs().Len(), "scopes")
	sl := rl.ScopeLogs().At(0)
	return rl, sl, sl.LogRecords().At(0)
}

func mapOne(t *testing.T, cfg *Config, line string) (plog.ResourceLogs, plog.ScopeLogs, plog.LogRecord) {
	t.Helper()
	return only(t, process(t, cfg, linesToLogs(nil, line)))
}

func assertAttr(t *testing.T, lr plog.LogRecord, key string, want any) {
	t.Helper()
	v, ok := lr.Attributes().Get(key)
	require.True(t, ok, "attribute %q missing from %v", key, lr.Attributes().AsRaw())
	assert.Equal(t, want, v.AsRaw(), key)
}

func assertNoAttr(t *testing.T, lr plog.LogRecord, key string) {
	t.Helper()
	_, ok := lr.Attributes().Get(key)
	assert.False(t, ok, "attribute %q should be gone", key)
}
