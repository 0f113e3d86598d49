package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/AllenNeuralDynamics/otelcol-aind/bench/harness/internal/corpus"
)

// generate writes a corpus with opt into dir (emptied first), its lines
// ending now, and scans it into the page cache. The caller removes it
// with the returned func.
func generate(dir string, opt corpus.Options) (corpusInfo, corpus.Stats, func(), error) {
	remove := func() { os.RemoveAll(dir) }
	remove()
	opt.Out, opt.Base = filepath.Join(dir, "corpus.jsonl"), time.Now()
	began := time.Now()
	st, err := corpus.Write(opt)
	if err != nil {
		remove()
		return corpusInfo{}, st, nil, err
	}
	c, err := scanCorpus(corpus.Glob(opt.Out, opt.Files))
	if err != nil {
		remove()
		return c, st, nil, err
	}
	fmt.Fprintf(os.Stderr, "generated %s: %d lines in %d files, %.0f MiB, in %s\n",
		filepath.Base(dir), c.lines, len(c.files), float64(c.bytes)/(1<<20), time.Since(began).Round(time.Millisecond))
	return c, st, remove, nil
}
