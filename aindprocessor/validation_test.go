package aindprocessor

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/pdatajson"
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

// One or more cases per rule, passing and failing.
func TestValidationRules(t *testing.T) {
	tests := []struct {
		name string
		line string
		want []string // nil: the record is valid
	}{
		{"the standard's example", record(), nil},
		{"the standard's canonical line", `{"timestamp": "2026-02-09T21:19:24.061270Z", "level": "INFO", "message": "Session recorded", "subject_id": "713491", "instrument_id": "frg_1_a", "status": "success", "user_id": "bobby.b", "wt_g": 23.93}`, nil},
		{"null counts as absent", record("lineno", nil, "subject_id", nil, "acquisition_name", "x"), []string{"acquisition_name.format"}},

		// required
		{"required: message missing", record("message", absent), []string{"required.message"}},
		{"required: all missing", `{"lineno":1,"subject_id":"1"}`, []string{"required.timestamp", "required.level", "required.message"}},
		{"required: null timestamp", record("timestamp", nil), []string{"required.timestamp"}},
		{"required: empty message is present", record("message", ""), nil},

		// timestamp
		{"timestamp Z", record("timestamp", "2026-02-09T21:19:24Z"), nil},
		{"timestamp +00:00", record("timestamp", "2026-02-09T21:19:24.5+00:00"), nil},
		{"timestamp lowercase t and z", record("timestamp", "2026-02-09t21:19:24z"), nil},
		{"timestamp offset", record("timestamp", "2026-02-09T22:19:24+01:00"), []string{"timestamp.not_utc"}},
		{"timestamp offset -0500", record("timestamp", "2026-02-09T16:19:24-0500"), []string{"timestamp.not_utc"}},
		{"timestamp no zone", record("timestamp", "2026-02-09T21:19:24.061"), []string{"timestamp.no_zone"}},
		{"timestamp python asctime", record("timestamp", "2026-02-09 21:19:24,061"), []string{"timestamp.no_zone"}},
		{"timestamp epoch seconds", record("timestamp", 1770671964), []string{"timestamp.epoch"}},
		{"timestamp epoch float", record("timestamp", 1770671964.06127), []string{"timestamp.epoch"}},
		{"timestamp epoch ms string", record("timestamp", "1770671964061"), []string{"timestamp.epoch"}},
		{"timestamp words", record("timestamp", "yesterday"), []string{"timestamp.unparseable"}},
		{"timestamp empty string", record("timestamp", ""), []string{"timestamp.unparseable"}},
		{"timestamp 30 February", record("timestamp", "2026-02-30T00:00:00Z"), []string{"timestamp.unparseable"}},
		{"timestamp bool", record("timestamp", true), []string{"timestamp.unparseable"}},
		{"timestamp object", record("timestamp", map[string]any{"s": 1}), []string{"timestamp.unparseable"}},

		// level
		{"level lowercase", record("level", "info"), nil},
		{"level the standard's CRITICAl", record("level", "CRITICAl"), nil},
		{"level each name", record("level", "Warning"), nil},
		{"level DEBUG", record("level", "DEBUG"), nil},
		{"level ERROR", record("level", "error"), nil},
		{"level WARN is not in the table", record("level", "WARN"), []string{"level.unknown"}},
		{"level FATAL is not in the table", record("level", "FATAL"), []string{"level.unknown"}},
		{"level TRACE is not in the table", record("level", "TRACE"), []string{"level.unknown"}},
		{"level unknown name", record("level", "NOTICE"), []string{"level.unknown"}},
		{"level padded", record("level", " INFO"), []string{"level.unknown"}},
		{"level python number", record("level", 20), []string{"level.number"}},
		{"level python number 50", record("level", 50), []string{"level.number"}},
		{"level python number as float", record("level", 40.0), []string{"level.number"}},
		{"level number between rows", record("level", 35), []string{"level.unknown", "level.number"}},
		{"level NOTSET", record("level", 0), []string{"level.unknown", "level.number"}},
		{"level numeric string", record("level", "20"), []string{"level.unknown"}},
		{"level object", record("level", map[string]any{"x": 1}), []string{"level.unknown"}},

		// lineno, process, thread
		{"integers", record("lineno", 20, "process", 1231, "thread", 140245), nil},
		{"integer strings", record("lineno", "20", "process", "1231", "thread", " 140245 "), nil},
		{"lineno words", record("lineno", "main"), []string{"lineno.not_integer"}},
		{"lineno fraction", record("lineno", 1.5), []string{"lineno.not_integer"}},
		{"process words", record("process", "python.exe"), []string{"process.not_integer"}},
		{"process bool", record("process", true), []string{"process.not_integer"}},
		{"thread hex", record("thread", "0x1f"), []string{"thread.not_integer"}},
		{"thread array", record("thread", []int{1}), []string{"thread.not_integer"}},
		{"all three", record("lineno", "a", "process", "b", "thread", "c"), []string{"lineno.not_integer", "process.not_integer", "thread.not_integer"}},

		// acquisition_name
		{"acquisition_name", record("acquisition_name", "123456_2026-01-01_23-00-00"), nil},
		{"acquisition_name leap day", record("acquisition_name", "123456_2024-02-29_00-00-59"), nil},
		{"acquisition_name subject with underscore", record("acquisition_name", "ecephys_123456_2026-01-01_23-00-00"), nil},
		{"acquisition_name not a leap year", record("acquisition_name", "123456_2026-02-29_00-00-00"), []string{"acquisition_name.format"}},
		{"acquisition_name month 13", record("acquisition_name", "123456_2026-13-01_00-00-00"), []string{"acquisition_name.format"}},
		{"acquisition_name hour 24", record("acquisition_name", "123456_2026-01-01_24-00-00"), []string{"acquisition_name.format"}},
		{"acquisition_name second 60", record("acquisition_name", "123456_2026-01-01_23-59-60"), []string{"acquisition_name.format"}},
		{"acquisition_name ISO time", record("acquisition_name", "123456_2026-01-01T23:00:00"), []string{"acquisition_name.format"}},
		{"acquisition_name no time", record("acquisition_name", "123456_2026-01-01"), []string{"acquisition_name.format"}},
		{"acquisition_name no subject", record("acquisition_name", "_2026-01-01_23-00-00"), []string{"acquisition_name.format"}},
		{"acquisition_name space in subject", record("acquisition_name", "123 456_2026-01-01_23-00-00"), []string{"acquisition_name.format"}},
		{"acquisition_name number", record("acquisition_name", 123456), []string{"acquisition_name.format"}},
		{"acquisition_name signed digits", record("acquisition_name", "123456_+026-01-01_23-00-00"), []string{"acquisition_name.format"}},

		// acquisition_name and subject_id
		{"acquisition_name of the subject", record("subject_id", "123456", "acquisition_name", "123456_2026-01-01_23-00-00"), nil},
		{"acquisition_name of the int subject", record("subject_id", 123456, "acquisition_name", "123456_2026-01-01_23-00-00"), nil},
		{"acquisition_name of the float subject", record("subject_id", 123456.0, "acquisition_name", "123456_2026-01-01_23-00-00"), nil},
		{"acquisition_name of another subject", record("subject_id", "654321", "acquisition_name", "123456_2026-01-01_23-00-00"), []string{"acquisition_name.subject_mismatch"}},
		{"acquisition_name of a longer subject", record("subject_id", 12345, "acquisition_name", "123456_2026-01-01_23-00-00"), []string{"acquisition_name.subject_mismatch"}},
		{"acquisition_name with a modality prefix", record("subject_id", "123456", "acquisition_name", "ecephys_123456_2026-01-01_23-00-00"), []string{"acquisition_name.subject_mismatch"}},
		{"acquisition_name is the subject", record("subject_id", "123456", "acquisition_name", "123456"), []string{"acquisition_name.format", "acquisition_name.subject_mismatch"}},
		{"acquisition_name with an object subject", record("subject_id", map[string]any{"id": 1}, "acquisition_name", "1_2026-01-01_23-00-00"), []string{"acquisition_name.subject_mismatch"}},
		{"subject_id alone", record("subject_id", 714392), nil},

		// specimen_id and subject_id
		{"specimen_id whole brain", record("subject_id", "123456", "specimen_id", "123456"), nil},
		{"specimen_id section", record("subject_id", 123456, "specimen_id", "123456_001"), nil},
		{"specimen_id int", record("subject_id", "123456", "specimen_id", 123456), nil},
		{"specimen_id of another subject", record("subject_id", "123456", "specimen_id", "654321_001"), []string{"specimen_id.subject_mismatch"}},
		{"specimen_id alone", record("specimen_id", "654321_001"), nil},

		// software_version
		{"software_version PEP 440 dev", record("software_version", "1.0.4.dev0"), nil},
		{"software_version PEP 440 rc", record("software_version", "2.1.0rc1"), nil},
		{"software_version SemVer", record("software_version", "v1.2.3-beta.1+build"), nil},
		{"software_version SemVer only", record("software_version", "1.0.0-x.7.z.92+21AF26D3----117B344092BD"), nil},
		{"software_version words", record("software_version", "latest"), []string{"software_version.format"}},
		{"software_version git hash", record("software_version", "3f2a9c1"), []string{"software_version.format"}},
		{"software_version number", record("software_version", 1.0), []string{"software_version.format"}},
		{"software_version trailing space", record("software_version", "1.0.4 "), []string{"software_version.format"}},

		// several at once, in the table's order after the required fields
		{"several", record("message", absent, "timestamp", 1770671964, "level", "WARN", "lineno", "x", "software_version", "?"), []string{"required.message", "timestamp.epoch", "level.unknown", "lineno.not_integer", "software_version.format"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, lr := mapOne(t, createDefaultConfig(), tt.line)
			assert.Equal(t, tt.want, validationErrors(t, lr))
		})
	}
}

