package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/AllenNeuralDynamics/otelcol-aind/bench/harness/internal/promtext"
)

// A target is one thing the runner measures on a corpus: a collector
// distribution or the physical reference. Exactly one of coll and proc is
// set; they are templates the corpus completes at each run.
type target struct {
	name string
	what string // what runs, for the report
	coll *collectorRun
	proc *processRun
}

func (t target) run(ctx context.Context, c corpusInfo) (sample, error) {
	if t.coll != nil {
		r := *t.coll
		r.include, r.expected = c.glob, c.lines
		return r.run(ctx)
	}
	r := *t.proc
	r.args = append(append([]string(nil), r.args...), c.files...)
	return r.run(ctx)
}

// collectorTarget measures bin with configs (merged in order); sel selects
// its counter of records out.
func collectorTarget(name, bin string, configs []string, sel string, cfg *config) (target, error) {
	s, err := promtext.ParseSelector(sel)
	if err != nil {
		return target{}, err
	}
	// Absolute paths: the collector runs in a directory of its own.
	absBin, err := existing(bin)
	if err != nil {
		return target{}, err
	}
	absConfigs := make([]string, len(configs))
	for i, c := range configs {
		if absConfigs[i], err = existing(c); err != nil {
			return target{}, err
		}
	}
	return target{
		name: name,
		what: fmt.Sprintf("%s --config %s, watching %s", bin, strings.Join(configs, " --config "), sel),
		coll: &collectorRun{bin: absBin, configs: absConfigs, sel: s, poll: cfg.poll, stall: cfg.stall, keep: cfg.keep},
	}, nil
}

// physrefTarget measures the physical reference with one decoder.
func physrefTarget(bin, decoder string) target {
	return target{
		name: "physref " + decoder,
		what: fmt.Sprintf("%s -decoder %s (GOMAXPROCS 1)", bin, decoder),
		proc: &processRun{bin: bin, args: []string{"-decoder", decoder}},
	}
}

// existing returns path made absolute, or an error if it does not exist.
func existing(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	_, err = os.Stat(abs)
	return abs, err
}

// runTimeout bounds one run, a backstop behind -stall: a collector that
// keeps emitting a trickle must not hang `make bench`.
func runTimeout(c corpusInfo) time.Duration {
	// 5k lines/s is a third of the slowest pipeline measured so far (the
	// peer, ~14k lines/s on 2 cores).
	return 2*time.Minute + time.Duration(c.lines/5_000)*time.Second
}
