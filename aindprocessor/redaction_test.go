package aindprocessor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/plogtest"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/telemetrytest"
)

const testHashKey = "0123456789abcdef0123456789abcdef-test"

// Secrets of the processor-level tests, as in internal/redact's tests:
// well-known documentation examples or made up; none is live.
const (
	awsKeyID    = "AKIAIOSFODNN7EXAMPLE"
	awsSTSKeyID = "ASIAY34FZKBOKMUTVV7A"
	ghpToken    = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
	jwtToken    = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
	bearerCred  = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	plainPass   = "hunter2"
)

// TestRedactionPipeline runs whole records through the processor.
func TestRedactionPipeline(t *testing.T) {
	line := `{"timestamp": "2026-03-01T08:15:02Z", "level": "INFO", "message": "login password=` + plainPass + ` ok",` +
		` "name": "app.` + ghpToken + `", "hostname": "host-` + awsKeyID + `", "software_name": "waterlog",` +
		` "db_password": 1234, "extra": {"credentials": {"user": "bob", "pass": "x"}, "list": ["Bearer ` + bearerCred + `", {"apiKey": "k1"}], "probe": "ProbeA"}}`
	rl, sl, lr := mapOne(t, createDefaultConfig(), line)

	assert.Equal(t, "login password=[REDACTED] ok", lr.Body().Str())
	assert.Equal(t, "app.[REDACTED]", sl.Scope().Name())
	host, _ := rl.Resource().Attributes().Get("host.name")
	assert.Equal(t, "host-[REDACTED]", host.Str())
	v, _ := lr.Attributes().Get("db_password")
	assert.Equal(t, "[REDACTED]", v.Str(), "an int under a blocked key")
	extra, _ := lr.Attributes().Get("extra")
	assert.Equal(t, map[string]any{
		"credentials": "[REDACTED]",
		"list":        []any{"Bearer [REDACTED]", map[string]any{"apiKey": "[REDACTED]"}},
		"probe":       "ProbeA",
	}, extra.Map().AsRaw())
	count, ok := lr.Attributes().Get(aind.AttrRedactedCount)
	require.True(t, ok)
	assert.Equal(t, int64(7), count.Int(), "body, scope, resource, db_password, credentials, bearer, apiKey")
	_, ok = lr.Attributes().Get(aind.AttrRedactedKeys)
	assert.False(t, ok, "no key names unless report_keys")
}

func TestRedactionPassthroughAndParseError(t *testing.T) {
	ld := plogtest.LinesToLogs(map[string]string{"co.capsule.id": "c1"}, `password=`+plainPass+` user=bob (not JSON)`)
	_, _, lr := plogtest.Only(t, process(t, createDefaultConfig(), ld))
	assert.Equal(t, "password=[REDACTED] user=bob (not JSON)", lr.Body().Str())
	perr, ok := lr.Attributes().Get(aind.AttrParseError)
	require.True(t, ok)
	assert.NotContains(t, perr.Str(), plainPass)
	count, _ := lr.Attributes().Get(aind.AttrRedactedCount)
	assert.Equal(t, int64(1), count.Int())

	// A non-AIND record with its own resource and scope.
	ld = plog.NewLogs()
	rlIn := ld.ResourceLogs().AppendEmpty()
	rlIn.Resource().Attributes().PutStr("k8s.note", "password="+plainPass)
	rlIn.Resource().Attributes().PutStr("api_token", "t0k3n")
	slIn := rlIn.ScopeLogs().AppendEmpty()
	slIn.Scope().SetName("lib")
	slIn.Scope().Attributes().PutStr("client_secret", "cs")
	for range 2 {
		r := slIn.LogRecords().AppendEmpty()
		r.Body().SetStr("plain text")
		r.SetSeverityText("INFO token=" + plainPass)
	}
	out := process(t, createDefaultConfig(), ld)
	res := out.ResourceLogs().At(0).Resource().Attributes().AsRaw()
	assert.Equal(t, map[string]any{"k8s.note": "password=[REDACTED]", "api_token": "[REDACTED]", "service.name": "aind"}, res)
	scope := out.ResourceLogs().At(0).ScopeLogs().At(0)
	assert.Equal(t, map[string]any{"client_secret": "[REDACTED]"}, scope.Scope().Attributes().AsRaw())
	for i := range 2 {
		r := scope.LogRecords().At(i)
		assert.Equal(t, "INFO token=[REDACTED]", r.SeverityText())
		count, _ := r.Attributes().Get(aind.AttrRedactedCount)
		assert.Equal(t, int64(4), count.Int(), "severity text, scope attribute and two resource attributes")
	}
}

