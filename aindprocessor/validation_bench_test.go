package aindprocessor

import "testing"

// BenchmarkValidation measures the processor on batches of 100 benchLine
// records with validation on and off; the checks of one record alone are
// internal/validate's BenchmarkValidation.
func BenchmarkValidation(b *testing.B) {
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
