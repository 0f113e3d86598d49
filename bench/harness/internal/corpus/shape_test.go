package corpus

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// shaped writes opt.Lines lines (5,000 if 0) with opt's shape and returns them decoded,
// the malformed ones left out, with their lengths (newline included).
func shaped(t *testing.T, opt Options) (Stats, []map[string]any, []int) {
	t.Helper()
	if opt.Lines == 0 {
		opt.Lines = 5000
	}
	opt.Seed, opt.Base, opt.Files = 3, base, 1
	opt.Out = filepath.Join(t.TempDir(), "shaped.jsonl")
	st, err := Write(opt)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(st.Paths[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	var recs []map[string]any
	var sizes []int
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			recs = append(recs, m)
			sizes = append(sizes, len(sc.Bytes())+1)
		}
	}
	if len(recs) != st.Lines-st.Malformed {
		t.Fatalf("%d JSON lines, want %d", len(recs), st.Lines-st.Malformed)
	}
	return st, recs, sizes
}

// TestFields: every JSON line has exactly the fields asked for, the
// standard's required ones first among them.
func TestFields(t *testing.T) {
	for _, n := range []int{3, 5, 15, 60} {
		_, recs, _ := shaped(t, Options{Fields: n, Secrets: DefaultSecrets})
		for i, m := range recs {
			if len(m) != n || m["timestamp"] == nil || m["level"] == nil || m["message"] == nil {
				t.Fatalf("fields %d, line %d: %d fields: %v", n, i, len(m), m)
			}
		}
	}
}

// TestLineBytes: lines are the size asked for, whatever it is, and only
// a message with a secret (never cut) or a traceback keeps one longer.
func TestLineBytes(t *testing.T) {
	for _, size := range []int{100, 400, 4096, 65536} {
		// 16 MiB at most: 64 KiB lines are slow to write.
		lines := min(5000, 16<<20/size)
		_, recs, sizes := shaped(t, Options{Lines: lines, LineBytes: size, Fields: 3, Secrets: DefaultSecrets})
		for i, m := range recs {
			// A few bytes off: the message's escapes, when it is requoted.
			if n := sizes[i]; (n < size-4 || n > size+4) && !hasSecret(m["message"].(string)) {
				t.Fatalf("line-bytes %d, line %d: %d bytes: %v", size, i, n, m)
			}
		}
	}
	st, _, sizes := shaped(t, Options{LineBytes: 2048, Fields: 60})
	over := 0
	for _, n := range sizes {
		if n < 2044 {
			t.Fatalf("line-bytes 2048, fields 60: a line of %d bytes", n)
		}
		if n > 2052 {
			over++
		}
	}
	if over > st.Tracebacks {
		t.Errorf("%d lines over 2048 bytes, %d tracebacks", over, st.Tracebacks)
	}
}

// TestSecrets: the fraction of lines with a secret is the one asked for,
// and the secrets are the planted patterns.
func TestSecrets(t *testing.T) {
	for _, frac := range []float64{0, 0.01, 0.1} {
		for _, fields := range []int{0, 5} {
			st, recs, _ := shaped(t, Options{Lines: 20000, Secrets: frac, Fields: fields})
			found := 0
			for _, m := range recs {
				b, _ := json.Marshal(m)
				if hasSecret(string(b)) {
					found++
				}
			}
			want := frac * float64(st.Lines)
			// The malformed lines (0.1 %) may hide a secret.
			if found > st.Secrets || found < st.Secrets-st.Malformed || float64(st.Secrets) < 0.8*want || float64(st.Secrets) > 1.2*want {
				t.Errorf("secrets %.2f, fields %d: %d lines with a secret found, %d planted, want about %.0f", frac, fields, found, st.Secrets, want)
			}
		}
	}
}

// hasSecret: s holds one of the planted secrets.
func hasSecret(s string) bool {
	for _, p := range []string{"password=", "access key AKIA", "postgresql://aind_rw:", "token ghp_", "Bearer eyJ"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// TestShapeRejected: a field count below the required fields, a negative
// size or a fraction outside [0, 1] is refused.
func TestShapeRejected(t *testing.T) {
	for _, opt := range []Options{{Fields: 2}, {LineBytes: -1}, {Secrets: 1.5}, {Secrets: -0.1}} {
		opt.Out, opt.Files = filepath.Join(t.TempDir(), "x.jsonl"), 1
		if _, err := Write(opt); err == nil {
			t.Errorf("%+v accepted", opt)
		}
	}
}
