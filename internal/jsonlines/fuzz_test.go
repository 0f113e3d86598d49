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
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/utf8text"
)

// FuzzParseLine feeds arbitrary lines through what the receiver does with a
// line. Whatever the input, the record must be deliverable: a map body, or a
// valid-UTF-8 string body with a parse error that does not quote the line.
func FuzzParseLine(f *testing.F) {
	seeds, err := filepath.Glob("../../testdata/*.jsonl")
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seed corpus in ../../testdata/*.jsonl: %v", err)
	}
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

// FuzzBuilderPrepare holds Prepare to what each input did before the
// Builder: the file input cut fileconsumer's token (a CR split from its LF
// aside) and then cleaned it; the HTTP input cleaned the line and then cut
// it. Either way the line kept is at most MaxLogSize bytes.
func FuzzBuilderPrepare(f *testing.F) {
	for _, s := range []string{"abcde\r", "  abcd", "\xef\xbb\xbfabc", "ab😀x", "abcd\xff\xff", "\r\r", ""} {
		f.Add([]byte(s), uint8(5))
	}
	f.Fuzz(func(t *testing.T, line []byte, max uint8) {
		n := int(max%64) + 1
		for _, cutRaw := range []bool{false, true} {
			b := Builder{MaxLogSize: n, CutRaw: cutRaw}
			got, ok := b.Prepare(line)
			var want []byte
			var wantCut, empty bool
			if cutRaw {
				want, wantCut = fileInputLimit(line, n)
				want = CleanLine(want)
				empty = len(want) == 0
			} else {
				// Empty is decided before the cut: a line cut to nothing
				// (one multi-byte character over the limit) is a record.
				want = CleanLine(line)
				empty = len(want) == 0
				wantCut = len(want) > n
				want = utf8text.Cut(want, n)
			}
			if empty {
				if ok || b.Counts() != (Counts{Empty: 1}) {
					t.Fatalf("cutRaw %v: an empty line must be skipped and counted", cutRaw)
				}
				continue
			}
			if !ok || string(got.Text) != string(want) || got.Truncated != wantCut {
				t.Fatalf("cutRaw %v: got %q %v, want %q %v", cutRaw, got.Text, got.Truncated, want, wantCut)
			}
			if len(got.Text) > n {
				t.Fatalf("cutRaw %v: %d bytes kept, limit %d", cutRaw, len(got.Text), n)
			}
		}
	})
}

// fileInputLimit is how the file input cut fileconsumer's tokens before
// the Builder.
func fileInputLimit(token []byte, maxLogSize int) ([]byte, bool) {
	if len(token) <= maxLogSize {
		return token, false
	}
	if len(token) == maxLogSize+1 && token[maxLogSize] == '\r' {
		return token[:maxLogSize], false
	}
	return utf8text.Cut(token, maxLogSize), true
}
