package aindprocessor

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit/lokifittest"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/plogtest"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/telemetrytest"
)

// The Loki limits guard through the processor: its wiring, telemetry and
// place after the mapping. The guard itself is tested in internal/lokifit.

func TestLokiGuardDisabledChangesNothing(t *testing.T) {
	cfg := createDefaultConfig()
	cfg.LokiLimits.Enabled = false
	ld, lr := lokifittest.Batch()
	lokifittest.Oversized(lr)
	want := plogtest.Marshal(t, ld)

	tb, err := metadata.NewTelemetryBuilder(componenttest.NewNopTelemetrySettings())
	require.NoError(t, err)
	p := newTestProcessor(t, cfg, tb)
	require.Nil(t, p.guard)
	out, err := p.processLogs(context.Background(), ld)
	require.NoError(t, err)
	assert.Equal(t, want, plogtest.Marshal(t, out))
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
	p.now = func() time.Time { return lokifittest.Now }

	batch := func() plog.Logs {
		ld, lr := lokifittest.Batch()
		lokifittest.Oversized(lr)
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
	guard.Fit(want, lokifittest.Now)
	assert.Equal(t, plogtest.Marshal(t, want), plogtest.Marshal(t, out))

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
	out := process(t, createDefaultConfig(), plogtest.LinesToLogs(nil, string(line)))
	_, _, lr := plogtest.Only(t, out)
	assert.Equal(t, "failed\n"+stack, lr.Body().Str())
	plogtest.AssertNoAttr(t, lr, aind.AttrExceptionStack)
	plogtest.AssertAttr(t, lr, aind.AttrExceptionType, "ValueError")
	plogtest.AssertAttr(t, lr, aind.AttrExceptionMessage, "bad value")
}

// BenchmarkProcessLogsNoGuard is BenchmarkProcessLogs with the guard off:
// the difference is the guard's cost on the hot path.
func BenchmarkProcessLogsNoGuard(b *testing.B) {
	cfg := createDefaultConfig()
	cfg.LokiLimits.Enabled = false
	benchProcessLogs(b, cfg, benchLine)
}
