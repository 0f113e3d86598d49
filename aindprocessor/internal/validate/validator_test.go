package validate

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/mapping"
)

// A valid record costs no allocation, whatever types its identifiers have.
func TestCheckAllocations(t *testing.T) {
	cfg := defaultConfig()
	for name, line := range map[string]string{
		"benchLine":      benchLine,
		"int identifier": record("subject_id", 714392, "specimen_id", 714392.0, "acquisition_name", "714392_2026-02-09_21-00-00", "lineno", "12", "process", 1, "thread", 2, "software_version", "v1.2.3-beta.1+build", "level", "critical"),
	} {
		t.Run(name, func(t *testing.T) {
			v := New(&cfg.validation, mapping.New(cfg.mapping))
			lr := preparedRecord(t, cfg, line)
			vb := v.Begin()
			defer vb.End()
			require.True(t, vb.Check(lr))
			require.Empty(t, vb.failed, "the record is valid")
			allocs := testing.AllocsPerRun(100, func() { vb.Check(lr) })
			assert.Zero(t, allocs)
		})
	}
}

// A batch counts by rule, in the order of Rules, and only its own records:
// the pooled state of a batch that ended starts again from zero.
func TestCounts(t *testing.T) {
	for _, mode := range []string{OnViolationAnnotate, OnViolationDrop, OnViolationIgnore} {
		t.Run(mode, func(t *testing.T) {
			cfg := defaultConfig()
			cfg.validation.OnViolation = mode
			v := New(&cfg.validation, mapping.New(cfg.mapping))
			for range 3 {
				b := v.Begin()
				var kept []bool
				for _, line := range []string{record("level", "WARN"), record(), record("level", "x", "lineno", "y")} {
					kept = append(kept, b.Check(preparedRecord(t, cfg, line)))
				}
				counts := map[string]int64{}
				for i, id := range v.Rules() {
					if n := b.Counts().Violations[i]; n > 0 {
						counts[id] = n
					}
				}
				assert.Equal(t, map[string]int64{"level.unknown": 2, "lineno.not_integer": 1}, counts)
				if mode == OnViolationDrop {
					assert.Equal(t, []bool{false, true, false}, kept)
					assert.Equal(t, int64(2), b.Counts().Dropped)
				} else {
					assert.Equal(t, []bool{true, true, true}, kept)
					assert.Zero(t, b.Counts().Dropped)
				}
				b.End()
			}
		})
	}
}

// Off, or with nothing to check, there is no validator, and its nil batch
// keeps every record and counts nothing.
func TestOff(t *testing.T) {
	cfg := defaultConfig()
	cfg.validation.Enabled = false
	v := New(&cfg.validation, mapping.New(cfg.mapping))
	require.Nil(t, v)
	assert.Nil(t, v.Rules())
	b := v.Begin()
	assert.True(t, b.Check(preparedRecord(t, cfg, `{"level":"NOTICE"}`)))
	assert.Equal(t, Counts{}, b.Counts())
	b.End()
}