func TestValidationRequired(t *testing.T) {
	cfg := createDefaultConfig()
	cfg.Validation.Required = append(cfg.Validation.Required, aind.KeyAcquisitionName, "status")

	_, _, lr := mapOne(t, cfg, record("acquisition_name", "123456_2026-01-01_23-00-00", "status", "ok"))
	assert.Nil(t, validationErrors(t, lr))

	_, _, lr = mapOne(t, cfg, record())
	assert.Equal(t, []string{"required.acquisition_name", "required.status"}, validationErrors(t, lr))

	// A required field's own rules still apply.
	_, _, lr = mapOne(t, cfg, record("acquisition_name", "123456", "status", "ok"))
	assert.Equal(t, []string{"acquisition_name.format"}, validationErrors(t, lr))

	// Nothing required.
	cfg = createDefaultConfig()
	cfg.Validation.Required = nil
	_, _, lr = mapOne(t, cfg, `{"level":"INFO"}`)
	assert.Nil(t, validationErrors(t, lr))
}

// Renamed keys are validated under the AIND key they stand for.
func TestValidationRenamedFields(t *testing.T) {
	cfg := createDefaultConfig()
	cfg.Fields = map[string]string{"levelname": "level", "asctime": "timestamp", "msg": "message", "mouse": "subject_id", "session": "acquisition_name", "version": "software_version", "line": "lineno"}

	_, _, lr := mapOne(t, cfg, `{"levelname":"WARNING","asctime":"2026-02-09T21:19:24Z","msg":"m","mouse":714392,"session":"714392_2026-02-09_21-00-00","version":"1.0.4","line":"7"}`)
	assert.Nil(t, validationErrors(t, lr), "renamed fields count as their AIND keys")
	assert.Equal(t, plog.SeverityNumberWarn, lr.SeverityNumber())

	_, _, lr = mapOne(t, cfg, `{"levelname":"WARN","asctime":"2026-02-09 21:19:24,061","msg":"m","mouse":1,"session":"714392_2026-02-09_21-00-00","version":"v?","line":"x"}`)
	assert.Equal(t, []string{"timestamp.no_zone", "level.unknown", "lineno.not_integer", "acquisition_name.subject_mismatch", "software_version.format"}, validationErrors(t, lr))

	// A key renamed away is no longer the AIND field.
	cfg = createDefaultConfig()
	cfg.Fields = map[string]string{"level": "severity"}
	_, _, lr = mapOne(t, cfg, record("level", "NOTICE"))
	assert.Equal(t, []string{"required.level"}, validationErrors(t, lr))

	// A resource field turned off is still validated under its own key, and
	// one moved to another attribute too.
	cfg = createDefaultConfig()
	cfg.ResourceFields["software_version"] = ""
	_, _, lr = mapOne(t, cfg, record("software_version", "latest"))
	assert.Equal(t, []string{"software_version.format"}, validationErrors(t, lr))
	cfg.ResourceFields["software_version"] = "app.version"
	cfg.Fields = map[string]string{"ver": "software_version"}
	_, _, lr = mapOne(t, cfg, record("ver", "latest"))
	assert.Equal(t, []string{"software_version.format"}, validationErrors(t, lr))
}

