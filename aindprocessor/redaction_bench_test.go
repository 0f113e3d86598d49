package aindprocessor

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit/lokifittest"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/plogtest"
)

// benchSecretLine is benchLine with secrets in the body and attributes.
const benchSecretLine = `{"timestamp": "2026-03-01T08:15:02.123456Z", "level": "DEBUG", "message": "login password=hunter2 with AKIAIOSFODNN7EXAMPLE", "name": "aind_data_schema.loader", "pathname": "/opt/capsule/code/run.py", "funcName": "load", "lineno": 118, "process": 1231, "thread": 140245, "software_name": "aind-data-schema", "software_version": "1.0.4.dev0", "hostname": "co-capsule-7f3a", "subject_id": "123456", "session_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlMTIz", "db_url": "postgres://aind:S3cr3t@db.local:5432/x", "extra": {"probe": "ProbeA", "channels": [1, 2, 3], "api_key": "k-123"}}`

// mappedBatch is the processor's output without redaction for 100 lines.
func mappedBatch(b *testing.B, line string) plog.Logs {
	cfg := createDefaultConfig()
	cfg.Redaction.Enabled = false
	lines := make([]string, 100)
	for i := range lines {
		lines[i] = line
	}
	tb, err := metadata.NewTelemetryBuilder(componenttest.NewNopTelemetrySettings())
	if err != nil {
		b.Fatal(err)
	}
	p := newTestProcessor(b, cfg, tb)
	p.now = func() time.Time { return lokifittest.Now }
	out, err := p.processLogs(context.Background(), plogtest.LinesToLogs(map[string]string{"co.capsule.id": "c1"}, lines...))
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// BenchmarkRedactLogs measures redaction alone, on the mapped output of 100
// records: ns/record and allocs/record.
func BenchmarkRedactLogs(b *testing.B) {
	noCandidate := strings.Replace(benchLine, "Loaded 42 sessions", "Loaded 42 files", 1)
	for _, bc := range []struct{ name, line string }{
		{"no-candidate", noCandidate}, // no anchor anywhere
		{"clean", benchLine},          // "sessions" is an anchor: the assignment detector runs
		{"secrets", benchSecretLine},
	} {
		for _, mode := range []redact.Mode{redact.ModeMask, redact.ModeHash} {
			b.Run(bc.name+"/"+string(mode), func(b *testing.B) {
				template := mappedBatch(b, bc.line)
				cfg := createDefaultConfig()
				cfg.Redaction.Mode = mode
				if mode == redact.ModeHash {
					cfg.Redaction.HashKey = testHashKey
				}
				tb, err := metadata.NewTelemetryBuilder(componenttest.NewNopTelemetrySettings())
				if err != nil {
					b.Fatal(err)
				}
				p := newTestProcessor(b, cfg, tb)
				batch := plog.NewLogs()
				n := template.LogRecordCount()
				b.ReportAllocs() // per batch of n, the copying excluded
				for b.Loop() {
					b.StopTimer()
					template.CopyTo(batch)
					b.StartTimer()
					p.redact(context.Background(), batch)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
				template.CopyTo(batch)
				perBatch := testing.AllocsPerRun(20, func() {
					template.CopyTo(batch)
					p.redact(context.Background(), batch)
				}) - testing.AllocsPerRun(20, func() { template.CopyTo(batch) })
				b.ReportMetric(perBatch/float64(n), "allocs/record")
			})
		}
	}
}

// BenchmarkProcessLogsRedaction is BenchmarkProcessLogs with redaction on
// and off, on clean records and records with secrets.
func BenchmarkProcessLogsRedaction(b *testing.B) {
	for _, bc := range []struct{ name, line string }{{"clean", benchLine}, {"secrets", benchSecretLine}} {
		for _, on := range []bool{false, true} {
			name := bc.name + "/off"
			if on {
				name = bc.name + "/on"
			}
			b.Run(name, func(b *testing.B) {
				cfg := createDefaultConfig()
				cfg.Redaction.Enabled = on
				benchProcessLogs(b, cfg, bc.line)
			})
		}
	}
}
