package validate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/mapping"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/pdatajson"
)

// One or more cases per rule, passing and failing.
func TestRules(t *testing.T) {
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
			lr := mapOne(t, defaultConfig(), tt.line)
			assert.Equal(t, tt.want, validationErrors(t, lr))
		})
	}
}

func TestRequired(t *testing.T) {
	cfg := defaultConfig()
	cfg.validation.Required = append(cfg.validation.Required, aind.KeyAcquisitionName, "status")

	lr := mapOne(t, cfg, record("acquisition_name", "123456_2026-01-01_23-00-00", "status", "ok"))
	assert.Nil(t, validationErrors(t, lr))

	lr = mapOne(t, cfg, record())
	assert.Equal(t, []string{"required.acquisition_name", "required.status"}, validationErrors(t, lr))

	// A required field's own rules still apply.
	lr = mapOne(t, cfg, record("acquisition_name", "123456", "status", "ok"))
	assert.Equal(t, []string{"acquisition_name.format"}, validationErrors(t, lr))

	// Nothing required.
	cfg = defaultConfig()
	cfg.validation.Required = nil
	lr = mapOne(t, cfg, `{"level":"INFO"}`)
	assert.Nil(t, validationErrors(t, lr))
}

// Renamed keys are validated under the AIND key they stand for.
func TestRenamedFields(t *testing.T) {
	cfg := defaultConfig()
	cfg.mapping.Fields = map[string]string{"levelname": "level", "asctime": "timestamp", "msg": "message", "mouse": "subject_id", "session": "acquisition_name", "version": "software_version", "line": "lineno"}

	lr := mapOne(t, cfg, `{"levelname":"WARNING","asctime":"2026-02-09T21:19:24Z","msg":"m","mouse":714392,"session":"714392_2026-02-09_21-00-00","version":"1.0.4","line":"7"}`)
	assert.Nil(t, validationErrors(t, lr), "renamed fields count as their AIND keys")
	assert.Equal(t, plog.SeverityNumberWarn, lr.SeverityNumber())

	lr = mapOne(t, cfg, `{"levelname":"WARN","asctime":"2026-02-09 21:19:24,061","msg":"m","mouse":1,"session":"714392_2026-02-09_21-00-00","version":"v?","line":"x"}`)
	assert.Equal(t, []string{"timestamp.no_zone", "level.unknown", "lineno.not_integer", "acquisition_name.subject_mismatch", "software_version.format"}, validationErrors(t, lr))

	// A key renamed away is no longer the AIND field.
	cfg = defaultConfig()
	cfg.mapping.Fields = map[string]string{"level": "severity"}
	lr = mapOne(t, cfg, record("level", "NOTICE"))
	assert.Equal(t, []string{"required.level"}, validationErrors(t, lr))

	// A resource field turned off is still validated under its own key, and
	// one moved to another attribute too.
	cfg = defaultConfig()
	cfg.mapping.ResourceFields["software_version"] = ""
	lr = mapOne(t, cfg, record("software_version", "latest"))
	assert.Equal(t, []string{"software_version.format"}, validationErrors(t, lr))
	cfg.mapping.ResourceFields["software_version"] = "app.version"
	cfg.mapping.Fields = map[string]string{"ver": "software_version"}
	lr = mapOne(t, cfg, record("ver", "latest"))
	assert.Equal(t, []string{"software_version.format"}, validationErrors(t, lr))
}

// The three input shapes validate alike.
func TestInputShapes(t *testing.T) {
	line := record("timestamp", "2026-02-09 21:19:24,061", "lineno", "x")
	want := []string{"timestamp.no_zone", "lineno.not_integer"}

	bodyString := plog.NewLogRecord()
	bodyString.Body().SetStr(line)
	attributes := plog.NewLogRecord()
	attributes.Body().SetStr(line)
	require.NoError(t, pdatajson.ParseObject([]byte(line), attributes.Attributes()))

	for name, lr := range map[string]plog.LogRecord{"body map": decode(line), "body string": bodyString, "attributes": attributes} {
		t.Run(name, func(t *testing.T) {
			require.True(t, process(t, defaultConfig(), lr))
			assert.Equal(t, want, validationErrors(t, lr))
		})
	}
}

