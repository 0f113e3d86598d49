package aindprocessor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/plogtest"
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

func mapOne(t *testing.T, cfg *Config, line string) (plog.ResourceLogs, plog.ScopeLogs, plog.LogRecord) {
	t.Helper()
	return plogtest.Only(t, process(t, cfg, plogtest.LinesToLogs(nil, line)))
}
