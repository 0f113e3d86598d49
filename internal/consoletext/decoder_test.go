package consoletext

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
)

var cfg = Config{MaxLogSize: 1 << 16}

func bodies(out []Record) []string {
	var b []string
	for _, r := range out {
		b = append(b, r.Body)
	}
	return b
}

func TestLines(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"lines", "a\nb\n", []string{"a", "b"}},
		{"last line without newline", "a\nb", []string{"a", "b"}},
		{"empty and blank lines", "\n\n  \t\n\r\na\n\n", []string{"a"}},
		{"white space trimmed", "  indented  \t\r\n", []string{"indented"}},
		{"crlf", "a\r\nb\r\n", []string{"a", "b"}},
		{"byte order mark", "\xef\xbb\xbfa\n", []string{"a"}},
		{"csi colours", "\x1b[1;31mred\x1b[0m text\n", []string{"red text"}},
		{"csi only", "\x1b[2K\x1b[1G\n", nil},
		{"osc hyperlink, bel", "\x1b]8;;http://x\x07link\x1b]8;;\x07\n", []string{"link"}},
		{"osc title, st", "\x1b]0;title\x1b\\text\n", []string{"text"}},
		{"two-byte escape", "\x1b7a\x1b8b\n", []string{"ab"}},
		{"escape at the end of the line", "a\x1b\nb\x1b[\n", []string{"a", "b"}},
		{"escape cut by a bad byte", "a\x1b[1\xc3\xa9\n", []string{"aé"}},
		{"non-ASCII", "10 µm, 3 Ωs, 日本語, 🐭\n", []string{"10 µm, 3 Ωs, 日本語, 🐭"}},
		{"invalid UTF-8", "a\xff\xfeb\n", []string{"a\uFFFDb"}},
		{"a bell is kept", "a\x07b\n", []string{"a\x07b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := decodeChunked(t, cfg, tt.in)
			assert.Equal(t, tt.want, bodies(out))
			for _, r := range out {
				assert.False(t, r.JSON || r.Truncated || r.Exception != nil)
				assert.Equal(t, plog.SeverityNumberUnspecified, r.Severity)
			}
		})
	}
}

func TestJSONLines(t *testing.T) {
	out := decodeChunked(t, cfg, "  {\"level\":\"ERROR\",\"message\":\"x\"}\r\n{not closed\n{}\n")
	require.Len(t, out, 3)
	assert.Equal(t, Record{Body: `{"level":"ERROR","message":"x"}`, JSON: true}, out[0], "not held, no level read")
	assert.Equal(t, Record{Body: "{not closed"}, out[1])
	assert.Equal(t, Record{Body: "{}", JSON: true}, out[2])
}

