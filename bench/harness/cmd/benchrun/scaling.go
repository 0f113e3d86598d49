package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/AllenNeuralDynamics/otelcol-aind/bench/harness/internal/corpus"
)

// scalingConfig holds the flags of -mode scaling: how a collector's cost
// moves with the number of files tailed at once, with a large backlog,
// and while files are quiet.
type scalingConfig struct {
	tests        string // which of files,backlog,idle to run
	dir          string // where the generated corpora go (removed after)
	seed         uint64
	files        string // numbers of files for the files test
	filesLines   int    // lines of the files test, split across the files
	backlogBytes int64
	idleFiles    int
	idleLines    int // per file
	idleFor      time.Duration
	peer         bool // measure the peer too
}

func (s *scalingConfig) flags() {
	flag.StringVar(&s.tests, "scaling-tests", "files,backlog,idle", "scaling mode: the tests to run")
	flag.StringVar(&s.dir, "scaling-dir", "build/bench/scaling", "scaling mode: where the generated corpora go (each is removed after its test)")
	flag.Uint64Var(&s.seed, "scaling-seed", 1, "scaling mode: seed of the generated corpora")
	flag.StringVar(&s.files, "scaling-files", "1,10,100", "scaling mode: numbers of files tailed at once")
	flag.IntVar(&s.filesLines, "scaling-lines", 2_000_000, "scaling mode: lines of the files test, split round-robin across the files")
	flag.Int64Var(&s.backlogBytes, "backlog-bytes", 2<<30, "scaling mode: size of the backlog corpus")
	flag.IntVar(&s.idleFiles, "idle-files", 1000, "scaling mode: quiet files of the idle test")
	flag.IntVar(&s.idleLines, "idle-lines", 10, "scaling mode: lines in each quiet file")
	flag.DurationVar(&s.idleFor, "idle-for", 30*time.Second, "scaling mode: how long the idle CPU is measured")
	flag.BoolVar(&s.peer, "scaling-peer", false, "scaling mode: measure the peer too")
}

// scaling runs the tests -scaling-tests names and prints their tables.
func scaling(ctx context.Context, cfg *config) int {
	sc := &cfg.scaling
	targets, versions, err := scalingTargets(cfg)
	if err != nil {
		return fail(err)
	}
	m := describeMachine()
	var header strings.Builder
	fmt.Fprintf(&header, "## Scaling\n\n- Date: %s\n- Machine: %s, %d cores, %s, %s\n",
		m.date.Format("2006-01-02 15:04 UTC"), m.cpu, m.cores, m.kernel, m.goVer)
	for _, t := range targets {
		fmt.Fprintf(&header, "- %s: %s (%s)\n", t.name, t.what, versions[t.name])
	}
	var report sections
	report.header(header.String())
	for test := range strings.SplitSeq(sc.tests, ",") {
		var md string
		var err error
		switch strings.TrimSpace(test) {
		case "files":
			md, err = filesTest(ctx, cfg, targets)
		case "backlog":
			md, err = backlogTest(ctx, cfg, targets)
		case "idle":
			md, err = idleTest(ctx, cfg, targets)
		case "":
			continue
		default:
			err = fmt.Errorf("unknown scaling test %q", test)
		}
		if err != nil {
			return fail(err)
		}
		report.add(md)
	}
	return report.finish(cfg.md)
}

// scalingTargets: ours, and the peer with -scaling-peer.
func scalingTargets(cfg *config) ([]target, map[string]string, error) {
	c := *cfg
	c.physref = ""
	if !cfg.scaling.peer {
		c.peer = ""
	}
	return compareTargets(&c)
}

// generated writes a corpus for one test under -scaling-dir; the caller
// removes it with the returned func.
func generated(cfg *config, name string, lines, files int) (corpusInfo, func(), error) {
	opt := corpus.Options{Lines: lines, Seed: cfg.scaling.seed, Files: files, Secrets: corpus.DefaultSecrets}
	c, _, remove, err := generate(filepath.Join(cfg.scaling.dir, name), opt)
	return c, remove, err
}

// runAll measures every target on c, runs times, interleaved.
func runAll(ctx context.Context, targets []target, c corpusInfo, runs int, label string) (map[string]summary, error) {
	samples, err := runInterleaved(ctx, label, runs, c, interleavedOf(targets))
	if err != nil {
		return nil, err
	}
	out := map[string]summary{}
	for _, t := range targets {
		out[t.name] = summarise(t.name, samples[t.name])
	}
	return out, nil
}

// check is ✓ when every run emitted all lines, else the counts and ✗.
func check(s summary, lines int64) string {
	for _, n := range s.records {
		if n != lines {
			parts := make([]string, len(s.records))
			for i, n := range s.records {
				parts[i] = strconv.FormatInt(n, 10)
			}
			return strings.Join(parts, "/") + " ✗"
		}
	}
	return "✓"
}