// The three input shapes validate alike.
func TestValidationInputShapes(t *testing.T) {
	line := record("timestamp", "2026-02-09 21:19:24,061", "lineno", "x")
	want := []string{"timestamp.no_zone", "lineno.not_integer"}

	bodyString := plog.NewLogs()
	bodyString.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty().Body().SetStr(line)
	attributes := plog.NewLogs()
	lr := attributes.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
	lr.Body().SetStr(line)
	require.NoError(t, pdatajson.ParseObject([]byte(line), lr.Attributes()))

	for name, ld := range map[string]plog.Logs{"body map": linesToLogs(nil, line), "body string": bodyString, "attributes": attributes} {
		t.Run(name, func(t *testing.T) {
			_, _, lr := only(t, process(t, createDefaultConfig(), ld))
			assert.Equal(t, want, validationErrors(t, lr))
		})
	}
}

func TestValidationRulesSwitchedOff(t *testing.T) {
	cfg := createDefaultConfig()
	cfg.Validation.Rules = map[string]bool{"timestamp.no_zone": false, "level.number": false, "level.unknown": true}
	_, _, lr := mapOne(t, cfg, record("timestamp", "2026-02-09 21:19:24,061", "level", 20))
	assert.Nil(t, validationErrors(t, lr))
	_, _, lr = mapOne(t, cfg, record("timestamp", "2026-02-09 21:19:24,061", "level", 25))
	assert.Equal(t, []string{"level.unknown"}, validationErrors(t, lr))

	cfg.Validation.Enabled = false
	_, _, lr = mapOne(t, cfg, `{"timestamp":"yesterday","level":"NOTICE","lineno":"x"}`)
	assert.Nil(t, validationErrors(t, lr))

	// Nothing required and every rule off is off.
	cfg = createDefaultConfig()
	cfg.Validation.Required = nil
	cfg.Validation.Rules = map[string]bool{}
	for _, id := range ruleIDs() {
		cfg.Validation.Rules[id] = false
	}
	require.NoError(t, cfg.Validate())
	assert.Nil(t, compileValidation(&cfg.Validation, compile(cfg), nopTelemetry(t)))
	_, _, lr = mapOne(t, cfg, `{"timestamp":"yesterday","level":"NOTICE","lineno":"x"}`)
	assert.Nil(t, validationErrors(t, lr))
}

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

