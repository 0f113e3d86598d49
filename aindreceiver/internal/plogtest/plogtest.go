// Package plogtest holds what the tests of the receiver's decoders check of
// the records a decoder built, whatever the input.
package plogtest // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/plogtest"

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
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
		check(pcommon.NewValueMap())
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
