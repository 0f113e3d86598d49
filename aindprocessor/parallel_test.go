package aindprocessor

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
)

// TestSharesGiveTheSameBatch splits a mixed batch into 1 to 7 shares: the
// output must be the same, down to the order of resources, scopes and
// records, whatever the split.
func TestSharesGiveTheSameBatch(t *testing.T) {
	var want []byte
	for workers := 1; workers <= 7; workers++ {
		cfg := createDefaultConfig()
		cfg.Validation.OnViolation = "drop" // drops happen in every share
		tb, err := metadata.NewTelemetryBuilder(componenttest.NewNopTelemetrySettings())
		require.NoError(t, err)
		p := newLogsProcessor(cfg, tb)
		p.now = func() time.Time { return guardNow }
		p.workers = workers
		out, err := p.processLogs(context.Background(), mixedBatch(t))
		require.NoError(t, err)
		got, err := (&plog.JSONMarshaler{}).MarshalLogs(out)
		require.NoError(t, err)
		if workers == 1 {
			want = got
			require.Greater(t, out.ResourceLogs().Len(), 5, "the batch must have many groups to merge")
			continue
		}
		require.JSONEq(t, string(want), string(got), "%d shares", workers)
	}
}

// mixedBatch is three input resources with two scopes each, holding the
// sample lines, the benchmark lines and records that are no AIND record.
func mixedBatch(t *testing.T) plog.Logs {
	var lines []string
	paths, err := filepath.Glob("../testdata/*.jsonl")
	require.NoError(t, err)
	for _, path := range paths {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		for _, l := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(l) != "" {
				lines = append(lines, l)
			}
		}
	}
	lines = append(lines, pipelineLines...)
	require.Greater(t, len(lines), 20)
	ld := plog.NewLogs()
	for r := range 3 {
		rl := ld.ResourceLogs().AppendEmpty()
		rl.Resource().Attributes().PutStr("co.capsule.id", fmt.Sprintf("c%d", r))
		for s := range 2 {
			sl := rl.ScopeLogs().AppendEmpty()
			sl.Scope().SetName(fmt.Sprintf("input-scope-%d", s))
			for i := range 40 {
				lr := sl.LogRecords().AppendEmpty()
				if i%9 == 0 {
					lr.Body().SetStr("not an AIND record")
					continue
				}
				linesToLogs(nil, lines[(r*80+s*40+i)%len(lines)]).ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).CopyTo(lr)
			}
		}
	}
	return ld
}
