package jsonlines

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// The file input's lines: fileconsumer hands over max_log_size+1 raw bytes
// of a longer line.
func TestBuilderPrepareCutRaw(t *testing.T) {
	tests := []struct {
		name      string
		token     string
		max       int
		want      string
		wantTrunc bool
	}{
		{"short", "abc", 5, "abc", false},
		{"exact", "abcde", 5, "abcde", false},
		{"one over", "abcdef", 5, "abcde", true},
		{"crlf split from its lf", "abcde\r", 5, "abcde", false},
		{"crlf ending of a short line", "abc\r", 5, "abc", false},
		{"cr and more over the limit", "abcdef\r", 5, "abcde", true},
		{"cut in 2-byte rune", "abcdé", 5, "abcd", true},
		{"cut after 2-byte rune", "abcé!", 5, "abcé", true},
		{"cut in 3-byte rune", "abc€", 5, "abc", true},
		{"cut in 4-byte rune", "ab😀x", 5, "ab", true},
		{"cut after 4-byte rune", "a😀xy", 5, "a😀", true},
		{"invalid bytes kept", "abcd\xff\xff", 5, "abcd\xff", true},
		// The raw bytes count: fileconsumer dropped what followed them.
		{"leading white space counts", "  abcd", 5, "abc", true},
		{"byte order mark counts", "\xef\xbb\xbfabc", 5, "ab", true},
		{"trailing white space counts", "abcd  ", 5, "abcd", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Builder{MaxLogSize: tt.max, CutRaw: true}
			got, ok := b.Prepare([]byte(tt.token))
			require.True(t, ok)
			assert.Equal(t, tt.want, string(got.Text))
			assert.Equal(t, tt.wantTrunc, got.Truncated)
			assert.Equal(t, Counts{Truncated: map[bool]int{false: 0, true: 1}[tt.wantTrunc]}, b.Counts())
		})
	}
}

// The HTTP input's lines: the limit applies to the cleaned line.
func TestBuilderPrepareCleaned(t *testing.T) {
	tests := []struct {
		name      string
		line      string
		want      string
		wantTrunc bool
	}{
		{"short", "abc", "abc", false},
		{"white space does not count", "   abcde  \r", "abcde", false},
		{"byte order mark does not count", "\xef\xbb\xbfabcde", "abcde", false},
		{"one over", " abcdef ", "abcde", true},
		{"cut in 2-byte rune", "abcdé", "abcd", true},
		{"cut in 4-byte rune", "ab😀x", "ab", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Builder{MaxLogSize: 5}
			got, ok := b.Prepare([]byte(tt.line))
			require.True(t, ok)
			assert.Equal(t, tt.want, string(got.Text))
			assert.Equal(t, tt.wantTrunc, got.Truncated)
			assert.True(t, utf8.Valid(got.Text) || !utf8.ValidString(tt.line))
		})
	}
}

func TestBuilderPrepareSkipsEmptyLines(t *testing.T) {
	for _, cutRaw := range []bool{false, true} {
		b := Builder{MaxLogSize: 3, CutRaw: cutRaw}
		for _, line := range []string{"", "\r", "   ", "\xef\xbb\xbf", " \t \r", "      "} {
			_, ok := b.Prepare([]byte(line))
			assert.False(t, ok, "%q", line)
		}
		// A line of white space over the limit is empty, not truncated.
		assert.Equal(t, Counts{Empty: 6}, b.Counts(), "cutRaw %v", cutRaw)
	}
}

func TestBuilderAppend(t *testing.T) {
	b := Builder{MaxLogSize: 16, Observed: 42, Attributes: [][2]string{{"log.file.name", "a.log"}}}
	records := plog.NewLogRecordSlice()
	raws := []string{`{"a":"b"}`, "not json", `{"message":"much too long"}`, "   ", `{"c":1}`}
	var parsed []bool
	for _, raw := range raws {
		line, ok := b.Prepare([]byte(raw))
		if !ok {
			continue
		}
		_, p := b.Append(records, line)
		parsed = append(parsed, p)
	}
	assert.Equal(t, []bool{true, false, false, true}, parsed)
	assert.Equal(t, Counts{Empty: 1, Truncated: 1, ParseErrors: 2}, b.Counts())
	require.Equal(t, 4, records.Len())

	lr := records.At(0)
	assert.Equal(t, pcommon.Timestamp(42), lr.ObservedTimestamp())
	assert.Equal(t, map[string]any{"a": "b"}, lr.Body().Map().AsRaw())
	assert.Equal(t, map[string]any{"log.file.name": "a.log"}, lr.Attributes().AsRaw())

	assert.Equal(t, "not json", records.At(1).Body().Str())
	assert.Equal(t, map[string]any{aind.AttrParseError: "not a JSON object", "log.file.name": "a.log"}, records.At(1).Attributes().AsRaw())

	cut := records.At(2)
	assert.Equal(t, `{"message":"much`, cut.Body().Str())
	assert.Equal(t, map[string]any{aind.AttrParseError: "invalid JSON", "log.file.name": "a.log", aind.AttrTruncated: true}, cut.Attributes().AsRaw())
	// The order is that of the records the inputs built before the Builder.
	var keys []string
	for k := range cut.Attributes().All() {
		keys = append(keys, k)
	}
	assert.Equal(t, []string{aind.AttrParseError, "log.file.name", aind.AttrTruncated}, keys)
}

func TestBuilderAppendOwned(t *testing.T) {
	for _, owned := range []bool{false, true} {
		b := Builder{MaxLogSize: 100, Owned: owned}
		records := plog.NewLogRecordSlice()
		buf := []byte(`{"k":"value"}`)
		line, ok := b.Prepare(buf)
		require.True(t, ok)
		lr, parsed := b.Append(records, line)
		require.True(t, parsed)
		copy(buf[6:], "VALUE")
		want := map[bool]string{false: "value", true: "VALUE"}[owned]
		v, _ := lr.Body().Map().Get("k")
		assert.Equal(t, want, v.Str(), "owned %v: an owned line is shared, another one copied", owned)
	}
}

func TestBuilderAppendText(t *testing.T) {
	b := Builder{MaxLogSize: 10, Observed: 7}
	records := plog.NewLogRecordSlice()
	long := strings.Repeat("é", 6) // 12 bytes
	for _, text := range []string{"", "  padded  ", long, "bad \xff"} {
		b.AppendText(records, text)
	}
	require.Equal(t, 4, records.Len())
	assert.Equal(t, "", records.At(0).Body().Str(), "an empty line is a record")
	assert.Equal(t, "  padded  ", records.At(1).Body().Str(), "not cleaned")
	assert.Equal(t, strings.Repeat("é", 5), records.At(2).Body().Str(), "cut on a UTF-8 boundary")
	assert.Equal(t, map[string]any{aind.AttrTruncated: true}, records.At(2).Attributes().AsRaw())
	assert.Equal(t, "bad \uFFFD", records.At(3).Body().Str())
	for i := 0; i < records.Len(); i++ {
		assert.Equal(t, pcommon.Timestamp(7), records.At(i).ObservedTimestamp())
	}
	assert.Equal(t, Counts{Truncated: 1}, b.Counts())
}

// A copy of a configured Builder counts on its own.
func TestBuilderCopiesCountApart(t *testing.T) {
	configured := Builder{MaxLogSize: 2}
	first := configured
	first.Prepare([]byte("abc"))
	second := configured
	second.Prepare([]byte(""))
	assert.Equal(t, Counts{Truncated: 1}, first.Counts())
	assert.Equal(t, Counts{Empty: 1}, second.Counts())
	assert.Equal(t, Counts{}, configured.Counts())
}
