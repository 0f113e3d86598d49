package main

import (
	"context"
	"fmt"
	"os"
)

// interleavedTarget is one target of runInterleaved.
type interleavedTarget struct {
	name string
	run  func(context.Context, corpusInfo) (sample, error)
	// progress is what the progress line says of a sample.
	progress func(sample) string
}

// runInterleaved runs every target runs times on the corpus, interleaved
// (a, b, c, a, b, c, …) so that the noise of a shared machine hits them
// alike, each run within runTimeout. It prints a progress line per run,
// after label if there is one, and returns the samples by target name; the
// first failed run ends it.
func runInterleaved(ctx context.Context, label string, runs int, c corpusInfo, targets []interleavedTarget) (map[string][]sample, error) {
	if label != "" {
		label += " "
	}
	samples := map[string][]sample{}
	for i := range runs {
		for _, t := range targets {
			rctx, cancel := context.WithTimeout(ctx, runTimeout(c))
			s, err := t.run(rctx, c)
			cancel()
			if err != nil {
				return nil, fmt.Errorf("%srun %d/%d of %s: %w", label, i+1, runs, t.name, err)
			}
			fmt.Fprintf(os.Stderr, "%srun %d/%d %-14s %s\n", label, i+1, runs, t.name, t.progress(s))
			samples[t.name] = append(samples[t.name], s)
		}
	}
	return samples, nil
}

// interleavedOf: the comparison's targets, reported as samples are.
func interleavedOf(targets []target) []interleavedTarget {
	out := make([]interleavedTarget, len(targets))
	for i, t := range targets {
		out[i] = interleavedTarget{name: t.name, run: t.run, progress: sample.String}
	}
	return out
}
