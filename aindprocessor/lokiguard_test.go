package aindprocessor

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/telemetrytest"
)

// The Loki limits guard through the processor: its wiring, telemetry and
// place after the mapping. The guard itself is tested in internal/lokifit.

// guardNow is the pinned clock of the processor's guard tests and
// benchmarks.
var guardNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// guardBatch is a batch that passes through the mapping: one resource with
// service.name (an index label) and rig_id (structured metadata), one scope.
func guardBatch() (plog.Logs, plog.LogRecord) {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("service.name", "waterlog")
	rl.Resource().Attributes().PutStr("rig_id", "frg_1_a")
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName("aind_data_schema.loader")
	lr := sl.LogRecords().AppendEmpty()
	lr.SetTimestamp(pcommon.NewTimestampFromTime(guardNow.Add(-time.Minute)))
	lr.SetObservedTimestamp(pcommon.NewTimestampFromTime(guardNow))
	lr.SetSeverityNumber(plog.SeverityNumberError)
	lr.SetSeverityText("ERROR")
	lr.Body().SetStr("Loaded 42 sessions")
	lr.Attributes().PutStr("subject_id", "123456")
	lr.Attributes().PutInt("code.line.number", 118)
	return ld, lr
}

// oversized is a record that breaks every limit.
func oversized(lr plog.LogRecord) {
	lr.SetTimestamp(pcommon.NewTimestampFromTime(guardNow.Add(-30 * 24 * time.Hour)))
	lr.Body().SetStr(strings.Repeat("line ", 60_000))
	lr.Attributes().PutStr(aind.AttrExceptionStack, strings.Repeat("frame\n", 20_000))
	lr.Attributes().PutStr("", "invalid name")
	for i := range 150 {
		lr.Attributes().PutStr(fmt.Sprintf("extra.%03d", i), strings.Repeat("v", 600))
	}
}

func marshalLogs(t *testing.T, ld plog.Logs) []byte {
	t.Helper()
	b, err := (&plog.ProtoMarshaler{}).MarshalLogs(ld)
	require.NoError(t, err)
	return b
}

func TestLokiGuardDisabledChangesNothing(t *testing.T) {
	cfg := createDefaultConfig()
	cfg.LokiLimits.Enabled = false
	ld, lr := guardBatch()
	oversized(lr)
	want := marshalLogs(t, ld)

	tb, err := metadata.NewTelemetryBuilder(componenttest.NewNopTelemetrySettings())
	require.NoError(t, err)
	p := newTestProcessor(t, cfg, tb)
	require.Nil(t, p.guard)
	out, err := p.processLogs(context.Background(), ld)
	require.NoError(t, err)
	assert.Equal(t, want, marshalLogs(t, out))
}

// TestLokiGuardFactoryRefusesBadLimits: a loki_limits section that skipped
// Validate still cannot start.
func TestLokiGuardFactoryRefusesBadLimits(t *testing.T) {
	cfg := createDefaultConfig()
	cfg.LokiLimits.MaxLineSize = -1
	_, err := NewFactory().CreateLogs(context.Background(), processortest.NewNopSettings(metadata.Type), cfg, consumertest.NewNop())
	assert.ErrorContains(t, err, "max_line_size must not be negative")
}

func TestLokiGuardTelemetry(t *testing.T) {
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	tb, err := metadata.NewTelemetryBuilder(tel.NewTelemetrySettings())
	require.NoError(t, err)
	p := newTestProcessor(t, createDefaultConfig(), tb)
	p.now = func() time.Time { return guardNow }

	batch := func() plog.Logs {
		ld, lr := guardBatch()
		oversized(lr)
		lr2 := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().AppendEmpty()
		lr2.Body().SetStr(strings.Repeat("x", 300_000))
		return ld
	}
	out, err := p.processLogs(context.Background(), batch())
	require.NoError(t, err)
	// The output is the guard's, which internal/lokifit checks against Loki
	// (TestFitResult: the same batch).
	want := batch()
	guard, err := lokifit.New(&createDefaultConfig().LokiLimits, nil)
	require.NoError(t, err)
	guard.Fit(want, guardNow)
	assert.Equal(t, marshalLogs(t, want), marshalLogs(t, out))

	assert.Equal(t, map[string]int64{
		"line_size":                   2,
		"structured_metadata_size":    1,
		"structured_metadata_entries": 1,
		"timestamp":                   1,
		"attribute_name":              1,
	}, telemetrytest.SumBy(t, tel, "otelcol_processor_aind_loki_limit_fixes", "limit"))
	assert.Empty(t, telemetrytest.SumBy(t, tel, "otelcol_processor_aind_loki_limit_unfixable", "limit"), "nothing unfixable")
}

// Through the whole processor: an AIND record with a long traceback.
func TestLokiGuardAfterMapping(t *testing.T) {
	stack := "Traceback (most recent call last):\n" + strings.Repeat("  File \"run.py\", line 1, in <module>\n", 2800) + "ValueError: bad value"
	line, err := json.Marshal(map[string]any{"timestamp": "2026-02-09T21:19:24Z", "level": "ERROR", "message": "failed", "exc_info": stack, "software_name": "waterlog"})
	require.NoError(t, err)
	out := process(t, createDefaultConfig(), linesToLogs(nil, string(line)))
	_, _, lr := only(t, out)
	assert.Equal(t, "failed\n"+stack, lr.Body().Str())
	assertNoAttr(t, lr, aind.AttrExceptionStack)
	assertAttr(t, lr, aind.AttrExceptionType, "ValueError")
	assertAttr(t, lr, aind.AttrExceptionMessage, "bad value")
}

// BenchmarkProcessLogsNoGuard is BenchmarkProcessLogs with the guard off:
// the difference is the guard's cost on the hot path.
func BenchmarkProcessLogsNoGuard(b *testing.B) {
	cfg := createDefaultConfig()
	cfg.LokiLimits.Enabled = false
	benchProcessLogs(b, cfg, benchLine)
}
