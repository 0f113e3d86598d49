package aindprocessor

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit/lokifittest"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/plogtest"
)

const benchLine = `{"timestamp": "2026-03-01T08:15:02.123456Z", "level": "DEBUG", "message": "Loaded 42 sessions", "name": "aind_data_schema.loader", "pathname": "/opt/capsule/code/run.py", "funcName": "load", "lineno": 118, "process": 1231, "thread": 140245, "software_name": "aind-data-schema", "software_version": "1.0.4.dev0", "hostname": "co-capsule-7f3a", "subject_id": "123456", "extra": {"probe": "ProbeA", "channels": [1, 2, 3]}}`

// BenchmarkProcessLogs maps batches of 100 decoded lines, as the receiver
// hands them over; the decoding itself is outside the timer.
func BenchmarkProcessLogs(b *testing.B) {
	benchProcessLogs(b, createDefaultConfig(), benchLine)
}

// BenchmarkMapping is the mapping and regrouping alone: validation,
// redaction and the Loki limits guard off.
func BenchmarkMapping(b *testing.B) {
	cfg := createDefaultConfig()
	cfg.Validation.Enabled = false
	cfg.Redaction.Enabled = false
	cfg.LokiLimits.Enabled = false
	benchProcessLogs(b, cfg, benchLine)
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
	p := newTestProcessor(b, cfg, tb)
	p.now = func() time.Time { return lokifittest.Now } // the bench lines' time is recent then
	lines := make([]string, 100)
	for i := range lines {
		lines[i] = line
	}
	template := plogtest.LinesToLogs(map[string]string{"co.capsule.id": "c1"}, lines...)
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

// pipelineLines are realistic AIND lines of about 400 bytes, as bench/'s
// corpus has them: standard fields, ids, an extra map, one a traceback.
var pipelineLines = []string{
	`{"timestamp":"2026-03-01T08:15:02.123456Z","level":"INFO","message":"Processed frame 1200 of session in 0.412 s","name":"aind_data_transfer.session","hostname":"w10dt1","software_name":"aind-data-transfer","software_version":"1.4.2","rig_id":"frg_1_a","subject_id":"600012","acquisition_name":"ecephys_600012_2026-03-01_08-00-00","lineno":822,"funcName":"process_frame","pathname":"/opt/capsule/code/aind/transfer.py","process":1231,"extra":{"probe":"ProbeA","channels":[1,2,3]}}`,
	`{"timestamp":"2026-03-01T08:15:02.223456Z","level":"DEBUG","message":"Uploaded chunk 17 to s3://aind-open-data/ecephys_600012","name":"aind_data_transfer.upload","hostname":"w10dt2","software_name":"aind-data-transfer","software_version":"1.4.2","rig_id":"frg_1_a","instrument_id":"EPHYS1","subject_id":600012,"lineno":"97","funcName":"upload","pathname":"/opt/capsule/code/aind/upload.py","process":1231,"thread":140245,"threadName":"uploader-2","bytes":1048576}`,
	`{"timestamp":"2026-03-01T08:15:03.001Z","level":"ERROR","message":"Frame checksum mismatch","name":"aind_data_transfer.session","hostname":"w10dt1","software_name":"aind-data-transfer","software_version":"1.4.2","rig_id":"frg_1_a","subject_id":"600012","lineno":301,"funcName":"verify","pathname":"/opt/capsule/code/aind/verify.py","process":1231,"exc_text":"Traceback (most recent call last):\n  File \"/opt/capsule/code/aind/verify.py\", line 301, in verify\n    raise ValueError(\"checksum\")\nValueError: checksum"}`,
	`{"timestamp":"2026-03-01T08:15:03.101Z","level":"WARNING","message":"Retrying request with password=hunter2 after timeout","name":"aind_data_transfer.http","hostname":"w10dt3","software_name":"aind-data-transfer","software_version":"1.4.2","rig_id":"frg_2_b","subject_id":"600013","acquisition_name":"ecephys_600013_2026-03-01_08-00-00","lineno":55,"funcName":"request","pathname":"/opt/capsule/code/aind/http.py","process":1240,"attempt":3,"timeout_s":2.5}`,
}

// BenchmarkDecodeAndProcess is the file input's hot path on one batch:
// decoding 100 lines as the receiver does, then the processor with its
// defaults (mapping, validation, redaction, Loki limits guard). Every
// allocation of a real batch happens inside the timer.
func BenchmarkDecodeAndProcess(b *testing.B) {
	tb, err := metadata.NewTelemetryBuilder(componenttest.NewNopTelemetrySettings())
	if err != nil {
		b.Fatal(err)
	}
	p := newTestProcessor(b, createDefaultConfig(), tb)
	p.now = func() time.Time { return lokifittest.Now }
	lines := make([][]byte, 100)
	size := 0
	for i := range lines {
		lines[i] = []byte(pipelineLines[i%len(pipelineLines)])
		size += len(lines[i])
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		ld := plog.NewLogs()
		records := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords()
		records.EnsureCapacity(len(lines))
		for _, line := range lines {
			jsonlines.DecodeLine(line, records.AppendEmpty())
		}
		if _, err := p.processLogs(context.Background(), ld); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(lines)), "ns/line")
}