func TestLevels(t *testing.T) {
	const ts = "2024-05-01 10:00:00,123"
	tests := []struct {
		line                string
		level, logger, body string
	}{
		// Python logging's default format.
		{"WARNING:root:low disk", "WARNING", "root", "low disk"},
		{"INFO:__main__:start", "INFO", "__main__", "start"},
		{"ERROR:my.pkg.mod:failed: x", "ERROR", "my.pkg.mod", "failed: x"},
		{"DEBUG:aind-rig.v2:", "DEBUG", "aind-rig.v2", ""},
		{"START_STOP:mpetk:session started", "START_STOP", "mpetk", "session started"},
		{"CRITICAL:root: spaced", "CRITICAL", "root", " spaced"},
		// Brackets, any case.
		{"[INFO] started", "INFO", "", "started"},
		{"[warning]  low disk", "warning", "", "low disk"},
		{"[Error]", "Error", "", ""},
		// Level and separator.
		{"WARN - low disk", "WARN", "", "low disk"},
		{"INFO     - padded", "INFO", "", "padded"},
		{"ERROR: something failed", "ERROR", "", "something failed"},
		{"FATAL:  out of memory", "FATAL", "", "out of memory"},
		{"TRACE:", "TRACE", "", ""},
		// asctime first.
		{ts + " - mylogger - INFO - message", "INFO", "mylogger", "message"},
		{ts + " - my.pkg - WARNING  - padded - with dash", "WARNING", "my.pkg", "padded - with dash"},
		{ts + " INFO message", "INFO", "", "message"},
		{ts + " WARNING  padded", "WARNING", "", "padded"},
		{ts + " - INFO - message", "INFO", "", "message"},
		{ts + " [INFO] message", "INFO", "", "message"},
		{"2024-05-01T10:00:00.123Z INFO message", "INFO", "", "message"},
		{"2024-05-01T10:00:00+02:00 ERROR zoned", "ERROR", "", "zoned"},
		{"2024-05-01 10:00:00 DEBUG no fraction", "DEBUG", "", "no fraction"},
		{"2024-05-01 10:00:00.123 | INFO     | __main__:main:12 - message", "INFO", "__main__", "message"},
		{"2024-05-01 10:00:00.123 | SUCCESS  | m:f:1 - loguru's own level", "", "", ""},
		{"2024-05-01 10:00:00.123 | WARNING  | pkg.mod:<module>:3 - at module level", "WARNING", "pkg.mod", "at module level"},
		// Near misses: no level.
		{"INFO is a word", "", "", ""},
		{"ERRORS: 3", "", "", ""},
		{"error: something from a CLI tool", "", "", ""},
		{"Warning: lower case", "", "", ""},
		{"INFO-no-space", "", "", ""},
		{"INFOS:root:x", "", "", ""},
		{"WARNING:root", "", "", ""},
		{"[INFO]x", "", "", ""},
		{"[NOTICE] not a level of the tables", "", "", ""},
		{"[ERR] neither", "", "", ""},
		{"[] empty", "", "", ""},
		{ts + " Started", "", "", ""},
		{ts + " - mylogger - message without level", "", "", ""},
		{ts + "INFO glued", "", "", ""},
		{"2024-05-01 message", "", "", ""},
		{"Traceback is not a level", "", "", ""},
		{"  INFO: indented", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			out := decodeChunked(t, cfg, tt.line+"\n")
			require.Len(t, out, 1)
			r := out[0]
			if tt.level == "" {
				assert.Equal(t, Record{Body: strings.TrimSpace(tt.line)}, r)
				return
			}
			sev := map[string]plog.SeverityNumber{
				"WARNING": plog.SeverityNumberWarn, "WARN": plog.SeverityNumberWarn, "warning": plog.SeverityNumberWarn,
				"INFO": plog.SeverityNumberInfo, "ERROR": plog.SeverityNumberError, "Error": plog.SeverityNumberError,
				"DEBUG": plog.SeverityNumberDebug, "CRITICAL": plog.SeverityNumberFatal, "FATAL": plog.SeverityNumberFatal,
				"TRACE": plog.SeverityNumberTrace, "START_STOP": plog.SeverityNumberWarn3,
			}[tt.level]
			require.NotZero(t, sev, "the table's levels")
			assert.Equal(t, Record{Body: tt.body, Severity: sev, SeverityText: tt.level, Logger: tt.logger}, r)
		})
	}
}

// The tracebacks in testdata are what Python 3.11 prints (testdata/gen.sh).
func TestTracebacks(t *testing.T) {
	tests := []struct {
		file                      string
		typ, msg                  string
		body, level, logger, next string
	}{
		{file: "uncaught", typ: "ValueError", msg: "invalid literal for int() with base 10: 'x'"},
		{file: "carets", typ: "TypeError", msg: "'NoneType' object is not subscriptable"},
		{file: "keyboard", typ: "KeyboardInterrupt"},
		{file: "chained_context", typ: "RuntimeError", msg: "could not load config"},
		{file: "chained_cause", typ: "ValueError", msg: "bad config"},
		{file: "group", typ: "ExceptionGroup", msg: "several errors (2 sub-exceptions)"},
		{file: "syntax", typ: "SyntaxError", msg: "invalid syntax"},
		{file: "syntax_compile", typ: "SyntaxError", msg: "invalid syntax"},
		{file: "logexc", typ: "ZeroDivisionError", msg: "division by zero",
			body: "frame grab failed", level: "ERROR", logger: "acquisition.camera", next: "after"},
		{file: "logexc_chained_group", typ: "RuntimeError", msg: "acquisition aborted",
			body: "giving up", level: "CRITICAL", logger: "rig.daq", next: "after the traceback"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file+".txt"))
			require.NoError(t, err)
			text := string(data)
			// Where the test reads the traceback text from: after the
			// logging line, up to the line after it.
			stack := text
			if tt.level != "" {
				_, stack, _ = strings.Cut(stack, "\n")
			}
			if tt.next != "" {
				stack = stack[:strings.LastIndex(strings.TrimSuffix(stack, "\n"), "\n")]
			}
			stack = strings.TrimSuffix(stack, "\n")

			out := decodeChunked(t, cfg, text)
			want := 1
			if tt.next != "" {
				want = 2
			}
			require.Len(t, out, want, "%q", bodies(out))
			r := out[0]
			exc := &Exception{Type: tt.typ, Message: tt.msg, Stacktrace: stack}
			wantRec := Record{Body: tt.typ, Severity: plog.SeverityNumberError, SeverityText: "ERROR", Exception: exc}
			if tt.msg != "" {
				wantRec.Body = tt.typ + ": " + tt.msg
			}
			if tt.level != "" {
				wantRec.Body, wantRec.SeverityText, wantRec.Logger = tt.body, tt.level, tt.logger
				wantRec.Severity = map[string]plog.SeverityNumber{"ERROR": plog.SeverityNumberError, "CRITICAL": plog.SeverityNumberFatal}[tt.level]
			}
			assert.Equal(t, wantRec, r)
			if tt.next != "" {
				assert.Equal(t, tt.next, out[1].Body)
			}
		})
	}
}

