package mapping

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/plogtest"
)

// The example from the foundation issue's definition of done.
func TestStandardRecord(t *testing.T) {
	rl, sl, lr := mapOne(t, defaultConfig(), `{"timestamp":"2026-02-09T21:19:24.061270Z","level":"info","message":"Starting program","hostname":"w10dt700140","software_name":"waterlog","rig_id":"frg_1_a","subject_id":"123456","lineno":20}`)
	assert.Equal(t, pcommon.Timestamp(1770671964061270000), lr.Timestamp())
	assert.Equal(t, plog.SeverityNumberInfo, lr.SeverityNumber())
	assert.Equal(t, "info", lr.SeverityText())
	assert.Equal(t, "Starting program", lr.Body().Str())
	assert.Equal(t, map[string]any{"host.name": "w10dt700140", "service.name": "waterlog", "rig_id": "frg_1_a"}, rl.Resource().Attributes().AsRaw())
	assert.Equal(t, map[string]any{"subject_id": "123456", "code.line.number": int64(20)}, lr.Attributes().AsRaw())
	assert.Equal(t, "aind", sl.Scope().Name())
}

// A line read twice (after a crash) is exported identically: the observed
// timestamp is the line's own, not the time it was read. A line without a
// valid timestamp keeps the time it was read.
func TestObservedTimestampIsTheLinesOwn(t *testing.T) {
	readAt := pcommon.Timestamp(1770700000000000000)
	ld := plogtest.LinesToLogs(nil,
		`{"timestamp":"2026-02-09T21:19:24.061270Z","message":"own time"}`,
		`{"timestamp":"yesterday","message":"no valid time"}`,
		`not json`,
	)
	lrs := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	for i := 0; i < lrs.Len(); i++ {
		lrs.At(i).SetObservedTimestamp(readAt)
	}
	out := process(t, defaultConfig(), ld)
	got := map[string]pcommon.Timestamp{}
	rls := out.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		sls := rls.At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			recs := sls.At(j).LogRecords()
			for k := 0; k < recs.Len(); k++ {
				got[recs.At(k).Body().Str()] = recs.At(k).ObservedTimestamp()
			}
		}
	}
	assert.Equal(t, map[string]pcommon.Timestamp{
		"own time":      1770671964061270000,
		"no valid time": readAt,
		"not json":      readAt,
	}, got)
}

