package fileinput

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/checkpoint"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/telemetrytest"
)

func TestReadsExistingThenAppendedLines(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	first := inputtest.Numbered("existing", 0, 3)
	writeLines(t, path, inputtest.AindLines(first)...)

	sink := new(consumertest.LogsSink)
	startInput(t, testConfig(dir), testSettings(t, sink, nil), nil)
	inputtest.WaitForMessage(t, sink, first[len(first)-1])

	appended := inputtest.Numbered("appended", 0, 4)
	writeLines(t, path, inputtest.AindLines(appended)...)
	inputtest.WaitForMessage(t, sink, appended[len(appended)-1])

	got := inputtest.Messages(sink)
	assert.Equal(t, append(first, appended...), got, "lines in file order, each once")
}

func TestStartAtEndSkipsExistingLines(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	writeLines(t, path, inputtest.AindLines(inputtest.Numbered("old", 0, 3))...)

	cfg := testConfig(dir)
	cfg.StartAt = StartAtEnd
	sink := new(consumertest.LogsSink)
	startInput(t, cfg, testSettings(t, sink, nil), nil)

	// Lines written before the first poll count as existing too, and that
	// poll's time is unknown: append until one new line arrives.
	probe := 0
	require.Eventually(t, func() bool {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return false
		}
		_, _ = fmt.Fprintln(f, inputtest.AindLine(fmt.Sprintf("new-%03d", probe)))
		_ = f.Close()
		probe++
		return sink.LogRecordCount() > 0
	}, inputtest.WaitFor, 20*time.Millisecond)

	for _, m := range inputtest.Messages(sink) {
		assert.True(t, strings.HasPrefix(m, "new-"), "existing line %q was read", m)
	}
}

func TestRecordShape(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	writeLines(t, path,
		`{"timestamp": "2026-02-09T21:19:24.061270Z", "level": "INFO", "message": "Session recorded", "subject_id": 713491, "wt_g": 23.93, "ok": true, "tags": ["a"], "ctx": {"k": "v"}}`,
		`not json at all password=hunter2`,
		`{"message": "unterminated"`,
		`["an", "array"]`,
	)

	sink := new(consumertest.LogsSink)
	set := testSettings(t, sink, nil)
	set.Resource = map[string]string{"rig_id": "frg_1_a", "deployment.environment.name": "test"}
	startInput(t, testConfig(dir), set, nil)
	inputtest.WaitForCount(t, sink, 4)

	recs := inputtest.Records(sink)
	require.Len(t, recs, 4)

	// An AIND line: the parsed object is the body, JSON types kept, no
	// mapping (that is the processor's job).
	body := recs[0].Body()
	require.Equal(t, pcommon.ValueTypeMap, body.Type())
	assert.Equal(t, map[string]any{
		"timestamp":  "2026-02-09T21:19:24.061270Z",
		"level":      "INFO",
		"message":    "Session recorded",
		"subject_id": int64(713491),
		"wt_g":       23.93,
		"ok":         true,
		"tags":       []any{"a"},
		"ctx":        map[string]any{"k": "v"},
	}, body.Map().AsRaw())
	assert.Zero(t, recs[0].Timestamp())
	assert.Equal(t, plog.SeverityNumberUnspecified, recs[0].SeverityNumber())
	assert.Empty(t, recs[0].SeverityText())
	_, hasErr := recs[0].Attributes().Get(aind.AttrParseError)
	assert.False(t, hasErr)
	_, hasTrunc := recs[0].Attributes().Get(aind.AttrTruncated)
	assert.False(t, hasTrunc)

	// Lines that are not a JSON object are delivered raw, flagged with a
	// reason that never quotes the line.
	for i, raw := range []string{`not json at all password=hunter2`, `{"message": "unterminated"`, `["an", "array"]`} {
		lr := recs[i+1]
		require.Equal(t, pcommon.ValueTypeStr, lr.Body().Type(), raw)
		assert.Equal(t, raw, lr.Body().Str())
		reason, ok := lr.Attributes().Get(aind.AttrParseError)
		require.True(t, ok, raw)
		assert.NotEmpty(t, reason.Str())
		assert.NotContains(t, reason.Str(), "hunter2")
		assert.NotContains(t, reason.Str(), "unterminated")
	}

	for _, lr := range recs {
		assert.NotZero(t, lr.ObservedTimestamp(), "observed timestamp is the read time")
		name, ok := lr.Attributes().Get("log.file.name")
		require.True(t, ok, "log.file.name is on by default")
		assert.Equal(t, "app.log", name.Str())
		_, ok = lr.Attributes().Get("log.file.path")
		assert.False(t, ok, "log.file.path is off by default")
		_, ok = lr.Attributes().Get(checkpoint.IDAttribute)
		assert.False(t, ok, "the checkpoint ID is never on a record")
	}

	// Static resource attributes on every resource.
	for _, ld := range sink.AllLogs() {
		for i := 0; i < ld.ResourceLogs().Len(); i++ {
			assert.Equal(t, map[string]any{"rig_id": "frg_1_a", "deployment.environment.name": "test"},
				ld.ResourceLogs().At(i).Resource().Attributes().AsRaw())
		}
	}
}

