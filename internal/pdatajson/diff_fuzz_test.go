package pdatajson

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

// FuzzParseObjectMatchesEncodingJSON holds the hand-written decoder to the
// standard library's: the same texts are JSON objects, and they decode to
// the same values (numbers typed as ParseObject documents). The deliberate
// differences are skipped: nesting beyond maxDepth, and values of texts with
// invalid UTF-8 (encoding/json replaces each bad byte, ParseObject each run).
func FuzzParseObjectMatchesEncodingJSON(f *testing.F) {
	seeds, err := filepath.Glob("../../testdata/*.jsonl")
	require.NoError(f, err)
	require.NotEmpty(f, seeds, "the seed corpus, ../../testdata/*.jsonl")
	for _, path := range seeds {
		data, err := os.ReadFile(path)
		require.NoError(f, err)
		for _, line := range strings.Split(string(data), "\n") {
			f.Add([]byte(line))
		}
	}
	for _, s := range []string{
		`{"a":1e999}`, `{"a":-0}`, `{"a":"\ud800"}`, `{"a":"\ud83d\ude00x\u00e9\/"}`, "{\"a\":\"\x00\"}",
		`{"a":[[[[]]]]}`, `{"":""}`, `{"a":01}`, `{"a":1.}`, `{"a":.5}`, `{"a":-}`, `{"a":1e}`, `{"a":1E+2}`,
		`{"a":true,"a":null}`, `{"a":"\x"}`, `{"a":"\u12"}`, ` {"a":[1,2,]}`, `{"a":nul}`, `null`, `{"a":1}}`,
		`{"a":123456789012345678901234567890}`, `{"a":-9223372036854775808}`, `{"a":9223372036854775808}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got := pcommon.NewMap()
		err := ParseObject(data, got)
		if err == ErrTooDeep {
			return
		}
		var want map[string]any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		stdErr := dec.Decode(&want)
		// Decode stops after one value; Valid also refuses what follows.
		// "null" decodes into a nil map.
		stdOK := stdErr == nil && json.Valid(data) && want != nil
		if (err == nil) != stdOK {
			t.Fatalf("ParseObject error %v, encoding/json error %v (object: %v)", err, stdErr, want != nil)
		}
		if err == nil && utf8.Valid(data) {
			assert.Equal(t, typedLikeParseObject(want), got.AsRaw())
		}
	})
}

// typedLikeParseObject converts encoding/json's values (with UseNumber) to
// the types ParseObject gives.
func typedLikeParseObject(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = typedLikeParseObject(e)
		}
		return v
	case []any:
		for i, e := range v {
			v[i] = typedLikeParseObject(e)
		}
		return v
	case json.Number:
		s := string(v)
		if !strings.ContainsAny(s, ".eE") {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				return n
			}
			return s
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
		return s
	}
	return v
}

func TestParseObjectLargeObject(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"dup":"first"`)
	for i := range 5000 {
		b.WriteString(`,"k` + strconv.Itoa(i) + `":` + strconv.Itoa(i))
	}
	b.WriteString(`,"dup":"last","nested":{"x":[1,{"y":null}]}}`)
	m := pcommon.NewMap()
	require.NoError(t, ParseObject([]byte(b.String()), m))
	assert.Equal(t, 5002, m.Len())
	v, _ := m.Get("dup")
	assert.Equal(t, "last", v.Str())
	v, _ = m.Get("k4999")
	assert.Equal(t, int64(4999), v.Int())
	v, _ = m.Get("nested")
	assert.Equal(t, map[string]any{"x": []any{int64(1), map[string]any{"y": nil}}}, v.AsRaw())
}
