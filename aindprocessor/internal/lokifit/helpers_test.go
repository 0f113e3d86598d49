package lokifit

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// guardNow is the pinned clock of these tests.
var guardNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// guardBatch is a batch as the aind processor emits it: one resource with
// service.name (an index label) and rig_id (structured metadata), one scope.
func guardBatch() (plog.Logs, plog.LogRecord) {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("service.name", "waterlog")
	rl.Resource().Attributes().PutStr("rig_id", "frg_1_a")
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName("aind_data_schema.loader")
	lr := sl.LogRecords().AppendEmpty()
	lr.SetTimestamp(pcommon.NewTimestampFromTime(guardNow.Add(-time.Minute)))
	lr.SetObservedTimestamp(pcommon.NewTimestampFromTime(guardNow))
	lr.SetSeverityNumber(plog.SeverityNumberError)
	lr.SetSeverityText("ERROR")
	lr.Body().SetStr("Loaded 42 sessions")
	lr.Attributes().PutStr("subject_id", "123456")
	lr.Attributes().PutInt("code.line.number", 118)
	return ld, lr
}

// fitBatch runs the guard, as the processor does after the mapping.
func fitBatch(t *testing.T, cfg *Config, ld plog.Logs) Result {
	t.Helper()
	g, err := New(cfg, nil)
	require.NoError(t, err)
	return g.Fit(ld, guardNow)
}

// requireLokiAccepts checks the batch against the reference port of Loki.
func requireLokiAccepts(t *testing.T, c *Config, ld plog.Logs) []refEntry {
	t.Helper()
	entries, err := refPush(ld, c.IndexLabels, guardNow)
	require.NoError(t, err, "Loki would refuse the whole request")
	for i, e := range entries {
		require.Empty(t, refValidate(e, c, guardNow), "record %d", i)
	}
	return entries
}

// defaults is Loki's defaults, for a test to change.
func defaults() *Config {
	cfg := DefaultConfig()
	return &cfg
}

func smallLimits() *Config {
	cfg := defaults()
	cfg.MaxLineSize = 4 << 10
	cfg.MaxStructuredMetadataSize = 2 << 10
	cfg.MaxStructuredMetadataEntriesCount = 20
	return cfg
}

// oversized is a record that breaks every limit.
func oversized(lr plog.LogRecord) {
	lr.SetTimestamp(pcommon.NewTimestampFromTime(guardNow.Add(-30 * 24 * time.Hour)))
	lr.Body().SetStr(strings.Repeat("line ", 60_000))
	lr.Attributes().PutStr(aind.AttrExceptionStack, strings.Repeat("frame\n", 20_000))
	lr.Attributes().PutStr("", "invalid name")
	for i := range 150 {
		lr.Attributes().PutStr(fmt.Sprintf("extra.%03d", i), strings.Repeat("v", 600))
	}
}

func marshalLogs(t *testing.T, ld plog.Logs) []byte {
	t.Helper()
	b, err := (&plog.ProtoMarshaler{}).MarshalLogs(ld)
	require.NoError(t, err)
	return b
}

func assertAttr(t *testing.T, lr plog.LogRecord, key string, want any) {
	t.Helper()
	v, ok := lr.Attributes().Get(key)
	require.True(t, ok, "attribute %q missing from %v", key, lr.Attributes().AsRaw())
	assert.Equal(t, want, v.AsRaw(), key)
}

func assertNoAttr(t *testing.T, lr plog.LogRecord, key string) {
	t.Helper()
	_, ok := lr.Attributes().Get(key)
	assert.False(t, ok, "attribute %q should be gone", key)
}
