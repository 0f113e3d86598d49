// Command benchrun measures the cost per line of the collector
// distributions: it runs each as a child process on a corpus of AIND JSON
// Lines and takes wall time, CPU time and peak RSS. See bench/README.md.
//
//	benchrun -corpus build/bench/corpus.jsonl -physref build/bench/physref -md build/bench/results.md
//	benchrun -mode scaling -corpusgen …   # files tailed at once, backlog memory, idle CPU
//	benchrun -mode shipped -corpus …      # config/capsule-agent.yaml and config/gateway.yaml into a sink
//	benchrun -mode curves -md …           # ours against line size, fields, secrets; the gateway against clients
//	benchrun -mode run -printjob build/bench/printjob   # a job under otelcol-aind run against it redirected to a file
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

type config struct {
	mode   string
	corpus string

	ours, oursConfig, oursMetric string
	checkpoints                  string
	peer, peerConfig, peerMetric string
	requirePeer                  bool
	physref, decoders            string

	runs   int
	poll   time.Duration
	stall  time.Duration
	md     string
	keep   bool
	strict bool

	scaling scalingConfig
	shipped shippedConfig
	curves  curvesConfig
	run     runModeConfig
}

func main() {
	var cfg config
	flag.StringVar(&cfg.mode, "mode", "compare", "compare: ours, peer and the physical reference on one corpus; scaling: ours on many files, a large backlog and idle files; shipped: the shipped agent and gateway configs exporting over otlp_http to a sink; curves: ours' cost against line size, fields per line, lines with a secret and gateway clients; run: a job printing fast under otelcol-aind run against the job redirected to a file, and CPU per line of the console path against the file path")
	flag.StringVar(&cfg.corpus, "corpus", "build/bench/corpus.jsonl", "the corpus: a file or a glob")
	flag.StringVar(&cfg.ours, "ours", "build/otelcol-aind", "our distribution's binary")
	flag.StringVar(&cfg.oursConfig, "ours-config", "bench/ours.yaml", "its configuration")
	flag.StringVar(&cfg.checkpoints, "checkpoints", "", "a config merged over ours' that keeps its checkpoints in file_storage: runs ours+checkpoints too, and the checkpoints goal (empty: not)")
	flag.StringVar(&cfg.oursMetric, "ours-metric", `otelcol_processor_outgoing_items{otel_signal="logs",processor="aind"}`, "its counter of log records out of the last processor")
	flag.StringVar(&cfg.peer, "peer", "build/otelcol-peer", "the stock contrib peer's binary (empty: none)")
	flag.StringVar(&cfg.peerConfig, "peer-config", "bench/peer/config.yaml", "its configuration")
	flag.StringVar(&cfg.peerMetric, "peer-metric", `otelcol_processor_outgoing_items{otel_signal="logs",processor="redaction"}`, "its counter of log records out of the last processor")
	flag.BoolVar(&cfg.requirePeer, "require-peer", false, "fail when the peer's binary is missing instead of skipping it")
	flag.StringVar(&cfg.physref, "physref", "build/bench/physref", "the physical reference's binary (empty: none)")
	flag.StringVar(&cfg.decoders, "decoders", "goccy,std", "decoders the physical reference runs with, comma-separated")
	flag.IntVar(&cfg.runs, "runs", 3, "runs of each target (medians are reported)")
	flag.DurationVar(&cfg.poll, "poll", 50*time.Millisecond, "how often a collector's metrics are scraped: the wall time's resolution")
	flag.DurationVar(&cfg.stall, "stall", 20*time.Second, "give a collector run up when its records count has not moved for this long")
	flag.StringVar(&cfg.md, "md", "", "also write the results as Markdown to this file")
	flag.BoolVar(&cfg.keep, "keep", false, "keep each collector run's directory (its log)")
	flag.BoolVar(&cfg.strict, "strict", false, "exit 1 when a goal is not met (records mismatches always do)")
	cfg.scaling.flags()
	cfg.shipped.flags()
	cfg.curves.flags()
	cfg.run.flags()
	flag.Parse()
	if cfg.runs < 1 || cfg.poll <= 0 || cfg.stall <= 0 {
		fmt.Fprintln(os.Stderr, "benchrun: -runs must be ≥ 1, -poll and -stall positive")
		os.Exit(2)
	}

	// Ctrl-C cancels the run in progress; its collector is then stopped
	// by the deferred cleanup, not left behind.
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := 2
	switch cfg.mode {
	case "compare":
		code = compare(ctx, &cfg)
	case "scaling":
		code = scaling(ctx, &cfg)
	case "shipped":
		code = shipped(ctx, &cfg)
	case "curves":
		code = curves(ctx, &cfg)
	case "run":
		code = runMode(ctx, &cfg)
	default:
		fmt.Fprintf(os.Stderr, "benchrun: unknown -mode %q\n", cfg.mode)
	}
	cancel()
	os.Exit(code)
}