func TestRulesSwitchedOff(t *testing.T) {
	cfg := defaultConfig()
	cfg.validation.Rules = map[string]bool{"timestamp.no_zone": false, "level.number": false, "level.unknown": true}
	lr := mapOne(t, cfg, record("timestamp", "2026-02-09 21:19:24,061", "level", 20))
	assert.Nil(t, validationErrors(t, lr))
	lr = mapOne(t, cfg, record("timestamp", "2026-02-09 21:19:24,061", "level", 25))
	assert.Equal(t, []string{"level.unknown"}, validationErrors(t, lr))

	cfg.validation.Enabled = false
	lr = mapOne(t, cfg, `{"timestamp":"yesterday","level":"NOTICE","lineno":"x"}`)
	assert.Nil(t, validationErrors(t, lr))

	// Nothing required and every rule off is off.
	cfg = defaultConfig()
	cfg.validation.Required = nil
	cfg.validation.Rules = map[string]bool{}
	for _, id := range RuleIDs() {
		cfg.validation.Rules[id] = false
	}
	require.NoError(t, cfg.validation.Validate())
	assert.Nil(t, New(&cfg.validation, mapping.New(cfg.mapping)))
	lr = mapOne(t, cfg, `{"timestamp":"yesterday","level":"NOTICE","lineno":"x"}`)
	assert.Nil(t, validationErrors(t, lr))
}

// The README's table of rules is the rules table.
func TestRulesDocumented(t *testing.T) {
	var want strings.Builder
	want.WriteString("| rule id | the record breaks it when |\n|---|---|\n")
	for _, r := range rules {
		want.WriteString("| `" + r.id + "` | " + r.description + " |\n")
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(readme), want.String()), "README.md's rules table must be exactly:\n%s", want.String())
}

func TestRulesTable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range rules {
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
	lr := plog.NewLogRecord()
	lr.SetTimestamp(1770671964061270000)
	lr.Body().SetStr(`{"level":"INFO","message":"pushed"}`)
	require.True(t, process(t, defaultConfig(), lr))
	_, flagged := lr.Attributes().Get(aind.AttrValidationErrors)
	assert.False(t, flagged, "attributes: %v", lr.Attributes().AsRaw())

	lr = plog.NewLogRecord()
	lr.Body().SetStr(`{"level":"INFO","message":"no time"}`)
	require.True(t, process(t, defaultConfig(), lr))
	errs, flagged := lr.Attributes().Get(aind.AttrValidationErrors)
	require.True(t, flagged)
	assert.Equal(t, []any{"required.timestamp"}, errs.Slice().AsRaw())
}

// A record that arrives with its severity set (a Loki push stream's level
// label) has a level, even without a level key; the line's own level, if
// any, is still checked.
func TestRequiredLevelSatisfiedByRecordSeverity(t *testing.T) {
	line := `{"timestamp":"2026-02-09T21:19:24.061270Z","message":"pushed"}`
	for name, set := range map[string]func(plog.LogRecord){
		"number": func(lr plog.LogRecord) { lr.SetSeverityNumber(plog.SeverityNumberError) },
		"text":   func(lr plog.LogRecord) { lr.SetSeverityText("verbose") },
	} {
		lr := plog.NewLogRecord()
		set(lr)
		lr.Body().SetStr(line)
		require.True(t, process(t, defaultConfig(), lr))
		_, flagged := lr.Attributes().Get(aind.AttrValidationErrors)
		assert.False(t, flagged, "%s: %v", name, lr.Attributes().AsRaw())
	}

	lr := plog.NewLogRecord()
	lr.Body().SetStr(line)
	require.True(t, process(t, defaultConfig(), lr))
	errs, flagged := lr.Attributes().Get(aind.AttrValidationErrors)
	require.True(t, flagged)
	assert.Equal(t, []any{"required.level"}, errs.Slice().AsRaw())
}

// A Python LogRecord (the socket input) has the required fields under its
// own names: they count, but its epoch-seconds created and its rig levels
// are that protocol's forms, not AIND JSON written wrong.
func TestLogRecordKeysStandIn(t *testing.T) {
	cfg := defaultConfig()
	lr := mapOne(t, cfg, `{"created":1770671964.25,"levelname":"START_STOP","levelno":35,"msg":"Action, Start","name":"camstim"}`)
	assert.Nil(t, validationErrors(t, lr))

	lr = mapOne(t, cfg, `{"levelno":35,"name":"camstim"}`)
	assert.Equal(t, []string{"required.timestamp", "required.message"}, validationErrors(t, lr))

	// The AIND keys themselves are still held to the standard's forms.
	lr = mapOne(t, cfg, `{"timestamp":1770671964.25,"level":35,"message":"m"}`)
	assert.Equal(t, []string{"timestamp.epoch", "level.unknown", "level.number"}, validationErrors(t, lr))
}
