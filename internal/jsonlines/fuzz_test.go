package jsonlines

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// FuzzParseLine feeds arbitrary lines through what the receiver does with a
// line. Whatever the input, the record must be deliverable: a map body, or a
// valid-UTF-8 string body with a parse error that does not quote the line.
func FuzzParseLine(f *testing.F) {
	seeds, _ := filepath.Glob("../../testdata/*.jsonl")
	for _, path := range seeds {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			f.Add([]byte(line))
		}
	}
	for _, s := range []string{`{"a":1e999}`, `{"a":-0}`, `{"a":"\ud800"}`, "{\"a\":\"\x00\"}", `{"a":[[[[]]]]}`, `{"":""}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		lr := plog.NewLogRecord()
		clean := CleanLine(line)
		if len(clean) == 0 {
			return
		}
		if DecodeLine(clean, lr) {
			if lr.Body().Type() != pcommon.ValueTypeMap {
				t.Fatalf("object decoded into a %s body", lr.Body().Type())
			}
			assertValidUTF8(t, lr.Body())
		} else {
			if !utf8.ValidString(lr.Body().Str()) {
				t.Fatal("raw body is not valid UTF-8")
			}
			reason, ok := lr.Attributes().Get(aind.AttrParseError)
			if !ok {
				t.Fatal("malformed line without aind.parse.error")
			}
			if len(clean) > 8 && strings.Contains(reason.Str(), string(clean)) {
				t.Fatal("parse error quotes the line")
			}
		}
		// Every record must survive OTLP encoding, as an exporter does it.
		ld := plog.NewLogs()
		lr.CopyTo(ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty())
		if _, err := (&plog.ProtoMarshaler{}).MarshalLogs(ld); err != nil {
			t.Fatalf("record cannot be encoded: %v", err)
		}
	})
}

func assertValidUTF8(t *testing.T, v pcommon.Value) {
	switch v.Type() {
	case pcommon.ValueTypeStr:
		if !utf8.ValidString(v.Str()) {
			t.Fatal("invalid UTF-8 string value")
		}
	case pcommon.ValueTypeMap:
		v.Map().Range(func(k string, e pcommon.Value) bool {
			if !utf8.ValidString(k) {
				t.Fatal("invalid UTF-8 key")
			}
			assertValidUTF8(t, e)
			return true
		})
	case pcommon.ValueTypeSlice:
		for i := 0; i < v.Slice().Len(); i++ {
			assertValidUTF8(t, v.Slice().At(i))
		}
	}
}
