// Command corpusgen writes a realistic AIND JSON Lines corpus for the
// benchmarks (see package corpus and bench/README.md). The output depends
// only on -seed, -base, -lines and the shape flags (-secrets, -line-bytes,
// -fields), which the cost curves of benchrun -mode curves move one at a
// time.
//
//	corpusgen -lines 2000000 -out build/bench/corpus.jsonl
//	corpusgen -lines 100000 -files 10 -out /tmp/c/corpus.jsonl  # corpus-0000.jsonl …
//	corpusgen -lines 10000 -line-bytes 4096 -fields 3 -secrets 0.1 -out /tmp/c/shaped.jsonl
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/AllenNeuralDynamics/otelcol-aind/bench/harness/internal/corpus"
)

func main() {
	lines := flag.Int("lines", 2_000_000, "number of lines")
	out := flag.String("out", "corpus.jsonl", "output file; with -files N > 1, files <name>-NNNN<ext> beside it")
	files := flag.Int("files", 1, "split the lines round-robin across this many files")
	seed := flag.Uint64("seed", 1, "random seed")
	baseFlag := flag.String("base", "", "RFC 3339 time the corpus ends at (default now); lines span the hour before it")
	secrets := flag.Float64("secrets", corpus.DefaultSecrets, "fraction of lines carrying a secret redaction must mask")
	lineBytes := flag.Int("line-bytes", 0, "make every line about this many bytes, newline included, by growing or cutting its message (0: as generated, ~390 on average)")
	fields := flag.Int("fields", 0, "give every JSON line exactly this many fields, at least 3 (0: 12 to 17, as generated)")
	flag.Parse()
	base := time.Now()
	if *baseFlag != "" {
		var err error
		if base, err = time.Parse(time.RFC3339Nano, *baseFlag); err != nil {
			fatalf("-base: %v", err)
		}
	}

	began := time.Now()
	st, err := corpus.Write(corpus.Options{Lines: *lines, Seed: *seed, Base: base, Out: *out, Files: *files,
		Secrets: *secrets, LineBytes: *lineBytes, Fields: *fields})
	if err != nil {
		fatalf("%v", err)
	}
	where := st.Paths[0]
	if len(st.Paths) > 1 {
		where = fmt.Sprintf("%d files %s", len(st.Paths), corpus.Glob(*out, *files))
	}
	n := float64(max(st.Lines, 1))
	fmt.Fprintf(os.Stderr, "corpusgen: %d lines, %d bytes (%.1f MiB) to %s in %s\n",
		st.Lines, st.Bytes, float64(st.Bytes)/(1<<20), where, time.Since(began).Round(time.Millisecond))
	fmt.Fprintf(os.Stderr, "corpusgen: average %.1f bytes/line, %.1f fields/line; %d malformed, %d with a secret, %d with a traceback; times %s … %s\n",
		float64(st.Bytes)/n, float64(st.Fields)/n, st.Malformed, st.Secrets, st.Tracebacks,
		st.Start.UTC().Format(time.RFC3339), st.End.UTC().Format(time.RFC3339))
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "corpusgen: "+format+"\n", args...)
	os.Exit(2)
}