// violationCounts reads otelcol_processor_aind_validation_violations by rule.
func violationCounts(t *testing.T, tel *componenttest.Telemetry) map[string]int64 {
	t.Helper()
	counts := map[string]int64{}
	got, err := tel.GetMetric("otelcol_processor_aind_validation_violations")
	if err != nil {
		return counts
	}
	for _, dp := range got.Data.(metricdata.Sum[int64]).DataPoints {
		require.Equal(t, 1, dp.Attributes.Len(), "only the rule attribute")
		v, ok := dp.Attributes.Value(attribute.Key("rule"))
		require.True(t, ok)
		counts[v.AsString()] = dp.Value
	}
	return counts
}

func droppedCount(t *testing.T, tel *componenttest.Telemetry) int64 {
	t.Helper()
	got, err := tel.GetMetric("otelcol_processor_aind_validation_dropped")
	if err != nil {
		return 0
	}
	var n int64
	for _, dp := range got.Data.(metricdata.Sum[int64]).DataPoints {
		n += dp.Value
	}
	return n
}

// validationBatch holds two valid records, three that break rules (the
// secret must never show up outside its own field), and one that is not an
// AIND record.
func validationInput() plog.Logs {
	return linesToLogs(nil,
		record("message", "valid 1"),
		record("message", "bad 1", "timestamp", "2026-02-09 21:19:24,061", "level", 20),
		record("message", "bad 2", "level", "WARN", "software_version", "hunter2-secret"),
		record("message", "valid 2", "subject_id", 1, "specimen_id", "1_001"),
		record("message", absent, "lineno", "hunter2-secret"),
		"not json",
	)
}

