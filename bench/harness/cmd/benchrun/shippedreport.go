package main

import (
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"
)

// shippedRow is a shipped target's medians: the collector's own, and
// what benchrun spent beside it.
type shippedRow struct {
	summary
	harnessPerM float64 // benchrun's CPU-s per million lines (sink, clients)
	retries     float64 // 503 answers to the gateway clients
	perExport   float64 // records per request the sink accepted
	acceptLps   float64 // lines/s the gateway answered 200 to; 0: the agent
}

func summariseShipped(name string, ss []sample) shippedRow {
	row := shippedRow{summary: summarise(name, ss)}
	var harness, retries, perExport, accept []float64
	for _, s := range ss {
		if s.accepted > 0 {
			accept = append(accept, float64(s.records)/s.accepted.Seconds())
		}
		harness = append(harness, s.harnessCPU.Seconds()/float64(max(s.records, 1))*1e6)
		retries = append(retries, float64(s.retries))
		perExport = append(perExport, float64(s.records)/float64(max(s.exports, 1)))
	}
	if len(ss) > 0 {
		row.harnessPerM, row.retries, row.perExport = median(harness), median(retries), median(perExport)
	}
	if len(accept) > 0 {
		row.acceptLps = median(accept)
	}
	return row
}

// perCore is lines/s per core fully used: 1e6 ÷ CPU-s per M lines.
func (r shippedRow) perCore() float64 {
	if r.cpuPerM == 0 {
		return 0
	}
	return 1e6 / r.cpuPerM
}

// shippedReport is what -mode shipped prints, as text and as Markdown
// for bench/RESULTS.md.
type shippedReport struct {
	machine machine
	corpus  corpusInfo
	runs    int
	targets []shippedTarget
	command string // benchrun's command line
	version string
	rows    []shippedRow
	physref *summary // the physical reference, run interleaved with the targets; nil: not run
	// physrefWhat is its command, for the header; "" when it does not run.
	physrefWhat string
}

func (r shippedReport) header() []string {
	c := r.corpus
	lines := []string{
		fmt.Sprintf("Date: %s", r.machine.date.Format("2006-01-02 15:04 UTC")),
		fmt.Sprintf("Machine: %s, %d cores, %s, %s", r.machine.cpu, r.machine.cores, r.machine.kernel, r.machine.goVer),
		fmt.Sprintf("Corpus: %s, %d lines in %d files, %.1f MiB (%.0f bytes/line)",
			filepath.Base(c.glob), c.lines, len(c.files), float64(c.bytes)/(1<<20), float64(c.bytes)/float64(max(c.lines, 1))),
		fmt.Sprintf("Runs: %d of each, interleaved; medians (lines/s also min–max); done when the sink counted every line", r.runs),
		"Command: " + r.command,
		"Collector: " + r.version,
	}
	for _, t := range r.targets {
		lines = append(lines, fmt.Sprintf("%s: %s", t.name, t.what))
	}
	if r.physrefWhat != "" {
		lines = append(lines, "physref goccy: "+r.physrefWhat)
	}
	return append(lines, "Sink: OTLP/HTTP (and Loki push, for Alloy) in benchrun on 127.0.0.1, zstd, gzip or snappy decoded and the protobuf walked to its records, counted; benchrun's CPU (sink, and the gateway's clients) is its own column, not the collector's")
}

const shippedColumns = "target\tlines/s\tmin–max\taccepted lines/s\tCPU-s/M lines\tlines/s per core\tpeak RSS MiB\tbenchrun CPU-s/M lines\t503s\trecords/export\trecords\t"

func (r shippedReport) cells(row shippedRow) []any {
	accepted := "–"
	if row.acceptLps > 0 {
		accepted = fmt.Sprintf("%.0f", row.acceptLps)
	}
	return []any{row.name, row.lps, row.lpsMin, row.lpsMax, accepted, row.cpuPerM, row.perCore(), row.rssMiB,
		row.harnessPerM, row.retries, row.perExport, check(row.summary, r.corpus.lines)}
}

func (r shippedReport) text(w io.Writer) {
	for _, l := range r.header() {
		fmt.Fprintln(w, l)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, shippedColumns)
	for _, row := range r.rows {
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f–%.0f\t%s\t%.2f\t%.0f\t%.1f\t%.2f\t%.0f\t%.0f\t%s\t\n", r.cells(row)...)
	}
	tw.Flush()
	for _, l := range r.ratios() {
		fmt.Fprintln(w, l)
	}
}

// ratios are the peer's ratios, then each target's lines/s as a share of
// the physical reference's (which only decodes the corpus, on one core).
func (r shippedReport) ratios() []string {
	lines := r.peerRatios()
	if r.physref == nil || r.physref.lps == 0 {
		return lines
	}
	lines = append(lines, fmt.Sprintf("%s: %.0f lines/s, %.2f CPU-s/M lines", r.physref.name, r.physref.lps, r.physref.cpuPerM))
	for _, row := range r.rows {
		lines = append(lines, fmt.Sprintf("%s vs %s: %.0f %% of its lines/s", row.name, r.physref.name, 100*row.lps/r.physref.lps))
	}
	return lines
}

// peerRatios compares every target of ours with the peer, when it ran:
// lines/s as a multiple of the peer's, CPU per line and peak RSS as
// fractions of the peer's. The goals read these (≥ 3×, ≤ ⅓, ≤ 1).
func (r shippedReport) peerRatios() []string {
	var peer *shippedRow
	for i := range r.rows {
		if r.rows[i].name == "peer" {
			peer = &r.rows[i]
		}
	}
	if peer == nil || peer.lps == 0 || peer.cpuPerM == 0 || peer.rssMiB == 0 {
		return nil
	}
	var lines []string
	for _, row := range r.rows {
		if row.name == "peer" {
			continue
		}
		lines = append(lines, fmt.Sprintf("%s vs peer: %.2f× its lines/s, %.2f× its CPU per line, %.2f× its peak RSS",
			row.name, row.lps/peer.lps, row.cpuPerM/peer.cpuPerM, row.rssMiB/peer.rssMiB))
	}
	return lines
}

func (r shippedReport) markdown(w io.Writer) {
	fmt.Fprintln(w, "## Shipped configs over otlp_http")
	fmt.Fprintln(w)
	for _, l := range r.header() {
		fmt.Fprintf(w, "- %s\n", l)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| target | lines/s | min–max | accepted lines/s | CPU-s / M lines | lines/s per core | peak RSS MiB | benchrun CPU-s / M lines | 503s | records / export | records |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, row := range r.rows {
		fmt.Fprintf(w, "| %s | %.0f | %.0f–%.0f | %s | %.2f | %.0f | %.1f | %.2f | %.0f | %.0f | %s |\n", r.cells(row)...)
	}
	if ratios := r.ratios(); len(ratios) > 0 {
		fmt.Fprintln(w)
		for _, l := range ratios {
			fmt.Fprintf(w, "- %s\n", l)
		}
	}
}
