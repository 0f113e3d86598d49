package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
)

// report is everything a compare run prints, as text and as Markdown for
// bench/RESULTS.md.
type report struct {
	machine   machine
	corpus    corpusInfo
	runs      int
	poll      string
	targets   []target
	versions  map[string]string
	summaries []summary
	goals     []goal
	problems  []string // failed records checks
}

func (r report) header() []string {
	c := r.corpus
	where := filepath.Base(c.glob)
	if len(c.files) > 1 {
		where = fmt.Sprintf("%d files %s", len(c.files), filepath.Base(c.glob))
	}
	lines := []string{
		fmt.Sprintf("Date: %s", r.machine.date.Format("2006-01-02 15:04 UTC")),
		fmt.Sprintf("Machine: %s, %d cores, %s, %s", r.machine.cpu, r.machine.cores, r.machine.kernel, r.machine.goVer),
		fmt.Sprintf("Corpus: %s, %d lines, %.1f MiB (%.0f bytes/line)", where, c.lines, float64(c.bytes)/(1<<20), float64(c.bytes)/float64(max(c.lines, 1))),
		fmt.Sprintf("Runs: %d of each, interleaved; medians (lines/s also min–max); collectors polled every %s", r.runs, r.poll),
	}
	for _, t := range r.targets {
		v := ""
		if r.versions[t.name] != "" {
			v = " (" + r.versions[t.name] + ")"
		}
		lines = append(lines, fmt.Sprintf("%s: %s%s", t.name, t.what, v))
	}
	return lines
}

func (r report) recordsCell(s summary) string {
	all := true
	for _, n := range s.records {
		all = all && n == r.corpus.lines
	}
	if all && len(s.records) > 0 {
		return fmt.Sprintf("%d ✓", r.corpus.lines)
	}
	parts := make([]string, len(s.records))
	for i, n := range s.records {
		parts[i] = fmt.Sprint(n)
	}
	return strings.Join(parts, "/") + " ✗"
}

func (r report) text(w io.Writer) {
	for _, l := range r.header() {
		fmt.Fprintln(w, l)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "pipeline\tlines/s\tmin–max\tCPU-s/M lines\tpeak RSS MiB\trecords\t")
	for _, s := range r.summaries {
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f–%.0f\t%.2f\t%.1f\t%s\t\n", s.name, s.lps, s.lpsMin, s.lpsMax, s.cpuPerM, s.rssMiB, r.recordsCell(s))
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "goal\twanted\tmeasured\tstatus")
	for _, g := range r.goals {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", g.name, g.want, g.value(), g.status())
	}
	tw.Flush()
	fmt.Fprintln(w)
	r.recordsVerdict(w)
}

func (r report) recordsVerdict(w io.Writer) {
	if len(r.problems) == 0 {
		fmt.Fprintf(w, "Records: every run of every target emitted all %d lines of the corpus.\n", r.corpus.lines)
		return
	}
	fmt.Fprintln(w, "Records check FAILED:")
	for _, p := range r.problems {
		fmt.Fprintf(w, "- %s\n", p)
	}
}

func (r report) markdown(w io.Writer) {
	fmt.Fprintln(w, "## End-to-end: cost per line")
	fmt.Fprintln(w)
	for _, l := range r.header() {
		fmt.Fprintf(w, "- %s\n", l)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| pipeline | lines/s | min–max | CPU-s / M lines | peak RSS MiB | records |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
	for _, s := range r.summaries {
		fmt.Fprintf(w, "| %s | %.0f | %.0f–%.0f | %.2f | %.1f | %s |\n", s.name, s.lps, s.lpsMin, s.lpsMax, s.cpuPerM, s.rssMiB, r.recordsCell(s))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| goal | wanted | measured | status |")
	fmt.Fprintln(w, "|---|---|---:|---|")
	for _, g := range r.goals {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", g.name, g.want, g.value(), g.status())
	}
	fmt.Fprintln(w)
	r.recordsVerdict(w)
}