func TestTracebackEnds(t *testing.T) {
	const tb = "Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\nValueError: bad value\n"
	tests := []struct {
		name, in string
		want     []string
	}{
		{"followed by a line", tb + "next\n", []string{"ValueError: bad value", "next"}},
		{"followed by a blank line and a line", tb + "\nnext\n", []string{"ValueError: bad value", "next"}},
		{"followed by two blank lines", tb + "\n\n  indented\n", []string{"ValueError: bad value", "indented"}},
		{"a marker without a traceback", tb + "\n" + chainContext + "\n\nnext\n", []string{"ValueError: bad value", "next"}},
		{"an ERROR line after it is held on its own", tb + "ERROR:root:x\n", []string{"ValueError: bad value", "x"}},
		{"dotted type", "Traceback (most recent call last):\n  File \"x\"\nrequests.exceptions.HTTPError: 503 Server Error\n", []string{"requests.exceptions.HTTPError: 503 Server Error"}},
		{"stream ends in the frames", "Traceback (most recent call last):\n  File \"x\"\n", []string{"Traceback (most recent call last):"}},
		{"an ERROR line before a plain line", "ERROR:root:x\nnext\n", []string{"x", "next"}},
		{"an ERROR line, a blank line, a traceback", "ERROR:root:x\n\n" + tb, []string{"x", "ValueError: bad value"}},
		{"a WARNING line is not joined", "WARNING:root:x\n" + tb, []string{"x", "ValueError: bad value"}},
		{"an indented header is not one", "  Traceback (most recent call last):\n  File \"x\"\n", []string{"Traceback (most recent call last):", "File \"x\""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, bodies(decodeChunked(t, cfg, tt.in)))
		})
	}
	out := decodeChunked(t, cfg, "requests.exceptions.HTTPError: 503\n"+"Traceback (most recent call last):\n  File \"x\"\nmodule.Error\n")
	require.Len(t, out, 2)
	assert.Nil(t, out[0].Exception)
	assert.Equal(t, Exception{Type: "module.Error", Stacktrace: "Traceback (most recent call last):\n  File \"x\"\nmodule.Error"}, *out[1].Exception)
}

func TestCarriageReturns(t *testing.T) {
	bar := "\r  0%|          | 0/100 [00:00<?, ?it/s]" +
		"\r 10%|█         | 10/100 [00:01<00:09, 9.9it/s]" +
		"\r\x1b[A100%|██████████| 100/100 [00:10<00:00, 9.9it/s]"
	tests := []struct {
		name, in string
		want     []string
	}{
		{"tqdm, its final state", bar + "\n", []string{"100%|██████████| 100/100 [00:10<00:00, 9.9it/s]"}},
		{"tqdm leave=False: the last state shown", bar + "\r" + strings.Repeat(" ", 50) + "\r", []string{"100%|██████████| 100/100 [00:10<00:00, 9.9it/s]"}},
		{"tqdm leave=False, then a line", bar + "\r   \rdone\n", []string{"done"}},
		{"crlf is a line end", "a\r\n\r\n", []string{"a"}},
		{"a blank segment ends nothing", "a\r \r\n", []string{"a"}},
		{"redrawn log line", "INFO: 1\rINFO: 2\n", []string{"2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, bodies(decodeChunked(t, cfg, tt.in)))
		})
	}
}

func TestUTF8SplitAcrossWrites(t *testing.T) {
	text := "µm Ωs 日本 🐭\n"
	for cut := 0; cut <= len(text); cut++ {
		d := NewDecoder(cfg)
		out := d.Write([]byte(text[:cut]), t0, nil)
		out = d.Write([]byte(text[cut:]), t0, out)
		assert.Equal(t, []string{"µm Ωs 日本 🐭"}, bodies(out), "cut at %d", cut)
	}
}

