package aindprocessor

import (
	"context"
	"testing"
)

// BenchmarkValidation measures the checks of one prepared record (every rule
// applies to benchLine), and the processor on batches of 100 benchLine
// records with validation on and off.
func BenchmarkValidation(b *testing.B) {
	cfg := createDefaultConfig()
	v := compileValidation(&cfg.Validation, compile(cfg), nopTelemetry(b))
	for name, line := range map[string]string{
		"check/valid":   benchLine,
		"check/invalid": record("timestamp", "2026-03-01 08:15:02,123", "level", 20, "lineno", "x", "subject_id", 1, "acquisition_name", "2_2026-13-01_00-00-00", "software_version", "latest"),
	} {
		b.Run(name, func(b *testing.B) {
			lr := preparedRecord(b, cfg, line)
			vb := v.begin()
			defer vb.end(context.Background())
			b.ReportAllocs()
			for b.Loop() {
				vb.check(lr)
			}
		})
	}

	for _, on := range []bool{true, false} {
		name := "processLogs/off"
		if on {
			name = "processLogs/on"
		}
		b.Run(name, func(b *testing.B) {
			cfg := createDefaultConfig()
			cfg.Validation.Enabled = on
			benchProcessLogs(b, cfg, benchLine)
		})
	}
}