func TestRedactionReportKeys(t *testing.T) {
	cfg := createDefaultConfig()
	cfg.Redaction.ReportKeys = true
	line := `{"timestamp": "2026-03-01T08:15:02Z", "level": "INFO", "message": "token=abc123", "hostname": "h-` + awsKeyID + `",` +
		` "extra": {"pwd": "x", "list": [{"note": "` + jwtToken + `"}]}}`
	_, _, lr := mapOne(t, cfg, line)
	keys, ok := lr.Attributes().Get(aind.AttrRedactedKeys)
	require.True(t, ok)
	assert.Equal(t, []any{"attributes.extra.list.note", "attributes.extra.pwd", "body", "resource.host.name"}, keys.Slice().AsRaw())
}

func TestRedactionDisabled(t *testing.T) {
	line := `{"timestamp": "2026-03-01T08:15:02Z", "level": "INFO", "message": "password=` + plainPass + `", "token": "t", "hostname": "` + awsKeyID + `"}`
	on := createDefaultConfig()
	off := createDefaultConfig()
	off.Redaction.Enabled = false
	withoutRedaction := process(t, off, plogtest.LinesToLogs(nil, line))
	_, _, lr := plogtest.Only(t, withoutRedaction)
	assert.Equal(t, "password="+plainPass, lr.Body().Str())
	_, ok := lr.Attributes().Get(aind.AttrRedactedCount)
	assert.False(t, ok)

	// Off changes nothing else: the output equals the redacting output with
	// the secrets put back.
	redacted := process(t, on, plogtest.LinesToLogs(nil, line))
	_, _, lr2 := plogtest.Only(t, redacted)
	lr2.Body().SetStr("password=" + plainPass)
	lr2.Attributes().PutStr("token", "t")
	lr2.Attributes().Remove(aind.AttrRedactedCount)
	redacted.ResourceLogs().At(0).Resource().Attributes().PutStr("host.name", awsKeyID)
	assert.Equal(t, marshalJSON(t, withoutRedaction), marshalJSON(t, redacted))
}

func marshalJSON(t testing.TB, ld plog.Logs) string {
	t.Helper()
	b, err := (&plog.JSONMarshaler{}).MarshalLogs(ld)
	require.NoError(t, err)
	return string(b)
}

// A record that went through the processor once (an agent's, say) and
// goes through it again (the gateway's): the first pass removed the
// secrets, and the second finds nothing more to redact and changes nothing,
// the placeholders and the count included.
func TestRedactionIdempotentChain(t *testing.T) {
	line := `{"timestamp": "2026-03-01T08:15:02Z", "level": "INFO", "message": "password=` + plainPass + `", "token": "t", "hostname": "` + awsKeyID + `"}`
	once := process(t, createDefaultConfig(), plogtest.LinesToLogs(nil, line))
	first := marshalJSON(t, once)
	assert.NotContains(t, first, plainPass)
	assert.NotContains(t, first, awsKeyID)
	rl, _, lr := plogtest.Only(t, once)
	assert.Equal(t, "password=[REDACTED]", lr.Body().Str())
	token, _ := lr.Attributes().Get("token")
	assert.Equal(t, "[REDACTED]", token.Str())
	count, _ := lr.Attributes().Get(aind.AttrRedactedCount)
	assert.Equal(t, int64(3), count.Int(), "body, token, host.name")
	host, _ := rl.Resource().Attributes().Get("host.name")
	assert.Equal(t, "[REDACTED]", host.Str())

	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	tb, err := metadata.NewTelemetryBuilder(tel.NewTelemetrySettings())
	require.NoError(t, err)
	newTestProcessor(t, createDefaultConfig(), tb).redact(context.Background(), once)
	assert.Equal(t, first, marshalJSON(t, once))
	assert.Zero(t, telemetrytest.Sum(t, tel, "otelcol_processor_aind_redactions"), "the second pass redacted something")
}

func TestRedactionMetric(t *testing.T) {
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	tb, err := metadata.NewTelemetryBuilder(tel.NewTelemetrySettings())
	require.NoError(t, err)
	p := newTestProcessor(t, createDefaultConfig(), tb)
	p.guard.SkipTimestamps()
	line := `{"timestamp": "2026-03-01T08:15:02Z", "level": "INFO", "message": "id ` + awsKeyID + ` and ` + awsSTSKeyID + `", "password": "p"}`
	_, err = p.processLogs(context.Background(), plogtest.LinesToLogs(nil, line, line))
	require.NoError(t, err)

	assert.Equal(t, map[string]int64{"aws_access_key_id": 4, "key": 2},
		telemetrytest.SumBy(t, tel, "otelcol_processor_aind_redactions", "kind"))
}
