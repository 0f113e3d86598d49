package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// shippedConfig holds the flags of -mode shipped: the shipped configs as
// users run them, exporting over otlp_http to a sink, for sizing a
// deployment.
type shippedConfig struct {
	targets       string // which of agent,gateway to run
	agentConfig   string
	gatewayConfig string
	peerOverlay   string // over the peer's config: its shipped export
	alloy         string // Grafana Alloy's binary
	alloyConfig   string
	clients       string // numbers of concurrent gateway clients
	batchLines    int    // lines per gateway request
}

func (s *shippedConfig) flags() {
	flag.StringVar(&s.targets, "shipped-targets", "agent,gateway,peer", "shipped mode: the targets to run (peer: the stock contrib pipeline doing the agent's job, -peer with -peer-config and -peer-shipped)")
	flag.StringVar(&s.peerOverlay, "peer-shipped", "bench/peer/shipped.yaml", "shipped mode: the config merged over -peer-config: the peer's export to the sink")
	flag.StringVar(&s.alloy, "alloy", "build/bench/alloy", "shipped mode: a Grafana Alloy v1.11.0 binary, for the alloy target (not in the default targets: it is not built here)")
	flag.StringVar(&s.alloyConfig, "alloy-config", "bench/alloy/config.alloy", "shipped mode: Alloy's pipeline, pushing to the sink's Loki push endpoint")
	flag.StringVar(&s.agentConfig, "agent-config", "config/capsule-agent.yaml", "shipped mode: the agent's config, tailing the corpus")
	flag.StringVar(&s.gatewayConfig, "gateway-config", "config/gateway.yaml", "shipped mode: the gateway's config, the corpus posted to it")
	flag.StringVar(&s.clients, "gateway-clients", "8", "shipped mode: numbers of concurrent gateway clients, comma-separated (a target each)")
	flag.IntVar(&s.batchLines, "gateway-batch", 500, "shipped mode: lines per gateway request")
}

// A shippedTarget is one shipped config measured on the corpus.
type shippedTarget struct {
	name string
	what string // the command and how it is fed, for the report
	run  shippedRun
}

// shipped runs every target cfg.runs times, interleaved, and reports the
// medians. It returns 1 when a run did not deliver exactly the corpus's
// lines to the sink.
func shipped(ctx context.Context, cfg *config) int {
	c, err := scanCorpus(cfg.corpus)
	if err != nil {
		return fail(err)
	}
	targets, err := shippedTargets(cfg)
	if err != nil {
		return fail(err)
	}
	r := shippedReport{machine: describeMachine(), corpus: c, runs: cfg.runs, targets: targets,
		command: strings.Join(os.Args, " "), version: version(cfg.ours)}
	runs := shippedInterleaved(targets)
	var ref *target
	if cfg.physref != "" {
		t := physrefTarget(cfg.physref, "goccy")
		ref, r.physrefWhat = &t, t.what
		runs = append(runs, interleavedOf([]target{t})...)
	}
	for _, l := range r.header() {
		fmt.Fprintln(os.Stderr, l)
	}
	samples, err := runInterleaved(ctx, "", cfg.runs, c, runs)
	if err != nil {
		return fail(err)
	}
	for _, t := range targets {
		r.rows = append(r.rows, summariseShipped(t.name, samples[t.name]))
	}
	if ref != nil {
		s := summarise(ref.name, samples[ref.name])
		r.physref = &s
	}
	fmt.Println()
	r.text(os.Stdout)
	if err := writeMarkdown(cfg.md, r.markdown); err != nil {
		return fail(err)
	}
	for _, row := range r.rows {
		if check(row.summary, c.lines) != "✓" {
			return 1
		}
	}
	return 0
}

// shippedInterleaved: the shipped targets, with what benchrun spent
// beside each run in its progress line.
func shippedInterleaved(targets []shippedTarget) []interleavedTarget {
	runs := make([]interleavedTarget, len(targets))
	for i, t := range targets {
		runs[i] = interleavedTarget{name: t.name, run: t.run.run, progress: func(s sample) string {
			return fmt.Sprintf("%s; benchrun %.2f CPU-s, %d retries, %d exports", s, s.harnessCPU.Seconds(), s.retries, s.exports)
		}}
	}
	return runs
}