func bodies(ld plog.Logs) []string {
	var out []string
	for i := 0; i < ld.ResourceLogs().Len(); i++ {
		sls := ld.ResourceLogs().At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				out = append(out, lrs.At(k).Body().AsString())
			}
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
	for _, mode := range []string{OnViolationAnnotate, OnViolationDrop, OnViolationIgnore} {
		t.Run(mode, func(t *testing.T) {
			cfg := createDefaultConfig()
			cfg.Validation.OnViolation = mode
			require.NoError(t, cfg.Validate())
			p, tel := newValidationProcessor(t, cfg)
			out, err := p.processLogs(context.Background(), validationInput())
			require.NoError(t, err)

			errs := map[string][]string{}
			for i := 0; i < out.ResourceLogs().Len(); i++ {
				sls := out.ResourceLogs().At(i).ScopeLogs()
				for j := 0; j < sls.Len(); j++ {
					lrs := sls.At(j).LogRecords()
					for k := 0; k < lrs.Len(); k++ {
						errs[lrs.At(k).Body().AsString()] = validationErrors(t, lrs.At(k))
					}
				}
			}
			switch mode {
			case OnViolationAnnotate:
				assert.Equal(t, map[string][]string{
					"valid 1":  nil,
					"bad 1":    {"timestamp.no_zone", "level.number"},
					"bad 2":    {"level.unknown", "software_version.format"},
					"valid 2":  nil,
					"":         {"required.message", "lineno.not_integer"},
					"not json": nil,
				}, errs)
				assert.Zero(t, droppedCount(t, tel))
			case OnViolationDrop:
				assert.Equal(t, []string{"valid 1", "valid 2", "not json"}, bodies(out), "only valid records and the passthrough one are delivered")
				assert.Equal(t, int64(3), droppedCount(t, tel))
			case OnViolationIgnore:
				assert.Equal(t, map[string][]string{"valid 1": nil, "bad 1": nil, "bad 2": nil, "valid 2": nil, "": nil, "not json": nil}, errs)
				assert.Zero(t, droppedCount(t, tel))
			}
			assert.Equal(t, wantCounts, violationCounts(t, tel), "every mode counts, by rule")

			// The mapped count leaves out dropped records.
			got, err := tel.GetMetric("otelcol_processor_aind_records_mapped")
			require.NoError(t, err)
			mapped := got.Data.(metricdata.Sum[int64]).DataPoints[0].Value
			if mode == OnViolationDrop {
				assert.Equal(t, int64(2), mapped)
			} else {
				assert.Equal(t, int64(5), mapped)
			}

			// No value reaches the annotation or the metrics.
			raw, err := (&plog.JSONMarshaler{}).MarshalLogs(out)
			require.NoError(t, err)
			assert.LessOrEqual(t, strings.Count(string(raw), "hunter2"), 2, "only in the fields themselves")
			for rule := range violationCounts(t, tel) {
				assert.NotContains(t, rule, "hunter2")
			}
		})
	}
}

// Counters add up over batches, and a second batch reuses the pooled state.
func TestValidationCountsAcrossBatches(t *testing.T) {
	p, tel := newValidationProcessor(t, createDefaultConfig())
	for range 3 {
		_, err := p.processLogs(context.Background(), linesToLogs(nil, record("level", "WARN"), record(), record("level", "x", "lineno", "y")))
		require.NoError(t, err)
	}
	assert.Equal(t, map[string]int64{"level.unknown": 6, "lineno.not_integer": 3}, violationCounts(t, tel))
}

