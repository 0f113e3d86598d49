package validate

import (
	"testing"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/mapping"
)

// benchLine is the processor benchmarks' line: every rule applies to it.
const benchLine = `{"timestamp": "2026-03-01T08:15:02.123456Z", "level": "DEBUG", "message": "Loaded 42 sessions", "name": "aind_data_schema.loader", "pathname": "/opt/capsule/code/run.py", "funcName": "load", "lineno": 118, "process": 1231, "thread": 140245, "software_name": "aind-data-schema", "software_version": "1.0.4.dev0", "hostname": "co-capsule-7f3a", "subject_id": "123456", "extra": {"probe": "ProbeA", "channels": [1, 2, 3]}}`

// BenchmarkValidation measures the checks of one prepared record. What
// validation adds to the processor is the root package's
// BenchmarkValidation/processLogs.
func BenchmarkValidation(b *testing.B) {
	cfg := defaultConfig()
	v := New(&cfg.validation, mapping.New(cfg.mapping))
	for name, line := range map[string]string{
		"check/valid":   benchLine,
		"check/invalid": record("timestamp", "2026-03-01 08:15:02,123", "level", 20, "lineno", "x", "subject_id", 1, "acquisition_name", "2_2026-13-01_00-00-00", "software_version", "latest"),
	} {
		b.Run(name, func(b *testing.B) {
			lr := preparedRecord(b, cfg, line)
			vb := v.Begin()
			defer vb.End()
			b.ReportAllocs()
			for b.Loop() {
				vb.Check(lr)
			}
		})
	}
}
