package validate

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/mapping"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
)

// absent removes a key of validRecord in record.
var absent = struct{}{}

var validRecord = map[string]any{
	"timestamp": "2026-02-09T21:19:24.061270Z",
	"level":     "INFO",
	"message":   "m",
}

// record is validRecord with keys changed, added, or removed (absent), as
// one JSON line.
func record(kv ...any) string {
	m := make(map[string]any, len(validRecord)+len(kv)/2)
	for k, v := range validRecord {
		m[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		k := kv[i].(string)
		if kv[i+1] == absent {
			delete(m, k)
			continue
		}
		m[k] = kv[i+1]
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// validationErrors returns the record's aind.validation.errors, nil when it
// has none.
func validationErrors(t *testing.T, lr plog.LogRecord) []string {
	t.Helper()
	v, ok := lr.Attributes().Get(aind.AttrValidationErrors)
	if !ok {
		return nil
	}
	require.Equal(t, pcommon.ValueTypeSlice, v.Type())
	ids := []string{}
	for i := 0; i < v.Slice().Len(); i++ {
		ids = append(ids, v.Slice().At(i).Str())
	}
	return ids
}

// config is what validation is compiled from: the mapping's part of the
// processor's configuration, and the validation section.
type config struct {
	mapping    mapping.Config
	validation Config
}

// defaultConfig is the processor's default configuration.
func defaultConfig() *config {
	return &config{
		mapping:    mapping.Config{ResourceFields: aind.DefaultResourceFields(), DefaultServiceName: aind.DefaultScopeName, MapRecords: true},
		validation: DefaultConfig(),
	}
}

// decode decodes a JSON line as aindreceiver does.
func decode(line string) plog.LogRecord {
	lr := plog.NewLogRecord()
	jsonlines.DecodeLine(jsonlines.CleanLine([]byte(line)), lr)
	return lr
}

// process takes an AIND record through the processor's steps: prepare,
// check, map and annotate. It reports whether the record is kept.
func process(t testing.TB, cfg *config, lr plog.LogRecord) bool {
	t.Helper()
	plan := mapping.New(cfg.mapping)
	m := plan.NewMapper()
	require.True(t, m.Prepare(lr), "an AIND record")
	b := New(&cfg.validation, plan).Begin()
	defer b.End()
	if !b.Check(lr) {
		return false
	}
	m.Map(lr)
	b.Annotate(lr)
	return true
}

// mapOne decodes and processes a line.
func mapOne(t testing.TB, cfg *config, line string) plog.LogRecord {
	t.Helper()
	lr := decode(line)
	require.True(t, process(t, cfg, lr), "kept")
	return lr
}

// preparedRecord is a decoded line as the processor's loop has it between
// Prepare and Check.
func preparedRecord(t testing.TB, cfg *config, line string) plog.LogRecord {
	t.Helper()
	lr := decode(line)
	require.True(t, mapping.New(cfg.mapping).NewMapper().Prepare(lr))
	return lr
}
