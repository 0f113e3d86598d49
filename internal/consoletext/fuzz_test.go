package consoletext

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecoder feeds arbitrary bytes cut at arbitrary points: the records
// must be those of the bytes written whole, deliverable (valid UTF-8 within
// MaxLogSize, no escape left), and Consumed a checkpoint that never goes
// back, never passes what was written, and reaches it at Flush.
func FuzzDecoder(f *testing.F) {
	seeds, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seed corpus in testdata/*.txt: %v", err)
	}
	for _, path := range seeds {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, []byte{1, 7, 3}, uint8(60))
	}
	for _, s := range []string{
		"\r 10%|█  |\r\x1b[A100%|███|\r   \rdone\r\n",
		"\x1b]8;;http://x\x1b\\link\x1b]8;;\x07 \x1b[1;31mred\x1b[0m\x1b7\n",
		"ERROR:root:x\nTraceback (most recent call last):\n  File \"x\"\nE: m\n\n" + chainCause + "\n\nTraceback (most recent call last):\nF\n",
		"2024-05-01 10:00:00,123 - a.b - CRITICAL - m\n  + Exception Group Traceback (most recent call last):\n  | G: g\n  +-+---- 1 ----\n    | V: v\n    +-----\n",
		"{\"a\":1}\n\xef\xbb\xbf\xff\xfe µm 日本 🐭\n",
	} {
		f.Add([]byte(s), []byte{2, 5}, uint8(8))
	}
	f.Fuzz(func(t *testing.T, data, cuts []byte, maxLog uint8) {
		cfg := Config{MaxLogSize: int(maxLog) + 1}
		whole := decode(t, cfg, string(data), 0)

		d := NewDecoder(cfg)
		var out []Record
		var written, consumed int64
		for i, rest := 0, data; len(rest) > 0; i++ {
			n := len(rest)
			if len(cuts) > 0 {
				n = min(int(cuts[i%len(cuts)])+1, n)
			}
			out = d.Write(rest[:n], t0, out)
			rest = rest[n:]
			written += int64(n)
			c := d.Consumed()
			if c < consumed || c > written {
				t.Fatalf("Consumed %d after %d, %d written", c, consumed, written)
			}
			consumed = c
		}
		out = d.Flush(out)
		if c := d.Consumed(); c != written {
			t.Fatalf("Consumed %d after Flush, %d written", c, written)
		}
		checkRecords(t, cfg, out)
		if !equalRecords(whole, out) {
			t.Fatalf("in chunks:\n%+v\nwhole:\n%+v", out, whole)
		}
	})
}
