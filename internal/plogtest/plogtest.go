// Package plogtest holds what the components' tests share about log
// records: building a batch of JSON lines as the receiver does, picking its
// one record, asserting attributes, and checking what a decoder built,
// whatever the input.
package plogtest // import "github.com/AllenNeuralDynamics/otelcol-aind/internal/plogtest"

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
)

// RequireMarshals checks pdata can serialize what a decoder built (it
// refuses invalid UTF-8) and that every string is valid UTF-8.
func RequireMarshals(t testing.TB, ld plog.Logs) {
	t.Helper()
	_, err := (&plog.ProtoMarshaler{}).MarshalLogs(ld)
	require.NoError(t, err)
	_, err = (&plog.JSONMarshaler{}).MarshalLogs(ld)
	require.NoError(t, err)
	var check func(v pcommon.Value)
	check = func(v pcommon.Value) {
		switch v.Type() {
		case pcommon.ValueTypeStr:
			require.True(t, utf8.ValidString(v.Str()))
		case pcommon.ValueTypeMap:
			for k, e := range v.Map().All() {
				require.True(t, utf8.ValidString(k))
				check(e)
			}
		case pcommon.ValueTypeSlice:
			for _, e := range v.Slice().All() {
				check(e)
			}
		}
	}
	for i := 0; i < ld.ResourceLogs().Len(); i++ {
		rl := ld.ResourceLogs().At(i)
		for k, v := range rl.Resource().Attributes().All() {
			require.True(t, utf8.ValidString(k))
			check(v)
		}
		for j := 0; j < rl.ScopeLogs().Len(); j++ {
			lrs := rl.ScopeLogs().At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				check(lrs.At(k).Body())
				for name, v := range lrs.At(k).Attributes().All() {
					require.True(t, utf8.ValidString(name))
					check(v)
				}
			}
		}
	}
}

// LinesToLogs decodes JSON lines as the aind receiver does, into one
// ResourceLogs with the given resource attributes.
func LinesToLogs(resource map[string]string, lines ...string) plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	for k, v := range resource {
		rl.Resource().Attributes().PutStr(k, v)
	}
	records := rl.ScopeLogs().AppendEmpty().LogRecords()
	for _, line := range lines {
		jsonlines.DecodeLine(jsonlines.CleanLine([]byte(line)), records.AppendEmpty())
	}
	return ld
}

// Only returns the single record of a batch with its resource and scope.
func Only(t testing.TB, ld plog.Logs) (plog.ResourceLogs, plog.ScopeLogs, plog.LogRecord) {
	t.Helper()
	require.Equal(t, 1, ld.LogRecordCount(), "records")
	require.Equal(t, 1, ld.ResourceLogs().Len(), "resources")
	rl := ld.ResourceLogs().At(0)
	require.Equal(t, 1, rl.ScopeLogs().Len(), "scopes")
	sl := rl.ScopeLogs().At(0)
	return rl, sl, sl.LogRecords().At(0)
}

// AssertAttr asserts that lr has the attribute key with the value want.
func AssertAttr(t testing.TB, lr plog.LogRecord, key string, want any) {
	t.Helper()
	v, ok := lr.Attributes().Get(key)
	require.True(t, ok, "attribute %q missing from %v", key, lr.Attributes().AsRaw())
	assert.Equal(t, want, v.AsRaw(), key)
}

// AssertNoAttr asserts that lr has no attribute key.
func AssertNoAttr(t testing.TB, lr plog.LogRecord, key string) {
	t.Helper()
	_, ok := lr.Attributes().Get(key)
	assert.False(t, ok, "attribute %q should be gone", key)
}

// Marshal is ld as OTLP protobuf, to compare batches byte for byte.
func Marshal(t testing.TB, ld plog.Logs) []byte {
	t.Helper()
	b, err := (&plog.ProtoMarshaler{}).MarshalLogs(ld)
	require.NoError(t, err)
	return b
}
