package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var base = time.Date(2026, 2, 9, 21, 19, 24, 0, time.UTC)

func write(t *testing.T, name string, files int) (Stats, [][]byte) {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	st, err := Write(Options{Lines: 20000, Seed: 7, Base: base, Out: out, Files: files, Secrets: DefaultSecrets})
	if err != nil {
		t.Fatal(err)
	}
	var lines [][]byte
	for _, p := range st.Paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, bytes.SplitAfter(b, []byte("\n"))...)
	}
	return st, lines
}

// TestDeterministic: a seed and a base give the same bytes, however the
// lines are split across files.
func TestDeterministic(t *testing.T) {
	_, a := write(t, "a.jsonl", 1)
	_, b := write(t, "b.jsonl", 1)
	if !bytes.Equal(bytes.Join(a, nil), bytes.Join(b, nil)) {
		t.Fatal("two runs differ")
	}
	st, c := write(t, "c.jsonl", 3)
	if len(st.Paths) != 3 || len(bytes.Join(c, nil)) != len(bytes.Join(a, nil)) {
		t.Fatalf("split across %d files: %d bytes, want %d", len(st.Paths), len(bytes.Join(c, nil)), len(bytes.Join(a, nil)))
	}
}

// TestShape: every line is one JSON object of 12 to 17 fields with a
// timestamp in the hour before base, except the malformed ones.
func TestShape(t *testing.T) {
	st, _ := write(t, "s.jsonl", 1)
	f, err := os.Open(st.Paths[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	lines, bad := 0, 0
	for sc.Scan() {
		lines++
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) != nil {
			bad++
			continue
		}
		if n := len(m); n < 12 || n > 17 {
			t.Errorf("line %d: %d fields: %s", lines, n, sc.Bytes())
		}
		ts, err := time.Parse(time.RFC3339Nano, m["timestamp"].(string))
		if err != nil || ts.Before(st.Start) || !ts.Before(st.End) {
			t.Errorf("line %d: timestamp %v outside [%v, %v) (%v)", lines, m["timestamp"], st.Start, st.End, err)
		}
	}
	if lines != st.Lines || bad != st.Malformed {
		t.Errorf("%d lines, %d not JSON; want %d and %d", lines, bad, st.Lines, st.Malformed)
	}
	if st.Secrets == 0 || st.Tracebacks == 0 || st.Malformed == 0 {
		t.Errorf("no secret, traceback or malformed line: %+v", st)
	}
	if avg := float64(st.Bytes) / float64(st.Lines); avg < 300 || avg > 500 {
		t.Errorf("average line %.0f bytes", avg)
	}
}