func TestConsumed(t *testing.T) {
	d := NewDecoder(cfg)
	out := d.Write([]byte("a\nb"), t0, nil)
	assert.Equal(t, []string{"a"}, bodies(out))
	assert.EqualValues(t, 2, d.Consumed())
	out = d.Flush(nil)
	assert.Equal(t, []string{"b"}, bodies(out))
	assert.EqualValues(t, 3, d.Consumed())

	// What is held is not consumed; empty lines after a record are.
	d = NewDecoder(cfg)
	out = d.Write([]byte("x\n\n\nERROR:root:e\n\n"), t0, nil)
	assert.Equal(t, []string{"x", "e"}, bodies(out))
	assert.EqualValues(t, 18, d.Consumed())
	d = NewDecoder(cfg)
	out = d.Write([]byte("x\n\nERROR:root:e\nTraceback (most recent call last):\n"), t0, nil)
	assert.Equal(t, []string{"x"}, bodies(out))
	assert.EqualValues(t, 3, d.Consumed(), "the ERROR line and its traceback are held")
	out = d.Write([]byte("  File \"x\"\nE\n"), t0, nil)
	assert.Empty(t, out)
	assert.EqualValues(t, 3, d.Consumed())
	out = d.Write([]byte("next\n"), t0, nil)
	assert.Equal(t, []string{"e", "next"}, bodies(out))
	assert.EqualValues(t, len("x\n\nERROR:root:e\nTraceback (most recent call last):\n  File \"x\"\nE\nnext\n"), d.Consumed())
}

func TestTick(t *testing.T) {
	c := Config{MaxLogSize: 100, HoldInterval: time.Second, RedrawInterval: 10 * time.Second}
	d := NewDecoder(c)
	out := d.Write([]byte("ERROR:root:failed\n"), t0, nil)
	assert.Empty(t, out)
	assert.Empty(t, d.Tick(t0.Add(999*time.Millisecond), nil), "held for HoldInterval")
	out = d.Tick(t0.Add(time.Second), nil)
	assert.Equal(t, []string{"failed"}, bodies(out))
	assert.EqualValues(t, 18, d.Consumed())

	// A traceback's exception line, held for a chained section.
	out = d.Write([]byte("Traceback (most recent call last):\n  File \"x\"\nValueError: v\n\n"), t0.Add(2*time.Second), nil)
	assert.Empty(t, out)
	out = d.Tick(t0.Add(3*time.Second), nil)
	require.Len(t, out, 1)
	assert.Equal(t, "ValueError: v", out[0].Body)
	assert.EqualValues(t, 18+61, d.Consumed())

	// A traceback cut off in its frames (the process killed) is not held
	// for ever.
	out = d.Write([]byte("Traceback (most recent call last):\n  File \"x\"\n"), t0.Add(4*time.Second), nil)
	out = d.Tick(t0.Add(4*time.Second+999*time.Millisecond), out)
	assert.Empty(t, out)
	out = d.Tick(t0.Add(5*time.Second), nil)
	require.Len(t, out, 1)
	assert.Equal(t, "Traceback (most recent call last):", out[0].Body)
	assert.Equal(t, &Exception{Stacktrace: "Traceback (most recent call last):\n  File \"x\""}, out[0].Exception)
	assert.EqualValues(t, 18+61+46, d.Consumed())

	// A progress bar that does not end.
	start := t0.Add(10 * time.Second)
	out = d.Write([]byte("\r 10%|█ "), start, nil)
	out = d.Write([]byte("\r 20%|██ "), start.Add(5*time.Second), out)
	assert.Empty(t, out)
	out = d.Tick(start.Add(10*time.Second), nil)
	assert.Equal(t, []string{"20%|██"}, bodies(out))
	assert.EqualValues(t, 18+61+46+len("\r 10%|█ \r 20%|██ "), d.Consumed())
	// Its later state is another record.
	out = d.Write([]byte("\r100%|███\n"), start.Add(11*time.Second), nil)
	assert.Equal(t, []string{"100%|███"}, bodies(out))

	// A Write after the interval lets the held line go before its bytes
	// are read, as a Tick would.
	d = NewDecoder(c)
	d.Write([]byte("CRITICAL:root:x\n"), t0, nil)
	out = d.Write([]byte("Traceback (most recent call last):\n  File \"x\"\nE\n"), t0.Add(time.Second), nil)
	require.Len(t, out, 1)
	assert.Nil(t, out[0].Exception)
	out = d.Flush(nil)
	require.Len(t, out, 1)
	assert.Equal(t, "E", out[0].Body)
}