// shippedTargets: the agent, and a gateway target per number of clients.
func shippedTargets(cfg *config) ([]shippedTarget, error) {
	sc := &cfg.shipped
	bin, err := existing(cfg.ours)
	if err != nil {
		return nil, err
	}
	base := shippedRun{bin: bin, batchLines: sc.batchLines, poll: cfg.poll, stall: cfg.stall, keep: cfg.keep}
	var ts []shippedTarget
	for name := range strings.SplitSeq(sc.targets, ",") {
		switch strings.TrimSpace(name) {
		case "agent":
			r := base
			config, err := existing(sc.agentConfig)
			if err != nil {
				return nil, err
			}
			r.configs = []string{config}
			ts = append(ts, shippedTarget{name: "agent", run: r,
				what: fmt.Sprintf("%s --config %s, tailing a hard link to the corpus in AIND_LOG_DIR", cfg.ours, sc.agentConfig)})
		case "alloy":
			t, err := alloyTarget(cfg, base)
			if err != nil {
				return nil, err
			}
			ts = append(ts, t)
		case "peer":
			t, err := shippedPeerTarget(cfg, base)
			if err != nil {
				return nil, err
			}
			ts = append(ts, t)
		case "gateway":
			gs, err := gatewayTargets(cfg, base)
			if err != nil {
				return nil, err
			}
			ts = append(ts, gs...)
		case "":
		default:
			return nil, fmt.Errorf("unknown shipped target %q", name)
		}
	}
	return ts, nil
}

// shippedPeerTarget is the stock contrib pipeline doing the agent's job:
// the compare mode's peer config with bench/peer/shipped.yaml over it,
// exporting through a persistent queue to the same sink.
func shippedPeerTarget(cfg *config, base shippedRun) (shippedTarget, error) {
	bin, err := existing(cfg.peer)
	if err != nil {
		return shippedTarget{}, fmt.Errorf("the peer (make bench-peer): %w", err)
	}
	r := base
	r.bin = bin
	for _, c := range []string{cfg.peerConfig, cfg.shipped.peerOverlay} {
		abs, err := existing(c)
		if err != nil {
			return shippedTarget{}, err
		}
		r.configs = append(r.configs, abs)
	}
	return shippedTarget{name: "peer", run: r,
		what: fmt.Sprintf("%s --config %s --config %s, tailing the same hard link", cfg.peer, cfg.peerConfig, cfg.shipped.peerOverlay)}, nil
}

// alloyTarget is Grafana Alloy, the agent the AIND standard points to,
// tailing the corpus with its own pipeline (bench/alloy/config.alloy) and
// pushing to the sink as to Loki.
func alloyTarget(cfg *config, base shippedRun) (shippedTarget, error) {
	sc := &cfg.shipped
	bin, err := existing(sc.alloy)
	if err != nil {
		return shippedTarget{}, fmt.Errorf("Grafana Alloy (-alloy): %w", err)
	}
	config, err := existing(sc.alloyConfig)
	if err != nil {
		return shippedTarget{}, err
	}
	// Its own server needs a real port (its cluster's memberlist refuses
	// port 0): one free now, on loopback.
	ports, err := freePorts(1)
	if err != nil {
		return shippedTarget{}, err
	}
	r := base
	r.bin = bin
	// Its positions in the run directory, no usage reporting.
	r.args = []string{"run", config, "--storage.path=storage", "--server.http.listen-addr=" + loopback(ports[0]), "--disable-reporting"}
	return shippedTarget{name: "alloy", run: r,
		what: fmt.Sprintf("%s %s, tailing the same hard link, loki.write to the sink's %s", sc.alloy, strings.Join(r.args, " "), lokiPushPath)}, nil
}

func gatewayTargets(cfg *config, base shippedRun) ([]shippedTarget, error) {
	sc := &cfg.shipped
	config, err := existing(sc.gatewayConfig)
	if err != nil {
		return nil, err
	}
	var ts []shippedTarget
	for f := range strings.SplitSeq(sc.clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || sc.batchLines < 1 {
			return nil, fmt.Errorf("-gateway-clients %q and -gateway-batch %d: want positive numbers", sc.clients, sc.batchLines)
		}
		r := base
		r.configs, r.clients = []string{config}, n
		ts = append(ts, shippedTarget{name: fmt.Sprintf("gateway×%d", n), run: r,
			what: fmt.Sprintf("%s --config %s, %d clients in benchrun posting %d-line NDJSON requests to /aind/v1/logs (503: again after Retry-After)",
				cfg.ours, sc.gatewayConfig, n, sc.batchLines)})
	}
	return ts, nil
}
