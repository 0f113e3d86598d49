package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/AllenNeuralDynamics/otelcol-aind/bench/harness/internal/corpus"
)

// point is a variant's corpus and, once measured, its medians.
type point struct {
	label string
	c     corpusInfo
	st    corpus.Stats
	s     summary
}

func (p point) bytesPerLine() float64 { return float64(p.c.bytes) / float64(max(p.c.lines, 1)) }

// mibPerSec is the throughput in input bytes.
func (p point) mibPerSec() float64 { return p.s.lps * p.bytesPerLine() / (1 << 20) }

// cpuMsPerMiB is the cost per input byte: CPU milliseconds per MiB read.
// Against CPU-s per M lines it tells a per-line cost from a per-byte one.
func (p point) cpuMsPerMiB() float64 {
	return p.s.cpuPerM * 1e3 / (1e6 * p.bytesPerLine() / (1 << 20))
}

// oursCurve generates every variant of cv, runs ours on them interleaved
// (a, b, c, a, b, c, …) and returns the curve's table.
func oursCurve(ctx context.Context, cfg *config, ours target, cv curve) (string, error) {
	cc := &cfg.curves
	points := make([]point, len(cv.variants))
	var largest corpusInfo
	var runs []interleavedTarget
	for i, v := range cv.variants {
		opt := v.opt
		opt.Lines, opt.Seed, opt.Files = cc.lines(opt), cc.seed, 1
		c, st, remove, err := generate(cc.curveDir(cv.name, i), opt)
		if err != nil {
			return "", err
		}
		defer remove()
		points[i] = point{label: v.label, c: c, st: st}
		if c.lines > largest.lines {
			largest = c
		}
		// Each variant reads its own corpus, whatever runInterleaved
		// passes (the largest, which only bounds the run's time).
		runs = append(runs, interleavedTarget{name: v.label, progress: sample.String,
			run: func(ctx context.Context, _ corpusInfo) (sample, error) { return ours.run(ctx, c) }})
	}
	samples, err := runInterleaved(ctx, cv.name, cfg.runs, largest, runs)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "### %s\n\n", cv.title)
	b.WriteString("| variant | bytes/line | fields/line | lines with a secret | lines | lines/s | min–max | MiB/s | CPU-s / M lines | CPU-ms / MiB | peak RSS MiB | records |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for i := range points {
		p := &points[i]
		p.s = summarise(p.label, samples[p.label])
		jsonLines := max(p.st.Lines-p.st.Malformed, 1)
		fmt.Fprintf(&b, "| %s | %.0f | %.1f | %.2f %% | %d | %.0f | %.0f–%.0f | %.1f | %.2f | %.2f | %.1f | %s |\n",
			p.label, p.bytesPerLine(), float64(p.st.Fields)/float64(jsonLines), 100*float64(p.st.Secrets)/float64(max(p.st.Lines, 1)),
			p.c.lines, p.s.lps, p.s.lpsMin, p.s.lpsMax, p.mibPerSec(), p.s.cpuPerM, p.cpuMsPerMiB(), p.s.rssMiB, check(p.s, p.c.lines))
	}
	return b.String(), nil
}

// clientsCurve runs shipped mode's gateway with each number of
// -curve-clients on one realistic corpus, exporting over otlp_http into
// benchrun's sink (the gateway has no nop variant).
func clientsCurve(ctx context.Context, cfg *config) (string, error) {
	cc := &cfg.curves
	sc := *cfg
	sc.shipped.targets, sc.shipped.clients = "gateway", cc.clients
	targets, err := shippedTargets(&sc)
	if err != nil {
		return "", err
	}
	opt := corpus.Options{Seed: cc.seed, Files: 1, Secrets: corpus.DefaultSecrets}
	opt.Lines = cc.lines(opt)
	c, _, remove, err := generate(cc.curveDir("clients", 0), opt)
	if err != nil {
		return "", err
	}
	defer remove()
	samples, err := runInterleaved(ctx, "clients", cfg.runs, c, shippedInterleaved(targets))
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "### Gateway clients (%s, %d-line requests, into an OTLP/HTTP sink; %d lines)\n\n", cfg.shipped.gatewayConfig, cfg.shipped.batchLines, c.lines)
	b.WriteString("| target | lines/s | min–max | CPU-s / M lines | CPU-ms / MiB | peak RSS MiB | benchrun CPU-s / M lines | 503s | records |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, t := range targets {
		r := summariseShipped(t.name, samples[t.name])
		p := point{c: c, s: r.summary}
		fmt.Fprintf(&b, "| %s | %.0f | %.0f–%.0f | %.2f | %.2f | %.1f | %.2f | %.0f | %s |\n",
			t.name, r.lps, r.lpsMin, r.lpsMax, r.cpuPerM, p.cpuMsPerMiB(), r.rssMiB, r.harnessPerM, r.retries, check(r.summary, c.lines))
	}
	return b.String(), nil
}