func TestFileNameAndPathAttributes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rig.log")
	writeLines(t, path, inputtest.AindLine("one"))

	cfg := testConfig(dir)
	cfg.IncludeFileName = false
	cfg.IncludeFilePath = true
	sink := new(consumertest.LogsSink)
	startInput(t, cfg, testSettings(t, sink, nil), nil)
	inputtest.WaitForCount(t, sink, 1)

	lr := inputtest.Records(sink)[0]
	_, ok := lr.Attributes().Get("log.file.name")
	assert.False(t, ok)
	p, ok := lr.Attributes().Get("log.file.path")
	require.True(t, ok)
	assert.Equal(t, path, p.Str())
	assert.Empty(t, sink.AllLogs()[0].ResourceLogs().At(0).Resource().Attributes().AsRaw(),
		"no resource attributes unless configured")
}

func TestBOMCRLFAndEmptyLines(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "win.log")
	writeRaw(t, path, "\xEF\xBB\xBF"+inputtest.AindLine("first")+"\r\n"+
		"\r\n"+
		"   \t \r\n"+
		"\n"+
		inputtest.AindLine("second")+"\r\n"+
		"\xEF\xBB\xBF\r\n"+
		inputtest.AindLine("last")+"\n")

	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	sink := new(consumertest.LogsSink)
	startInput(t, testConfig(dir), testSettings(t, sink, tel), nil)
	inputtest.WaitForMessage(t, sink, "last")

	recs := inputtest.Records(sink)
	require.Len(t, recs, 3, "empty lines are skipped")
	for i, want := range []string{"first", "second", "last"} {
		require.Equal(t, pcommon.ValueTypeMap, recs[i].Body().Type(), "BOM and CR are stripped before decoding")
		assert.Equal(t, want, inputtest.MessageOf(recs[i]))
		_, hasErr := recs[i].Attributes().Get(aind.AttrParseError)
		assert.False(t, hasErr)
	}
	assert.Equal(t, int64(4), telemetrytest.Sum(t, tel, "otelcol_receiver_aind_empty_lines"))
	// The receiver counts a batch accepted once the sink's call returned,
	// which may be after the sink already holds it.
	require.Eventually(t, func() bool {
		return telemetrytest.Sum(t, tel, "otelcol_receiver_accepted_log_records") == 3
	}, inputtest.WaitFor, inputtest.Tick, "accepted_log_records")
	assert.Equal(t, int64(0), telemetrytest.Sum(t, tel, "otelcol_receiver_aind_parse_errors"))
}

