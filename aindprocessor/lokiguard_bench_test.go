package aindprocessor

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
)

// BenchmarkLokiGuard measures the guard alone on a batch of 100 records:
// "normal" is benchLine after the mapping (the guard only checks bounds),
// "oversized" breaks every limit (the guard rewrites each record; the copy
// of the batch is outside the timer).
func BenchmarkLokiGuard(b *testing.B) {
	tb, err := metadata.NewTelemetryBuilder(componenttest.NewNopTelemetrySettings())
	if err != nil {
		b.Fatal(err)
	}
	lines := make([]string, 100)
	for i := range lines {
		lines[i] = benchLine
	}
	p := newTestProcessor(b, createDefaultConfig(), tb)
	p.now = func() time.Time { return guardNow }
	normal, err := p.processLogs(context.Background(), linesToLogs(map[string]string{"co.capsule.id": "c1"}, lines...))
	if err != nil {
		b.Fatal(err)
	}
	if _, ok := normal.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).Attributes().Get("aind.timestamp.original"); ok {
		b.Fatal("benchLine's timestamp must be recent at guardNow")
	}
	limits := compileLokiLimits(createDefaultConfig())

	b.Run("normal", func(b *testing.B) {
		f := newFitter(limits)
		b.ReportAllocs()
		for b.Loop() {
			f.fitLogs(normal, guardNow)
		}
		if f.fixes != [numLimits]int64{} {
			b.Fatal("the normal record was changed")
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*normal.LogRecordCount()), "ns/record")
	})

	b.Run("oversized", func(b *testing.B) {
		template, _ := guardBatch()
		lrs := template.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
		oversized(lrs.At(0))
		for lrs.Len() < 100 {
			lrs.At(0).CopyTo(lrs.AppendEmpty())
		}
		f := newFitter(limits)
		batch := plog.NewLogs()
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			template.CopyTo(batch)
			b.StartTimer()
			f.fitLogs(batch, guardNow)
		}
		if f.fixes[limitSMEntries] != 100 {
			b.Fatal("the oversized records were not fitted")
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*lrs.Len()), "ns/record")
	})
}

// BenchmarkProcessLogsNoGuard is BenchmarkProcessLogs with the guard off:
// the difference is the guard's cost on the hot path.
func BenchmarkProcessLogsNoGuard(b *testing.B) {
	cfg := createDefaultConfig()
	cfg.LokiLimits.Enabled = false
	benchProcessLogs(b, cfg, benchLine)
}