func TestLongLine(t *testing.T) {
	c := Config{MaxLogSize: 1024}
	d := NewDecoder(c)
	chunk := []byte(strings.Repeat("é", 2048)) // 4 KiB
	var out []Record
	for i := 0; i < 10<<20/len(chunk); i++ {
		out = d.Write(chunk, t0, out)
		require.Empty(t, out)
		require.LessOrEqual(t, cap(d.cur.text), 2*d.bufLimit(), "the line in progress stays bounded")
		require.EqualValues(t, 0, d.Consumed())
	}
	out = d.Write([]byte("\nnext\n"), t0, out)
	require.Len(t, out, 2)
	assert.Equal(t, strings.Repeat("é", 512), out[0].Body)
	assert.True(t, out[0].Truncated)
	assert.Equal(t, Record{Body: "next"}, out[1])
	assert.EqualValues(t, 10<<20+6, d.Consumed())

	allocs := testing.AllocsPerRun(10, func() {
		d.Write(chunk, t0, nil)
	})
	assert.Zero(t, allocs, "a long line costs nothing per Write")

	// Cut exactly: one byte over, and a character split at the limit.
	for _, tt := range []struct {
		in, want string
		cut      bool
	}{
		{strings.Repeat("a", 1024), strings.Repeat("a", 1024), false},
		{strings.Repeat("a", 1025), strings.Repeat("a", 1024), true},
		{strings.Repeat("a", 1023) + "é", strings.Repeat("a", 1023), true},
		{strings.Repeat("a", 1024) + "   ", strings.Repeat("a", 1024), false},
		{"INFO:root:" + strings.Repeat("a", 1020), strings.Repeat("a", 1014), true},
	} {
		out := decodeChunked(t, c, tt.in+"\n")
		require.Len(t, out, 1)
		assert.Equal(t, tt.want, out[0].Body)
		assert.Equal(t, tt.cut, out[0].Truncated)
	}
}

func TestLongTraceback(t *testing.T) {
	c := Config{MaxLogSize: 200}
	frames := strings.Repeat("  File \"x.py\", line 1, in f\n    f()\n", 100)
	in := "ERROR:root:deep\nTraceback (most recent call last):\n" + frames + "RecursionError: maximum recursion depth exceeded\nnext\n"
	out := decodeChunked(t, c, in)
	require.Len(t, out, 2)
	d := NewDecoder(c)
	d.Write([]byte(in[:len(in)-len("next\n")]), t0, nil)
	assert.LessOrEqual(t, cap(d.tb.text), 2*d.bufLimit(), "the traceback held stays bounded")
	r := out[0]
	assert.Equal(t, "deep", r.Body)
	assert.True(t, r.Truncated)
	assert.Equal(t, Exception{Type: "RecursionError", Message: "maximum recursion depth exceeded", Stacktrace: in[16 : 16+200]}, *r.Exception)
	assert.Equal(t, "next", out[1].Body)
}

func TestCopyTo(t *testing.T) {
	lr := plog.NewLogRecord()
	r := Record{Body: `{"a":1}`, JSON: true}
	r.CopyTo(lr)
	assert.Equal(t, map[string]any{"a": int64(1)}, lr.Body().Map().AsRaw())
	assert.Zero(t, lr.Attributes().Len())

	lr = plog.NewLogRecord()
	r = Record{Body: `{"a":}`, JSON: true}
	r.CopyTo(lr)
	assert.Equal(t, `{"a":}`, lr.Body().Str(), "not an object: text, not flagged")
	assert.Zero(t, lr.Attributes().Len())

	lr = plog.NewLogRecord()
	r = Record{Body: "failed", Severity: plog.SeverityNumberError, SeverityText: "ERROR", Logger: "root", Truncated: true,
		Exception: &Exception{Type: "ValueError", Message: "v", Stacktrace: "Traceback…"}}
	r.CopyTo(lr)
	assert.Equal(t, "failed", lr.Body().Str())
	assert.Equal(t, plog.SeverityNumberError, lr.SeverityNumber())
	assert.Equal(t, "ERROR", lr.SeverityText())
	assert.Equal(t, map[string]any{
		"exception.type": "ValueError", "exception.message": "v", "exception.stacktrace": "Traceback…", "aind.truncated": true,
	}, lr.Attributes().AsRaw())

	lr = plog.NewLogRecord()
	r = Record{Body: "plain"}
	r.CopyTo(lr)
	assert.Equal(t, plog.SeverityNumberUnspecified, lr.SeverityNumber())
	assert.Empty(t, lr.SeverityText())
	assert.Zero(t, lr.Attributes().Len())
}
