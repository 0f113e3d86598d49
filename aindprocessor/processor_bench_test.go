package aindprocessor

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
)

const benchLine = `{"timestamp": "2026-03-01T08:15:02.123456Z", "level": "DEBUG", "message": "Loaded 42 sessions", "name": "aind_data_schema.loader", "pathname": "/opt/capsule/code/run.py", "funcName": "load", "lineno": 118, "process": 1231, "thread": 140245, "software_name": "aind-data-schema", "software_version": "1.0.4.dev0", "hostname": "co-capsule-7f3a", "subject_id": "123456", "extra": {"probe": "ProbeA", "channels": [1, 2, 3]}}`

// BenchmarkProcessLogs maps batches of 100 decoded lines, as the receiver
// hands them over; the decoding itself is outside the timer.
func BenchmarkProcessLogs(b *testing.B) {
	benchProcessLogs(b, createDefaultConfig(), benchLine)
}

// benchProcessLogs maps batches of 100 copies of line through a processor
// built from cfg, as the receiver hands them over, and reports ns/record.
// Copying the batch for each round is outside the timer.
func benchProcessLogs(b *testing.B, cfg *Config, line string) {
	b.Helper()
	tb, err := metadata.NewTelemetryBuilder(componenttest.NewNopTelemetrySettings())
	if err != nil {
		b.Fatal(err)
	}
	p := newLogsProcessor(cfg, tb)
	p.now = func() time.Time { return guardNow } // the bench lines' time is recent then
	lines := make([]string, 100)
	for i := range lines {
		lines[i] = line
	}
	template := linesToLogs(map[string]string{"co.capsule.id": "c1"}, lines...)
	batch := plog.NewLogs()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		template.CopyTo(batch)
		b.StartTimer()
		if _, err := p.processLogs(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(lines)), "ns/record")
}
