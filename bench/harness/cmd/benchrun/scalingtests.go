package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// The tests of -mode scaling. Each returns its Markdown section.

// filesTest: lines/s, CPU and memory with the same lines spread over 1,
// 10, 100 … files tailed at once.
func filesTest(ctx context.Context, cfg *config, targets []target) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "### Files tailed at once\n\n%d lines split round-robin across the files, all present at start; median of %d run(s).\n\n", cfg.scaling.filesLines, cfg.runs)
	b.WriteString("| files | pipeline | lines/s | CPU-s / M lines | peak RSS MiB | records |\n|---:|---|---:|---:|---:|---|\n")
	for f := range strings.SplitSeq(cfg.scaling.files, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return "", fmt.Errorf("-scaling-files: %q", f)
		}
		c, remove, err := generated(cfg, fmt.Sprintf("files-%d", n), cfg.scaling.filesLines, n)
		if err != nil {
			return "", err
		}
		res, err := runAll(ctx, targets, c, cfg.runs, fmt.Sprintf("files=%d", n))
		remove()
		if err != nil {
			return "", err
		}
		for _, t := range targets {
			s := res[t.name]
			fmt.Fprintf(&b, "| %d | %s | %.0f | %.2f | %.1f | %s |\n", n, t.name, s.lps, s.cpuPerM, s.rssMiB, check(s, c.lines))
		}
	}
	return b.String(), nil
}

// backlogTest: peak memory when a large backlog (2 GiB) waits at start,
// against the same pipeline on the -corpus file.
func backlogTest(ctx context.Context, cfg *config, targets []target) (string, error) {
	base, err := scanCorpus(cfg.corpus)
	if err != nil {
		return "", err
	}
	perLine := float64(base.bytes) / float64(max(base.lines, 1))
	lines := int(float64(cfg.scaling.backlogBytes)/perLine) + 1
	resBase, err := runAll(ctx, targets, base, 1, "backlog base")
	if err != nil {
		return "", err
	}
	c, remove, err := generated(cfg, "backlog", lines, 1)
	if err != nil {
		return "", err
	}
	resBig, err := runAll(ctx, targets, c, 1, "backlog")
	remove()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "### Backlog memory\n\nOne file of %.2f GiB (%d lines) present at start, against the %d-line corpus; 1 run each.\n\n",
		float64(c.bytes)/(1<<30), c.lines, base.lines)
	b.WriteString("| pipeline | peak RSS MiB, corpus | peak RSS MiB, backlog | ratio | backlog lines/s | records |\n|---|---:|---:|---:|---:|---|\n")
	for _, t := range targets {
		sb, sg := resBase[t.name], resBig[t.name]
		fmt.Fprintf(&b, "| %s | %.1f | %.1f | %.2f× | %.0f | %s |\n", t.name, sb.rssMiB, sg.rssMiB, sg.rssMiB/sb.rssMiB, sg.lps, check(sg, c.lines))
	}
	return b.String(), nil
}

// idleTest: CPU while many files are tailed and nothing is written, once
// their first lines are read.
func idleTest(ctx context.Context, cfg *config, targets []target) (string, error) {
	sc := cfg.scaling
	c, remove, err := generated(cfg, "idle", sc.idleFiles*sc.idleLines, sc.idleFiles)
	if err != nil {
		return "", err
	}
	defer remove()
	var b strings.Builder
	fmt.Fprintf(&b, "### Idle CPU\n\n%d files of %d lines, read at start; then %s with no writes, not scraped.\n\n", sc.idleFiles, sc.idleLines, sc.idleFor)
	b.WriteString("| pipeline | lines read in s | idle CPU-s | CPU % of one core | peak RSS MiB | records |\n|---|---:|---:|---:|---:|---|\n")
	for _, t := range targets {
		// The same run, held idle once its records are out.
		coll := *t.coll
		coll.idle = sc.idleFor
		t.coll = &coll
		rctx, cancel := context.WithTimeout(ctx, runTimeout(c)+sc.idleFor)
		s, err := t.run(rctx, c)
		cancel()
		if err != nil {
			return "", fmt.Errorf("idle, %s: %w", t.name, err)
		}
		pct := 100 * s.idleCPU.Seconds() / s.idleWall.Seconds()
		fmt.Fprintf(os.Stderr, "idle %-5s %s; idle %.2f CPU-s over %s (%.2f %%)\n", t.name, s, s.idleCPU.Seconds(), s.idleWall.Round(time.Millisecond), pct)
		fmt.Fprintf(&b, "| %s | %.2f | %.2f | %.2f | %.1f | %s |\n", t.name, s.wall.Seconds(), s.idleCPU.Seconds(), pct, s.rssMiB(), check(summarise(t.name, []sample{s}), c.lines))
	}
	return b.String(), nil
}
