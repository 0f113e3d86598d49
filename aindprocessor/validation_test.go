package aindprocessor

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/validate"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/plogtest"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/telemetrytest"
)

// The processor's side of validation: what the validator decides reaches
// the output and the metrics. The rules themselves are tested in
// internal/validate.

// newValidationProcessor builds the processor with telemetry that a test can
// read.
func newValidationProcessor(t *testing.T, cfg *Config) (*logsProcessor, *componenttest.Telemetry) {
	t.Helper()
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	tb, err := metadata.NewTelemetryBuilder(tel.NewTelemetrySettings())
	require.NoError(t, err)
	cfg.LokiLimits.Enabled = false // the records' times are fixed
	return newTestProcessor(t, cfg, tb), tel
}

// validationInput holds two valid records, three that break rules (the
// secret must never show up outside its own field), and one that is not an
// AIND record.
func validationInput() plog.Logs {
	return plogtest.LinesToLogs(nil,
		`{"timestamp":"2026-02-09T21:19:24.061270Z","level":"INFO","message":"valid 1"}`,
		`{"timestamp":"2026-02-09 21:19:24,061","level":20,"message":"bad 1"}`,
		`{"timestamp":"2026-02-09T21:19:24.061270Z","level":"WARN","message":"bad 2","software_version":"hunter2-secret"}`,
		`{"timestamp":"2026-02-09T21:19:24.061270Z","level":"INFO","message":"valid 2","subject_id":1,"specimen_id":"1_001"}`,
		`{"timestamp":"2026-02-09T21:19:24.061270Z","level":"INFO","lineno":"hunter2-secret"}`,
		"not json",
	)
}

// validationErrors returns the record's aind.validation.errors, nil when it
// has none.
func validationErrors(lr plog.LogRecord) []any {
	v, ok := lr.Attributes().Get(aind.AttrValidationErrors)
	if !ok {
		return nil
	}
	return v.Slice().AsRaw()
}

func bodies(ld plog.Logs) []string {
	var out []string
	for i := 0; i < ld.ResourceLogs().Len(); i++ {
		sls := ld.ResourceLogs().At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			out = append(out, recordBodies(sls.At(j).LogRecords())...)
		}
	}
	return out
}

func TestValidationOnViolation(t *testing.T) {
	wantCounts := map[string]int64{
		"required.message":        1,
		"timestamp.no_zone":       1,
		"level.number":            1,
		"level.unknown":           1,
		"software_version.format": 1,
		"lineno.not_integer":      1,
	}
	for _, mode := range []string{validate.OnViolationAnnotate, validate.OnViolationDrop, validate.OnViolationIgnore} {
		t.Run(mode, func(t *testing.T) {
			cfg := createDefaultConfig()
			cfg.Validation.OnViolation = mode
			require.NoError(t, cfg.Validate())
			p, tel := newValidationProcessor(t, cfg)
			out, err := p.processLogs(context.Background(), validationInput())
			require.NoError(t, err)

			errs := map[string][]any{}
			for i := 0; i < out.ResourceLogs().Len(); i++ {
				sls := out.ResourceLogs().At(i).ScopeLogs()
				for j := 0; j < sls.Len(); j++ {
					lrs := sls.At(j).LogRecords()
					for k := 0; k < lrs.Len(); k++ {
						errs[lrs.At(k).Body().AsString()] = validationErrors(lrs.At(k))
					}
				}
			}
			switch mode {
			case validate.OnViolationAnnotate:
				assert.Equal(t, map[string][]any{
					"valid 1":  nil,
					"bad 1":    {"timestamp.no_zone", "level.number"},
					"bad 2":    {"level.unknown", "software_version.format"},
					"valid 2":  nil,
					"":         {"required.message", "lineno.not_integer"},
					"not json": nil,
				}, errs)
				assert.Zero(t, telemetrytest.Sum(t, tel, "otelcol_processor_aind_validation_dropped"))
			case validate.OnViolationDrop:
				assert.Equal(t, []string{"valid 1", "valid 2", "not json"}, bodies(out), "only valid records and the passthrough one are delivered")
				assert.Equal(t, int64(3), telemetrytest.Sum(t, tel, "otelcol_processor_aind_validation_dropped"))
			case validate.OnViolationIgnore:
				assert.Equal(t, map[string][]any{"valid 1": nil, "bad 1": nil, "bad 2": nil, "valid 2": nil, "": nil, "not json": nil}, errs)
				assert.Zero(t, telemetrytest.Sum(t, tel, "otelcol_processor_aind_validation_dropped"))
			}
			assert.Equal(t, wantCounts, telemetrytest.SumBy(t, tel, "otelcol_processor_aind_validation_violations", "rule"), "every mode counts, by rule")

			// The mapped count leaves out dropped records.
			mapped := telemetrytest.Sum(t, tel, "otelcol_processor_aind_records_mapped")
			if mode == validate.OnViolationDrop {
				assert.Equal(t, int64(2), mapped)
			} else {
				assert.Equal(t, int64(5), mapped)
			}

			// No value reaches the annotation or the metrics.
			raw, err := (&plog.JSONMarshaler{}).MarshalLogs(out)
			require.NoError(t, err)
			assert.LessOrEqual(t, strings.Count(string(raw), "hunter2"), 2, "only in the fields themselves")
			for rule := range telemetrytest.SumBy(t, tel, "otelcol_processor_aind_validation_violations", "rule") {
				assert.NotContains(t, rule, "hunter2")
			}
		})
	}
}

// Counters add up over batches, and a second batch reuses the pooled state.
func TestValidationCountsAcrossBatches(t *testing.T) {
	p, tel := newValidationProcessor(t, createDefaultConfig())
	for range 3 {
		_, err := p.processLogs(context.Background(), plogtest.LinesToLogs(nil,
			`{"timestamp":"2026-02-09T21:19:24.061270Z","level":"WARN","message":"m"}`,
			`{"timestamp":"2026-02-09T21:19:24.061270Z","level":"INFO","message":"m"}`,
			`{"timestamp":"2026-02-09T21:19:24.061270Z","level":"x","message":"m","lineno":"y"}`,
		))
		require.NoError(t, err)
	}
	assert.Equal(t, map[string]int64{"level.unknown": 6, "lineno.not_integer": 3}, telemetrytest.SumBy(t, tel, "otelcol_processor_aind_validation_violations", "rule"))
}

// Records that hold no AIND record are neither validated nor counted.
func TestValidationSkipsPassthrough(t *testing.T) {
	cfg := createDefaultConfig()
	cfg.Validation.OnViolation = validate.OnViolationDrop
	p, tel := newValidationProcessor(t, cfg)
	ld := plogtest.LinesToLogs(nil, "not json", `{"truncated": `)
	ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().AppendEmpty().Body().SetStr("plain text")
	out, err := p.processLogs(context.Background(), ld)
	require.NoError(t, err)
	assert.Equal(t, 3, out.LogRecordCount())
	assert.Empty(t, telemetrytest.SumBy(t, tel, "otelcol_processor_aind_validation_violations", "rule"))
}
