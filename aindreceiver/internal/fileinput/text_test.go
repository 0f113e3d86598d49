package fileinput

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// A plain-text log (a rotating file of Python's logging, as mpetk keeps
// them) read with format text: levels, loggers and a traceback, as the
// console of otelcol-aind run is read.
func TestTextFormat(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rig.log")
	writeLines(t, path,
		"2026-12-08 10:00:00,123 - camstim.session - INFO - session started",
		"2026-12-08 10:00:01,456 - camstim.session - ERROR - encoder lost",
		"Traceback (most recent call last):",
		`  File "session.py", line 3, in <module>`,
		"    run()",
		"RuntimeError: encoder lost",
		"",
		"a line without a level",
	)
	cfg := testConfig(dir)
	cfg.Format = FormatText
	sink := new(consumertest.LogsSink)
	startInput(t, cfg, testSettings(t, sink, nil), nil)
	inputtest.WaitForCount(t, sink, 3)

	var got []string
	var scopes []string
	for _, ld := range sink.AllLogs() {
		sls := ld.ResourceLogs().At(0).ScopeLogs()
		for i := 0; i < sls.Len(); i++ {
			for j := 0; j < sls.At(i).LogRecords().Len(); j++ {
				lr := sls.At(i).LogRecords().At(j)
				got = append(got, lr.SeverityText()+"|"+lr.Body().Str())
				scopes = append(scopes, sls.At(i).Scope().Name())
				name, _ := lr.Attributes().Get("log.file.name")
				assert.Equal(t, "rig.log", name.Str(), "the file attributes, as for JSON Lines")
				_, flagged := lr.Attributes().Get(aind.AttrParseError)
				assert.False(t, flagged, "text is not a failed JSON record")
			}
		}
	}
	assert.Equal(t, []string{"INFO|session started", "ERROR|encoder lost", "|a line without a level"}, got)
	assert.Equal(t, []string{"camstim.session", "camstim.session", ""}, scopes)

	tb := inputtest.Records(sink)[1]
	typ, _ := tb.Attributes().Get("exception.type")
	assert.Equal(t, "RuntimeError", typ.Str(), "the traceback joined to its logging line")
	assert.Equal(t, plog.SeverityNumberError, tb.SeverityNumber())
}

func TestFormatIsValidated(t *testing.T) {
	cfg := testConfig(t.TempDir())
	cfg.Format = "csv"
	require.ErrorContains(t, cfg.Validate(), `'format' must be "jsonl" or "text", got "csv"`)
}
