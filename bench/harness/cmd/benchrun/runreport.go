package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// runRow is a run-mode target's runs reduced to medians, each figure's
// median taken on its own.
type runRow struct {
	target   runTarget
	runs     int
	jobWall  float64 // s
	jobMin   float64
	jobMax   float64
	total    float64 // s
	colCPU   float64 // s: the wrapper's CPU without the job's
	jobCPU   float64 // s
	sinkCPU  float64 // s: benchrun's (the sink's) CPU over the run
	records  []int64 // per run; -1: no sink
	expected int64   // -1: not checked
}

func summariseRun(t runTarget, ss []runSample) runRow {
	row := runRow{target: t, runs: len(ss), expected: t.expectedRecords()}
	var job, total, col, jobCPU, sinkCPU []float64
	for _, s := range ss {
		job = append(job, s.jobWall.Seconds())
		total = append(total, s.total.Seconds())
		col = append(col, s.collectorCPU().Seconds())
		jobCPU = append(jobCPU, s.jobCPU.Seconds())
		sinkCPU = append(sinkCPU, s.harnessCPU.Seconds())
		row.records = append(row.records, s.records)
	}
	if len(ss) == 0 {
		return row
	}
	row.jobWall, row.total, row.colCPU, row.jobCPU, row.sinkCPU = median(job), median(total), median(col), median(jobCPU), median(sinkCPU)
	row.jobMin, row.jobMax = slices.Min(job), slices.Max(job)
	return row
}

// delivered: every run counted at the sink what it had to.
func (r runRow) delivered() bool {
	if r.expected < 0 {
		return true
	}
	for _, n := range r.records {
		if n != r.expected {
			return false
		}
	}
	return len(r.records) > 0
}

func (r runRow) recordsCell() string {
	if r.expected < 0 {
		return "–"
	}
	if r.delivered() {
		return fmt.Sprintf("%d ✓", r.expected)
	}
	parts := make([]string, len(r.records))
	for i, n := range r.records {
		parts[i] = fmt.Sprint(n)
	}
	return fmt.Sprintf("%s of %d ✗", strings.Join(parts, "/"), r.expected)
}

// runReport is what -mode run prints, as text and as Markdown.
type runReport struct {
	machine   machine
	runs      int
	lines     int64
	lineBytes int
	maxRatio  float64
	drain     string
	command   string
	version   string
	jobs      map[string]string
	rows      []runRow
}

func (r runReport) header() []string {
	lines := []string{
		fmt.Sprintf("Date: %s", r.machine.date.Format("2006-01-02 15:04 UTC")),
		fmt.Sprintf("Machine: %s, %d cores, %s, %s", r.machine.cpu, r.machine.cores, r.machine.kernel, r.machine.goVer),
		"Command: " + r.command,
		"Collector: " + r.version,
		fmt.Sprintf("Job: %d lines of %d bytes (newline included) to stdout, as fast as it can; runs: %d of each target, interleaved; medians", r.lines, r.lineBytes, r.runs),
	}
	kinds := make([]string, 0, len(r.jobs))
	for k := range r.jobs {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		lines = append(lines, fmt.Sprintf("%s job: %s", k, r.jobs[k]))
	}
	return append(lines,
		"redirect: the job alone, its stdout a file; run up: otelcol-aind run -- JOB, the wrapper's stdout a file, LOKI_OTLP_ENDPOINT benchrun's OTLP sink on 127.0.0.1; run down: the same with LOKI_OTLP_ENDPOINT a closed 127.0.0.1 port and AIND_DRAIN_TIMEOUT="+r.drain,
		"job wall: the job's own, from its start to the return of its last write; total: exec to exit of what benchrun started (the wrapper's includes the pipeline's start and the drain)",
		"sink CPU: benchrun's own over the run (the sink decoding what the collector sends), on the same cores as the job and the collector",
		"collector CPU: user+sys of the wrapper (wait4's rusage, which includes the job) minus the job's own (getrusage(RUSAGE_SELF) at its last write)",
		fmt.Sprintf("file path: otelcol-aind run -- true with the same number of ~%d-byte AIND JSON lines (timestamp, level, message) in AIND_LOG_DIR, read by the embedded capsule-run.yaml's file input and delivered at the drain; run -- true: the same with nothing to deliver (the fixed cost)", r.lineBytes),
	)
}