// Records that hold no AIND record are neither validated nor counted.
func TestValidationSkipsPassthrough(t *testing.T) {
	cfg := createDefaultConfig()
	cfg.Validation.OnViolation = OnViolationDrop
	p, tel := newValidationProcessor(t, cfg)
	ld := linesToLogs(nil, "not json", `{"truncated": `)
	ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().AppendEmpty().Body().SetStr("plain text")
	out, err := p.processLogs(context.Background(), ld)
	require.NoError(t, err)
	assert.Equal(t, 3, out.LogRecordCount())
	assert.Empty(t, violationCounts(t, tel))
}

// A valid record costs no allocation, whatever types its identifiers have.
func TestValidationAllocations(t *testing.T) {
	cfg := createDefaultConfig()
	for name, line := range map[string]string{
		"benchLine":      benchLine,
		"int identifier": record("subject_id", 714392, "specimen_id", 714392.0, "acquisition_name", "714392_2026-02-09_21-00-00", "lineno", "12", "process", 1, "thread", 2, "software_version", "v1.2.3-beta.1+build", "level", "critical"),
	} {
		t.Run(name, func(t *testing.T) {
			v := compileValidation(&cfg.Validation, compile(cfg), nopTelemetry(t))
			lr := preparedRecord(t, cfg, line)
			vb := v.begin()
			defer vb.end(context.Background())
			require.True(t, vb.check(lr))
			require.Empty(t, vb.failed, "the record is valid")
			allocs := testing.AllocsPerRun(100, func() { vb.check(lr) })
			assert.Zero(t, allocs)
		})
	}
}

func nopTelemetry(t testing.TB) *metadata.TelemetryBuilder {
	tb, err := metadata.NewTelemetryBuilder(componenttest.NewNopTelemetrySettings())
	require.NoError(t, err)
	return tb
}

// preparedRecord is a decoded line as the processor's loop has it between
// prepare and mapRecord.
func preparedRecord(t testing.TB, cfg *Config, line string) plog.LogRecord {
	lr := linesToLogs(nil, line).ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0)
	require.True(t, newMapper(compile(cfg)).prepare(lr))
	return lr
}

// The README's table of rules is the rules table.
func TestValidationRulesDocumented(t *testing.T) {
	var want strings.Builder
	want.WriteString("| rule id | the record breaks it when |\n|---|---|\n")
	for _, r := range validationRules {
		want.WriteString("| `" + r.id + "` | " + r.description + " |\n")
	}
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(readme), want.String()), "README.md's rules table must be exactly:\n%s", want.String())
}

func TestValidationRulesTable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range validationRules {
		assert.False(t, seen[r.id], "%s twice", r.id)
		seen[r.id] = true
		assert.False(t, strings.HasPrefix(r.id, requiredRulePrefix), r.id)
		assert.NotEmpty(t, r.description, r.id)
		assert.NotEmpty(t, r.needs, r.id)
		require.NotNil(t, r.check, r.id)
	}
	// The standard's level table is five rows of the mapping's.
	var names []string
	for _, l := range aind.Levels {
		if l.Python >= pythonDebug {
			names = append(names, l.Name)
		}
	}
	assert.Equal(t, []string{"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}, names)
}

// A record that arrives with its Timestamp set (a Loki push entry's time)
// has a timestamp, even without a timestamp key.
func TestRequiredTimestampSatisfiedByRecordTime(t *testing.T) {
	ld := plog.NewLogs()
	lr := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
	lr.SetTimestamp(1770671964061270000)
	lr.Body().SetStr(`{"level":"INFO","message":"pushed"}`)
	_, _, got := only(t, process(t, createDefaultConfig(), ld))
	_, flagged := got.Attributes().Get(aind.AttrValidationErrors)
	assert.False(t, flagged, "attributes: %v", got.Attributes().AsRaw())

	ld = plog.NewLogs()
	ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty().Body().SetStr(`{"level":"INFO","message":"no time"}`)
	_, _, got = only(t, process(t, createDefaultConfig(), ld))
	errs, flagged := got.Attributes().Get(aind.AttrValidationErrors)
	require.True(t, flagged)
	assert.Equal(t, []any{"required.timestamp"}, errs.Slice().AsRaw())
}