// One case per row of docs/mapping.md's record field table.
func TestRows(t *testing.T) {
	tests := []struct {
		name  string
		line  string
		check func(t *testing.T, rl plog.ResourceLogs, sl plog.ScopeLogs, lr plog.LogRecord)
	}{
		{"timestamp unparseable stays", `{"timestamp":"yesterday","message":"m"}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			assert.Zero(t, lr.Timestamp())
			plogtest.AssertAttr(t, lr, "timestamp", "yesterday")
		}},
		{"timestamp with offset", `{"timestamp":"2026-02-09T22:19:24.061270+01:00"}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			assert.Equal(t, pcommon.Timestamp(1770671964061270000), lr.Timestamp())
			plogtest.AssertNoAttr(t, lr, "timestamp")
		}},
		{"timestamp python asctime", `{"timestamp":"2026-02-09 21:19:24,061"}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			assert.Equal(t, pcommon.Timestamp(1770671964061000000), lr.Timestamp())
		}},
		{"timestamp epoch ms", `{"timestamp":1770671964061}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			assert.Equal(t, pcommon.Timestamp(1770671964061000000), lr.Timestamp())
		}},
		{"level case-insensitive, text as written", `{"level":"CRITICAl"}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			assert.Equal(t, plog.SeverityNumberFatal, lr.SeverityNumber())
			assert.Equal(t, "CRITICAl", lr.SeverityText())
			plogtest.AssertNoAttr(t, lr, "level")
		}},
		{"level WARN alias", `{"level":"warn"}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			assert.Equal(t, plog.SeverityNumberWarn, lr.SeverityNumber())
		}},
		{"level python number between rows", `{"level":33}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			assert.Equal(t, plog.SeverityNumberWarn2, lr.SeverityNumber())
			assert.Equal(t, "WARNING", lr.SeverityText())
		}},
		{"level rig number", `{"level":35}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			assert.Equal(t, plog.SeverityNumberWarn3, lr.SeverityNumber())
			assert.Equal(t, "START_STOP", lr.SeverityText())
		}},
		{"level rig name", `{"level":"lims"}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			assert.Equal(t, plog.SeverityNumberWarn3, lr.SeverityNumber())
			assert.Equal(t, "lims", lr.SeverityText())
		}},
		{"level unknown", `{"level":"NOTICE"}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			assert.Equal(t, plog.SeverityNumberUnspecified, lr.SeverityNumber())
			assert.Equal(t, "NOTICE", lr.SeverityText())
		}},
		{"level not applicable stays", `{"level":{"x":1}}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			assert.Equal(t, plog.SeverityNumberUnspecified, lr.SeverityNumber())
			plogtest.AssertAttr(t, lr, "level", map[string]any{"x": int64(1)})
		}},
		{"message non-string keeps its type", `{"message":{"event":"retry","n":3}}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			assert.Equal(t, map[string]any{"event": "retry", "n": int64(3)}, lr.Body().Map().AsRaw())
		}},
		{"message missing gives empty body", `{"level":"INFO"}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			assert.Equal(t, pcommon.ValueTypeEmpty, lr.Body().Type())
		}},
		{"lineno numeric string", `{"lineno":"118"}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			plogtest.AssertAttr(t, lr, "code.line.number", int64(118))
			plogtest.AssertNoAttr(t, lr, "lineno")
		}},
		{"lineno not numeric stays", `{"lineno":"main"}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			plogtest.AssertAttr(t, lr, "lineno", "main")
			plogtest.AssertNoAttr(t, lr, "code.line.number")
		}},
		{"funcName", `{"funcName":"load"}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			plogtest.AssertAttr(t, lr, "code.function.name", "load")
		}},
		{"pathname wins over filename", `{"filename":"run.py","pathname":"/code/run.py"}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			plogtest.AssertAttr(t, lr, "code.file.path", "/code/run.py")
			plogtest.AssertAttr(t, lr, "filename", "run.py")
			plogtest.AssertNoAttr(t, lr, "pathname")
		}},
		{"filename without pathname", `{"filename":"run.py"}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			plogtest.AssertAttr(t, lr, "code.file.path", "run.py")
			plogtest.AssertNoAttr(t, lr, "filename")
		}},
		{"process int and string", `{"process":"1231","thread":140245}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			plogtest.AssertAttr(t, lr, "process.pid", int64(1231))
			plogtest.AssertAttr(t, lr, "thread.id", int64(140245))
		}},
		{"processName and threadName", `{"processName":"python.exe","threadName":"MainThread"}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			plogtest.AssertAttr(t, lr, "process.executable.name", "python.exe")
			plogtest.AssertAttr(t, lr, "thread.name", "MainThread")
		}},
		{"python traceback", `{"exc_info":"Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\nValueError: bad value"}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			plogtest.AssertAttr(t, lr, "exception.stacktrace", "Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\nValueError: bad value")
			plogtest.AssertAttr(t, lr, "exception.type", "ValueError")
			plogtest.AssertAttr(t, lr, "exception.message", "bad value")
			plogtest.AssertNoAttr(t, lr, "exc_info")
		}},
		{"producer's exception type wins", `{"traceback":"Traceback (most recent call last):\nKeyError: 'a'","exc_type":"MyError"}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			plogtest.AssertAttr(t, lr, "exception.type", "MyError")
			plogtest.AssertNoAttr(t, lr, "exception.message")
		}},
		{"stack_info", `{"stack_info":"Stack (most recent call last):\n  File \"x.py\""}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			plogtest.AssertAttr(t, lr, "exception.stacktrace", "Stack (most recent call last):\n  File \"x.py\"")
			plogtest.AssertNoAttr(t, lr, "exception.type")
		}},
		{"logger name is the scope", `{"name":"aind_data_schema.loader"}`, func(t *testing.T, _ plog.ResourceLogs, sl plog.ScopeLogs, lr plog.LogRecord) {
			assert.Equal(t, "aind_data_schema.loader", sl.Scope().Name())
			plogtest.AssertNoAttr(t, lr, "name")
		}},
		{"identifiers become strings", `{"subject_id":714392,"specimen_id":123456.0,"acquisition_name":"713491_2026-02-09_21-00-00","user_id":"bobby.b"}`, func(t *testing.T, rl plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			plogtest.AssertAttr(t, lr, "subject_id", "714392")
			plogtest.AssertAttr(t, lr, "specimen_id", "123456")
			plogtest.AssertAttr(t, lr, "acquisition_name", "713491_2026-02-09_21-00-00")
			plogtest.AssertAttr(t, lr, "user_id", "bobby.b")
			assert.Equal(t, map[string]any{"service.name": "aind"}, rl.Resource().Attributes().AsRaw())
		}},
		{"other keys keep JSON types", `{"status":"ok","wt_g":23.93,"n":3,"big":123456789012345678901,"ok":true,"none":null,"o":{"a":[1]}}`, func(t *testing.T, _ plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			assert.Equal(t, map[string]any{"status": "ok", "wt_g": 23.93, "n": int64(3), "big": "123456789012345678901", "ok": true, "none": nil, "o": map[string]any{"a": []any{int64(1)}}}, lr.Attributes().AsRaw())
		}},
		{"resource fields", `{"hostname":"h","software_name":"s","software_version":"1.0.4.dev0","rig_id":"r","instrument_id":"MESO1","pipeline_name":"p","process_name":"c"}`, func(t *testing.T, rl plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			assert.Equal(t, map[string]any{"host.name": "h", "service.name": "s", "service.version": "1.0.4.dev0", "rig_id": "r", "instrument_id": "MESO1", "pipeline_name": "p", "process_name": "c"}, rl.Resource().Attributes().AsRaw())
			assert.Equal(t, 0, lr.Attributes().Len())
		}},
		{"non-scalar resource field stays", `{"rig_id":{"room":"1"}}`, func(t *testing.T, rl plog.ResourceLogs, _ plog.ScopeLogs, lr plog.LogRecord) {
			plogtest.AssertAttr(t, lr, "rig_id", map[string]any{"room": "1"})
			_, ok := rl.Resource().Attributes().Get("rig_id")
			assert.False(t, ok)
		}},
	}
	cfg := defaultConfig()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rl, sl, lr := mapOne(t, cfg, tt.line)
			tt.check(t, rl, sl, lr)
		})
	}
}