// ratio is the job's wall time under run (via) over its wall time
// redirected, on the medians; 0 when either is missing.
func (r runReport) ratio(job, via string) float64 {
	ref, ok1 := r.row(job, viaRedirect)
	x, ok2 := r.row(job, via)
	if !ok1 || !ok2 || ref.jobWall == 0 {
		return 0
	}
	return x.jobWall / ref.jobWall
}

func (r runReport) row(job, via string) (runRow, bool) {
	for _, row := range r.rows {
		if row.target.job == job && row.target.via == via {
			return row, true
		}
	}
	return runRow{}, false
}

// verdict is PASS when ratio is within max.
func verdict(ratio, max float64) string {
	if ratio > 0 && ratio <= max {
		return "PASS"
	}
	return "FAIL"
}

// verdicts: one line per job and backend state.
func (r runReport) verdicts() []string {
	var out []string
	for _, row := range r.rows {
		if row.target.job == "" || row.target.via == viaRedirect {
			continue
		}
		ratio := r.ratio(row.target.job, row.target.via)
		backend := "backend up"
		if row.target.via == viaDown {
			backend = "backend down"
		}
		out = append(out, fmt.Sprintf("%s job, %s: its wall time %.2f× its wall time redirected to a file (≤ %.2f×): %s",
			row.target.job, backend, ratio, r.maxRatio, verdict(ratio, r.maxRatio)))
	}
	return out
}

// pass: every ratio within the bound.
func (r runReport) pass() bool {
	for _, v := range r.verdicts() {
		if strings.HasSuffix(v, "FAIL") {
			return false
		}
	}
	return true
}

func (r runReport) delivered() bool {
	for _, row := range r.rows {
		if !row.delivered() {
			return false
		}
	}
	return true
}

// perLine is the collector's CPU per line in µs; net subtracts the fixed
// cost of `run -- true` when it ran.
func (r runReport) perLine(row runRow) (raw, net float64, hasNet bool) {
	n := float64(row.target.lines)
	if n == 0 {
		return 0, 0, false
	}
	raw = row.colCPU / n * 1e6
	if fixed, ok := r.row("", viaNothing); ok {
		return raw, (row.colCPU - fixed.colCPU) / n * 1e6, true
	}
	return raw, 0, false
}

// cpuRows: the console path of each job (backend up) and the file path.
func (r runReport) cpuRows() []runRow {
	var out []runRow
	for _, row := range r.rows {
		if row.target.via == viaUp || row.target.via == viaFile || row.target.via == viaNothing {
			out = append(out, row)
		}
	}
	return out
}

// cpuRatios: each console path's CPU per line over the file path's.
func (r runReport) cpuRatios() []string {
	file, ok := r.row("", viaFile)
	if !ok {
		return nil
	}
	fRaw, fNet, hasNet := r.perLine(file)
	var out []string
	for _, row := range r.rows {
		if row.target.via != viaUp {
			continue
		}
		raw, net, _ := r.perLine(row)
		l := fmt.Sprintf("%s job, console path vs file path: %.2f× the file path's collector CPU per line", row.target.job, raw/fRaw)
		if hasNet && fNet > 0 {
			l += fmt.Sprintf(" (%.2f× net of run -- true)", net/fNet)
		}
		out = append(out, l)
	}
	return out
}

