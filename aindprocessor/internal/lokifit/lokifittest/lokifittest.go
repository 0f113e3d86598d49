// Package lokifittest holds the batches the Loki limits guard is tested on,
// in its own package and through the whole processor.
package lokifittest // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit/lokifittest"

import (
	"fmt"
	"strings"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// Now is the pinned clock of the guard's tests and benchmarks.
var Now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// Batch is a batch as the aind processor emits it, and one that passes
// through the mapping untouched: one resource with service.name (an index
// label) and rig_id (structured metadata), one scope, one record.
func Batch() (plog.Logs, plog.LogRecord) {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("service.name", "waterlog")
	rl.Resource().Attributes().PutStr("rig_id", "frg_1_a")
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName("aind_data_schema.loader")
	lr := sl.LogRecords().AppendEmpty()
	lr.SetTimestamp(pcommon.NewTimestampFromTime(Now.Add(-time.Minute)))
	lr.SetObservedTimestamp(pcommon.NewTimestampFromTime(Now))
	lr.SetSeverityNumber(plog.SeverityNumberError)
	lr.SetSeverityText("ERROR")
	lr.Body().SetStr("Loaded 42 sessions")
	lr.Attributes().PutStr("subject_id", "123456")
	lr.Attributes().PutInt("code.line.number", 118)
	return ld, lr
}

// Oversized makes lr break every limit Loki has by default.
func Oversized(lr plog.LogRecord) {
	lr.SetTimestamp(pcommon.NewTimestampFromTime(Now.Add(-30 * 24 * time.Hour)))
	lr.Body().SetStr(strings.Repeat("line ", 60_000))
	lr.Attributes().PutStr(aind.AttrExceptionStack, strings.Repeat("frame\n", 20_000))
	lr.Attributes().PutStr("", "invalid name")
	for i := range 150 {
		lr.Attributes().PutStr(fmt.Sprintf("extra.%03d", i), strings.Repeat("v", 600))
	}
}
