package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
)

// compare runs every target cfg.runs times on the corpus, interleaved
// (ours, peer, physref, ours, peer, …) so that noise of the machine hits
// them alike, and reports the medians against the goals. It returns the
// process exit code: 1 when a records check failed (or, with -strict, a
// goal was not met).
func compare(ctx context.Context, cfg *config) int {
	c, err := scanCorpus(cfg.corpus)
	if err != nil {
		return fail(err)
	}
	targets, versions, err := compareTargets(cfg)
	if err != nil {
		return fail(err)
	}
	r := report{machine: describeMachine(), corpus: c, runs: cfg.runs, poll: cfg.poll.String(), targets: targets, versions: versions}
	for _, l := range r.header() {
		fmt.Fprintln(os.Stderr, l)
	}

	samples, err := runInterleaved(ctx, "", cfg.runs, c, interleavedOf(targets))
	if err != nil {
		return fail(err)
	}

	byName := map[string]summary{}
	for _, t := range targets {
		s := summarise(t.name, samples[t.name])
		r.summaries = append(r.summaries, s)
		byName[t.name] = s
		for i, n := range s.records {
			if n != c.lines {
				r.problems = append(r.problems, fmt.Sprintf("%s run %d: %d records, the corpus has %d lines", t.name, i+1, n, c.lines))
			}
		}
	}
	r.goals = goals(byName)

	fmt.Println()
	r.text(os.Stdout)
	if err := writeMarkdown(cfg.md, r.markdown); err != nil {
		return fail(err)
	}
	if len(r.problems) > 0 {
		return 1
	}
	if cfg.strict {
		for _, g := range r.goals {
			if g.known && !g.met {
				return 1
			}
		}
	}
	return 0
}

// oursCheckpoints names ours run with its checkpoints in file_storage,
// saved after every accepted batch (-checkpoints).
const oursCheckpoints = "ours+checkpoints"

// compareTargets builds the targets from the flags. The peer is optional
// unless -require-peer: without its binary the report marks its goals n/a.
func compareTargets(cfg *config) ([]target, map[string]string, error) {
	var ts []target
	versions := map[string]string{}
	ours, err := collectorTarget("ours", cfg.ours, []string{cfg.oursConfig}, cfg.oursMetric, cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("ours: %w", err)
	}
	ts = append(ts, ours)
	versions["ours"] = version(cfg.ours)
	if cfg.checkpoints != "" {
		t, err := collectorTarget(oursCheckpoints, cfg.ours, []string{cfg.oursConfig, cfg.checkpoints}, cfg.oursMetric, cfg)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", oursCheckpoints, err)
		}
		ts = append(ts, t)
		versions[oursCheckpoints] = versions["ours"]
	}
	if cfg.peer != "" {
		if _, err := os.Stat(cfg.peer); err != nil && !cfg.requirePeer {
			fmt.Fprintf(os.Stderr, "benchrun: no peer (%v): its goals are n/a; build it with `make bench-peer`\n", err)
		} else {
			peer, err := collectorTarget("peer", cfg.peer, []string{cfg.peerConfig}, cfg.peerMetric, cfg)
			if err != nil {
				return nil, nil, fmt.Errorf("peer: %w", err)
			}
			ts = append(ts, peer)
			versions["peer"] = version(cfg.peer)
		}
	}
	if cfg.physref != "" {
		for d := range strings.SplitSeq(cfg.decoders, ",") {
			if d = strings.TrimSpace(d); d != "" {
				ts = append(ts, physrefTarget(cfg.physref, d))
			}
		}
	}
	return ts, versions, nil
}

// writeMarkdown writes a report's Markdown to path (-md) and says so;
// with no path it writes nothing.
func writeMarkdown(path string, write func(w io.Writer)) error {
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	write(f)
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Printf("\nMarkdown written to %s\n", path)
	return nil
}

// configArgs is the collector's command line for its configs, merged in
// order.
func configArgs(configs []string) []string {
	var args []string
	for _, c := range configs {
		args = append(args, "--config", c)
	}
	return args
}

func fail(err error) int {
	fmt.Fprintf(os.Stderr, "benchrun: %v\n", err)
	return 2
}
