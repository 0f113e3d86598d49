package consoletext

import (
	"testing"
	"time"
	"unicode/utf8"
)

var t0 = time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)

// decode feeds input in chunks of size chunk (0: whole) at one instant and
// flushes, checking Consumed along the way.
func decode(t testing.TB, cfg Config, input string, chunk int) []Record {
	t.Helper()
	d := NewDecoder(cfg)
	var out []Record
	var written, consumed int64
	for rest := input; rest != ""; {
		n := len(rest)
		if chunk > 0 {
			n = min(chunk, n)
		}
		out = d.Write([]byte(rest[:n]), t0, out)
		rest = rest[n:]
		written += int64(n)
		c := d.Consumed()
		if c < consumed || c > written {
			t.Fatalf("Consumed %d after %d (%d written)", c, consumed, written)
		}
		consumed = c
	}
	out = d.Flush(out)
	if c := d.Consumed(); c != written {
		t.Fatalf("Consumed %d after Flush, %d written", c, written)
	}
	checkRecords(t, cfg, out)
	return out
}

// checkRecords holds records to what any record must be.
func checkRecords(t testing.TB, cfg Config, out []Record) {
	t.Helper()
	for i, r := range out {
		if !utf8.ValidString(r.Body) || len(r.Body) > cfg.MaxLogSize {
			t.Fatalf("record %d: body of %d bytes, valid UTF-8 %v", i, len(r.Body), utf8.ValidString(r.Body))
		}
		if containsESC(r.Body) {
			t.Fatalf("record %d: body holds an escape", i)
		}
		if e := r.Exception; e != nil {
			if !utf8.ValidString(e.Stacktrace) || len(e.Stacktrace) > cfg.MaxLogSize || containsESC(e.Stacktrace) {
				t.Fatalf("record %d: stack trace of %d bytes, valid UTF-8 %v", i, len(e.Stacktrace), utf8.ValidString(e.Stacktrace))
			}
		}
	}
}

func containsESC(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == escByte {
			return true
		}
	}
	return false
}

// decodeChunked decodes input whole and in 1- and 7-byte chunks, and
// fails unless all three agree.
func decodeChunked(t *testing.T, cfg Config, input string) []Record {
	t.Helper()
	whole := decode(t, cfg, input, 0)
	for _, chunk := range []int{1, 7} {
		got := decode(t, cfg, input, chunk)
		if !equalRecords(whole, got) {
			t.Fatalf("in %d-byte chunks:\n%+v\nwhole:\n%+v", chunk, got, whole)
		}
	}
	return whole
}

func equalRecords(a, b []Record) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if (x.Exception == nil) != (y.Exception == nil) || x.Exception != nil && *x.Exception != *y.Exception {
			return false
		}
		x.Exception, y.Exception = nil, nil
		if x != y {
			return false
		}
	}
	return true
}
