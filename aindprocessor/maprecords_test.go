package aindprocessor

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit/lokifittest"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/validate"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/plogtest"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/telemetrytest"
)

// map_records: false, for OTLP: records already in OpenTelemetry's shape
// pass the mapping and validation untouched, and are redacted and fitted to
// Loki's limits like every other record.

// sdkJSONBody is the message of an OpenTelemetry SDK's record that happens
// to be JSON, breaking the standard's level rule: mapped, it would be taken
// apart; validated, it would be flagged.
const sdkJSONBody = `{"level": "LOUD", "message": "login", "password": "` + plainPass + `"}`

// sdkRecord is a batch as an OpenTelemetry SDK sends it: a resource without
// service.name, the SDK's scope, and one record whose body, attributes (a
// nested map and a slice) and resource hold secrets.
func sdkRecord() plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("telemetry.sdk.name", "opentelemetry")
	rl.Resource().Attributes().PutStr("deployment.key", awsKeyID)
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName("sdk-app")
	lr := sl.LogRecords().AppendEmpty()
	lr.SetTimestamp(pcommon.NewTimestampFromTime(lokifittest.Now.Add(-time.Minute)))
	lr.SetSeverityNumber(plog.SeverityNumberInfo)
	lr.SetSeverityText("INFO")
	lr.Body().SetStr(sdkJSONBody)
	attrs := lr.Attributes()
	attrs.PutStr("cloud.key", awsKeyID)
	attrs.PutStr("level", "LOUD") // an AIND key: mapped, it would become the severity
	request := attrs.PutEmptyMap("request")
	request.PutStr("path", "/login")
	request.PutEmptyMap("db").PutStr("password", plainPass)
	notes := attrs.PutEmptySlice("notes")
	notes.AppendEmpty().SetStr("token=" + plainPass)
	notes.AppendEmpty().SetEmptyMap().PutStr("note", "Bearer "+bearerCred)
	return ld
}

// newOTLPProcessor builds the processor with map_records off, telemetry a
// test can read, and the guard's clock pinned to lokifittest.Now.
func newOTLPProcessor(t *testing.T, edit func(*Config)) (*logsProcessor, *componenttest.Telemetry) {
	t.Helper()
	cfg := createDefaultConfig()
	cfg.MapRecords = false
	edit(cfg)
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	tb, err := metadata.NewTelemetryBuilder(tel.NewTelemetrySettings())
	require.NoError(t, err)
	p := newTestProcessor(t, cfg, tb)
	p.now = func() time.Time { return lokifittest.Now }
	return p, tel
}

func TestMapRecordsOffRedactsAndKeepsShape(t *testing.T) {
	p, tel := newOTLPProcessor(t, func(*Config) {})
	out, err := p.processLogs(context.Background(), sdkRecord())
	require.NoError(t, err)
	rl, sl, lr := plogtest.Only(t, out)

	assert.Equal(t, `{"level": "LOUD", "message": "login", "password": "[REDACTED]"}`, lr.Body().Str(),
		"the JSON body is not parsed, only redacted")
	assert.Equal(t, "INFO", lr.SeverityText())
	assert.Equal(t, plog.SeverityNumberInfo, lr.SeverityNumber())
	assert.Equal(t, map[string]any{
		"cloud.key": "[REDACTED]",
		"level":     "LOUD",
		"request":   map[string]any{"path": "/login", "db": map[string]any{"password": "[REDACTED]"}},
		"notes":     []any{"token=[REDACTED]", map[string]any{"note": "Bearer [REDACTED]"}},
		// body, cloud.key, request.db.password, notes (two) and the
		// resource's deployment.key
		aind.AttrRedactedCount: int64(6),
	}, lr.Attributes().AsRaw())
	assert.Equal(t, "sdk-app", sl.Scope().Name())
	assert.Equal(t, map[string]any{
		"telemetry.sdk.name": "opentelemetry",
		"deployment.key":     "[REDACTED]",
		"service.name":       aind.DefaultScopeName, // default_service_name
	}, rl.Resource().Attributes().AsRaw())

	assert.Equal(t, int64(0), telemetrytest.Sum(t, tel, "otelcol_processor_aind_records_mapped"))
	assert.Equal(t, int64(1), telemetrytest.Sum(t, tel, "otelcol_processor_aind_records_passthrough"))
}

// The same record with the mapping on is taken apart: what map_records
// false prevents.
func TestMapRecordsOnParsesJSONBody(t *testing.T) {
	p, _ := newOTLPProcessor(t, func(cfg *Config) { cfg.MapRecords = true })
	ld := sdkRecord()
	// Without its level attribute, which would make the attributes the
	// record and drop the body.
	ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).Attributes().Remove("level")
	out, err := p.processLogs(context.Background(), ld)
	require.NoError(t, err)
	_, _, lr := plogtest.Only(t, out)
	assert.Equal(t, "login", lr.Body().Str())
	_, flagged := lr.Attributes().Get(aind.AttrValidationErrors)
	assert.True(t, flagged)
}

// Off, nothing is validated: a record that breaks a rule is delivered under
// on_violation: drop, and no violation is counted.
func TestMapRecordsOffSkipsValidation(t *testing.T) {
	p, tel := newOTLPProcessor(t, func(cfg *Config) { cfg.Validation.OnViolation = validate.OnViolationDrop })
	out, err := p.processLogs(context.Background(), sdkRecord())
	require.NoError(t, err)
	_, _, lr := plogtest.Only(t, out)
	_, flagged := lr.Attributes().Get(aind.AttrValidationErrors)
	assert.False(t, flagged)
	assert.Empty(t, telemetrytest.SumBy(t, tel, "otelcol_processor_aind_validation_violations", "rule"))
}

// Off, the Loki limits guard still fits every record.
func TestMapRecordsOffKeepsLokiGuard(t *testing.T) {
	p, tel := newOTLPProcessor(t, func(*Config) {})
	ld, lr := lokifittest.Batch()
	lokifittest.Oversized(lr)
	out, err := p.processLogs(context.Background(), ld)
	require.NoError(t, err)
	_, _, got := plogtest.Only(t, out)

	truncated, _ := got.Attributes().Get(aind.AttrTruncated)
	assert.True(t, truncated.Bool())
	assert.LessOrEqual(t, len(got.Body().Str()), 256<<10)
	_, moved := got.Attributes().Get(aind.AttrTimestampOriginal)
	assert.True(t, moved, "the month-old timestamp is moved into Loki's window")
	assert.Equal(t, map[string]int64{"attribute_name": 1, "line_size": 1, "structured_metadata_entries": 1, "structured_metadata_size": 1, "timestamp": 1},
		telemetrytest.SumBy(t, tel, "otelcol_processor_aind_loki_limit_fixes", "limit"))
}