func (r runReport) table(w io.Writer, md bool) {
	head := []string{"target", "job wall s", "min–max", "× redirect", "total s", "collector CPU-s", "job CPU-s", "sink CPU-s", "records at the sink"}
	if md {
		fmt.Fprintln(w, "| "+strings.Join(head, " | ")+" |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	} else {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		defer tw.Flush()
		w = tw
		fmt.Fprintln(w, strings.Join(head, "\t")+"\t")
	}
	for _, row := range r.rows {
		c := []string{row.target.name(), "–", "–", "–", fmt.Sprintf("%.2f", row.total), "–", "–", "–", row.recordsCell()}
		if row.expected >= 0 {
			c[7] = fmt.Sprintf("%.2f", row.sinkCPU)
		}
		if row.target.job != "" {
			c[1], c[2] = fmt.Sprintf("%.3f", row.jobWall), fmt.Sprintf("%.3f–%.3f", row.jobMin, row.jobMax)
			c[3] = fmt.Sprintf("%.2f", r.ratio(row.target.job, row.target.via))
			c[6] = fmt.Sprintf("%.2f", row.jobCPU)
		}
		if row.target.via != viaRedirect {
			c[5] = fmt.Sprintf("%.2f", row.colCPU)
		}
		if md {
			fmt.Fprintln(w, "| "+strings.Join(c, " | ")+" |")
		} else {
			fmt.Fprintln(w, strings.Join(c, "\t")+"\t")
		}
	}
}

func (r runReport) cpuTable(w io.Writer, md bool) {
	head := []string{"path", "lines", "collector CPU-s", "µs / line", "µs / line net of run -- true"}
	if md {
		fmt.Fprintln(w, "| "+strings.Join(head, " | ")+" |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|")
	} else {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		defer tw.Flush()
		w = tw
		fmt.Fprintln(w, strings.Join(head, "\t")+"\t")
	}
	for _, row := range r.cpuRows() {
		name := row.target.name()
		if row.target.via == viaUp {
			name = row.target.job + " job, console path (run up)"
		}
		c := []string{name, fmt.Sprint(row.target.lines), fmt.Sprintf("%.2f", row.colCPU), "–", "–"}
		if raw, net, hasNet := r.perLine(row); row.target.lines > 0 {
			c[3] = fmt.Sprintf("%.2f", raw)
			if hasNet {
				c[4] = fmt.Sprintf("%.2f", net)
			}
		}
		if md {
			fmt.Fprintln(w, "| "+strings.Join(c, " | ")+" |")
		} else {
			fmt.Fprintln(w, strings.Join(c, "\t")+"\t")
		}
	}
}

func (r runReport) closing() []string {
	out := r.verdicts()
	out = append(out, r.cpuRatios()...)
	if r.delivered() {
		out = append(out, "Records: with the backend up, every run delivered every line and the end-of-run record.")
	} else {
		out = append(out, "Records check FAILED: a run with the backend up did not deliver every line (✗).")
	}
	return out
}

func (r runReport) text(w io.Writer) {
	for _, l := range r.header() {
		fmt.Fprintln(w, l)
	}
	fmt.Fprintln(w)
	r.table(w, false)
	fmt.Fprintln(w)
	if len(r.cpuRows()) > 0 {
		r.cpuTable(w, false)
		fmt.Fprintln(w)
	}
	for _, l := range r.closing() {
		fmt.Fprintln(w, l)
	}
}

func (r runReport) markdown(w io.Writer) {
	fmt.Fprintln(w, "## otelcol-aind run: the job's wall time and the collector's CPU per line")
	fmt.Fprintln(w)
	for _, l := range r.header() {
		fmt.Fprintf(w, "- %s\n", l)
	}
	fmt.Fprintln(w)
	r.table(w, true)
	fmt.Fprintln(w)
	if len(r.cpuRows()) > 0 {
		r.cpuTable(w, true)
		fmt.Fprintln(w)
	}
	for _, l := range r.closing() {
		fmt.Fprintf(w, "- %s\n", l)
	}
}
