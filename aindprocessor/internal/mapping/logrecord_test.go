package mapping

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// A Python LogRecord's dict, as the socket input delivers it (SocketHandler
// formatted msg and put the traceback in exc_text; the input left out the
// None values), from an mpetk-style client with its extra= fields.
const mpetkRecord = `{"name":"camstim.rig","msg":"Action, Start, log_session, 42","levelname":"START_STOP","levelno":35,` +
	`"pathname":"C:\\ProgramData\\AIBS_MPE\\camstim\\run.py","filename":"run.py","module":"run",` +
	`"exc_text":"Traceback (most recent call last):\n  File \"run.py\", line 12, in run\nValueError: bad gain",` +
	`"lineno":12,"funcName":"run","created":1770671964.25,"msecs":250.0,"relativeCreated":1234.5,` +
	`"thread":140234,"threadName":"MainThread","processName":"MainProcess","process":4242,` +
	`"rig_name":"NP.1","comp_id":"NP.1-Acq","subject_id":713491,"version":"1.2.3","project":"np","log_session":"abc","weblog":true}`

func TestPythonLogRecord(t *testing.T) {
	rl, sl, lr := mapOne(t, defaultConfig(), mpetkRecord)
	assert.Equal(t, pcommon.Timestamp(1770671964250000000), lr.Timestamp())
	assert.Equal(t, lr.Timestamp(), lr.ObservedTimestamp())
	assert.Equal(t, "START_STOP", lr.SeverityText())
	assert.Equal(t, plog.SeverityNumberWarn3, lr.SeverityNumber())
	assert.Equal(t, "Action, Start, log_session, 42", lr.Body().Str())
	assert.Equal(t, "camstim.rig", sl.Scope().Name())
	assert.Equal(t, map[string]any{"rig_id": "NP.1", "service.name": "aind"}, rl.Resource().Attributes().AsRaw())
	assert.Equal(t, map[string]any{
		"code.file.path":          `C:\ProgramData\AIBS_MPE\camstim\run.py`,
		"filename":                "run.py",
		"module":                  "run",
		"code.line.number":        int64(12),
		"code.function.name":      "run",
		"exception.stacktrace":    "Traceback (most recent call last):\n  File \"run.py\", line 12, in run\nValueError: bad gain",
		"exception.type":          "ValueError",
		"exception.message":       "bad gain",
		"thread.id":               int64(140234),
		"thread.name":             "MainThread",
		"process.executable.name": "MainProcess",
		"process.pid":             int64(4242),
		"comp_id":                 "NP.1-Acq",
		"subject_id":              "713491",
		"version":                 "1.2.3",
		"project":                 "np",
		"log_session":             "abc",
		"weblog":                  true,
	}, lr.Attributes().AsRaw(), "levelno, msecs and relativeCreated are not kept")
}

// The AIND keys win over the LogRecord's, whichever comes first; the one
// that loses stays an attribute. The LogRecord's apply where the AIND key
// is missing or cannot be read.
func TestAINDKeysWinOverLogRecordKeys(t *testing.T) {
	for _, line := range []string{
		`{"msg":"b","message":"a","created":1770671964.5,"timestamp":"2026-02-09T21:19:24Z","levelname":"ERROR","level":"INFO"}`,
		`{"message":"a","msg":"b","timestamp":"2026-02-09T21:19:24Z","created":1770671964.5,"level":"INFO","levelname":"ERROR"}`,
	} {
		_, _, lr := mapOne(t, defaultConfig(), line)
		assert.Equal(t, "a", lr.Body().Str(), line)
		assert.Equal(t, pcommon.Timestamp(1770671964000000000), lr.Timestamp(), line)
		assert.Equal(t, "INFO", lr.SeverityText(), line)
		assert.Equal(t, map[string]any{"msg": "b", "created": 1770671964.5, "levelname": "ERROR"}, lr.Attributes().AsRaw(), line)
	}
	_, _, lr := mapOne(t, defaultConfig(), `{"timestamp":"yesterday","created":1770671964.5,"msg":"m"}`)
	assert.Equal(t, pcommon.Timestamp(1770671964500000000), lr.Timestamp())
	assert.Equal(t, "m", lr.Body().Str())
	assert.Equal(t, map[string]any{"timestamp": "yesterday"}, lr.Attributes().AsRaw())
}

// levelno gives the number; levelname, any name at all, the text.
func TestLevelNumberAndName(t *testing.T) {
	tests := []struct {
		line string
		text string
		sev  plog.SeverityNumber
	}{
		{`{"levelname":"Level 33","levelno":33}`, "Level 33", plog.SeverityNumberWarn2},
		{`{"levelno":33,"levelname":"Level 33"}`, "Level 33", plog.SeverityNumberWarn2},
		{`{"levelname":"MTRAIN","levelno":38}`, "MTRAIN", plog.SeverityNumberWarn4},
		{`{"levelno":37,"msg":"m"}`, "LIMS", plog.SeverityNumberWarn3},
		{`{"levelno":45,"msg":"m"}`, "ERROR", plog.SeverityNumberError3},
		{`{"levelname":"NOTSET","levelno":0}`, "NOTSET", plog.SeverityNumberUnspecified},
		{`{"levelno":"x","msg":"m"}`, "", plog.SeverityNumberUnspecified},
	}
	for _, tt := range tests {
		_, _, lr := mapOne(t, defaultConfig(), tt.line)
		assert.Equal(t, tt.text, lr.SeverityText(), tt.line)
		assert.Equal(t, tt.sev, lr.SeverityNumber(), tt.line)
	}
	_, _, lr := mapOne(t, defaultConfig(), `{"levelno":"x","msg":"m"}`)
	assert.Equal(t, map[string]any{"levelno": "x"}, lr.Attributes().AsRaw(), "a levelno that is no number stays")
}

// keep_original keeps the LogRecord's keys too, fallbacks included.
func TestLogRecordKeepOriginal(t *testing.T) {
	cfg := defaultConfig()
	cfg.KeepOriginal = true
	_, _, lr := mapOne(t, cfg, `{"created":1770671964.5,"msg":"m","levelno":35,"msecs":500.0}`)
	assert.Equal(t, "m", lr.Body().Str())
	assert.Equal(t, plog.SeverityNumberWarn3, lr.SeverityNumber())
	assert.Equal(t, map[string]any{"created": 1770671964.5, "msg": "m", "levelno": int64(35), "msecs": 500.0}, lr.Attributes().AsRaw())
}