func TestTruncatesLongLines(t *testing.T) {
	const maxLogSize = 64
	dir := t.TempDir()
	path := filepath.Join(dir, "long.log")

	long := `{"message": "` + strings.Repeat("a", 100) + `", "tail": "REMAINDER-MARKER"}`
	// 62 ASCII bytes then "é" (2 bytes) then "€" (3 bytes): the cut at 64
	// would split the euro sign.
	utf := strings.Repeat("b", 62) + "é€" + strings.Repeat("c", 20)
	exact := `{"message": "` + strings.Repeat("x", maxLogSize-len(`{"message": ""}`)) + `"}`
	require.Len(t, exact, maxLogSize)

	writeRaw(t, path, long+"\n"+utf+"\n"+exact+"\n"+exact+"\r\n"+`{"message": "after"}`+"\n")

	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	sink := new(consumertest.LogsSink)
	set := testSettings(t, sink, tel)
	set.MaxLogSize = maxLogSize
	startInput(t, testConfig(dir), set, nil)
	inputtest.WaitForMessage(t, sink, "after")

	recs := inputtest.Records(sink)
	require.Len(t, recs, 5, "the remainder of a cut line is not a record")

	// The long line: cut to max_log_size, flagged, so not a JSON object.
	assert.Equal(t, long[:maxLogSize], recs[0].Body().Str())
	assertTruncated(t, recs[0], true)
	_, hasErr := recs[0].Attributes().Get(aind.AttrParseError)
	assert.True(t, hasErr)

	// The multi-byte line: cut back to a UTF-8 boundary.
	assert.Equal(t, strings.Repeat("b", 62)+"é", recs[1].Body().Str())
	assert.True(t, utf8.ValidString(recs[1].Body().Str()))
	assertTruncated(t, recs[1], true)

	// Lines of exactly max_log_size bytes, with LF and with CRLF, are whole.
	for _, lr := range recs[2:4] {
		require.Equal(t, pcommon.ValueTypeMap, lr.Body().Type())
		assertTruncated(t, lr, false)
	}
	assert.Equal(t, "after", inputtest.MessageOf(recs[4]))
	assertTruncated(t, recs[4], false)

	for _, lr := range recs {
		assert.NotContains(t, lr.Body().AsString(), "REMAINDER-MARKER")
		assert.NotContains(t, lr.Body().AsString(), "ccc")
	}
	assert.Equal(t, int64(2), telemetrytest.Sum(t, tel, "otelcol_receiver_aind_truncated_lines"))
	assert.Equal(t, int64(2), telemetrytest.Sum(t, tel, "otelcol_receiver_aind_parse_errors"))
}

func assertTruncated(t *testing.T, lr plog.LogRecord, want bool) {
	t.Helper()
	v, ok := lr.Attributes().Get(aind.AttrTruncated)
	if !want {
		assert.False(t, ok, "not flagged %s", aind.AttrTruncated)
		return
	}
	require.True(t, ok, "flagged %s", aind.AttrTruncated)
	assert.True(t, v.Bool())
}

func TestStartFailsWithoutStorageExtension(t *testing.T) {
	cfg := testConfig(t.TempDir())
	missing := component.MustNewID("file_storage")
	cfg.Storage = &missing
	set := testSettings(t, consumertest.NewNop(), nil)
	in, err := New(set, cfg)
	require.NoError(t, err)
	err = in.Start(context.Background(), componenttest.NewNopHost())
	require.ErrorContains(t, err, `storage extension "file_storage" not found`)
	require.NoError(t, shutdown(in))

	type nopExtension struct {
		component.StartFunc
		component.ShutdownFunc
	}
	notStorage := inputtest.NewHost(map[component.ID]component.Component{missing: nopExtension{}})
	in, err = New(set, cfg)
	require.NoError(t, err)
	err = in.Start(context.Background(), notStorage)
	require.ErrorContains(t, err, `extension "file_storage" is not a storage extension`)
	require.NoError(t, shutdown(in))
}
