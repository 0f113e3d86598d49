package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// runMode measures the job under `otelcol-aind run` against the same job
// redirected to a file, every target cfg.runs times, interleaved; and the
// collector's CPU per line on the console path against the file path.
// It returns 1 when a run failed or did not deliver every line with the
// backend up, and with -strict also when a ratio is over -run-max-ratio.
func runMode(ctx context.Context, cfg *config) int {
	rc := &cfg.run
	if rc.lines < 1 || rc.lineBytes < 64 {
		return fail(fmt.Errorf("-run-lines must be ≥ 1 and -run-line-bytes ≥ 64"))
	}
	ours, err := existing(cfg.ours)
	if err != nil {
		return fail(err)
	}
	base := rc.dir
	if base != "" {
		if err := os.MkdirAll(base, 0o755); err != nil {
			return fail(err)
		}
	}
	work, err := os.MkdirTemp(base, "benchrun-runmode-")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(work)
	targets, jobs, err := runTargets(cfg, ours, work)
	if err != nil {
		return fail(err)
	}
	r := runReport{machine: describeMachine(), runs: cfg.runs, lines: int64(rc.lines), lineBytes: rc.lineBytes,
		maxRatio: rc.maxRatio, drain: rc.drain, command: strings.Join(os.Args, " "), version: version(ours), jobs: jobs}
	for _, l := range r.header() {
		fmt.Fprintln(os.Stderr, l)
	}
	samples := map[string][]runSample{}
	for i := range cfg.runs {
		for _, t := range targets {
			rctx, cancel := context.WithTimeout(ctx, 2*time.Minute+time.Duration(rc.lines/5_000)*time.Second)
			s, err := t.run(rctx)
			cancel()
			if err != nil {
				return fail(fmt.Errorf("run %d/%d of %s: %w", i+1, cfg.runs, t.name(), err))
			}
			fmt.Fprintf(os.Stderr, "run %d/%d %-18s %s\n", i+1, cfg.runs, t.name(), s)
			samples[t.name()] = append(samples[t.name()], s)
		}
	}
	for _, t := range targets {
		r.rows = append(r.rows, summariseRun(t, samples[t.name()]))
	}
	fmt.Println()
	r.text(os.Stdout)
	if err := writeMarkdown(cfg.md, r.markdown); err != nil {
		return fail(err)
	}
	if !r.delivered() {
		return 1
	}
	if cfg.strict && !r.pass() {
		return 1
	}
	return 0
}

func (s runSample) String() string {
	out := fmt.Sprintf("job %.3f s (CPU %.2f s), total %.2f s, CPU %.2f s", s.jobWall.Seconds(), s.jobCPU.Seconds(), s.total.Seconds(), s.processCPU.Seconds())
	if s.records >= 0 {
		out += fmt.Sprintf(", %d records at the sink (benchrun %.2f CPU-s)", s.records, s.harnessCPU.Seconds())
	}
	return out
}

// runTargets: per job kind its redirect, backend-up and backend-down
// targets, then the CPU targets; and each job's description.
func runTargets(cfg *config, ours, work string) ([]runTarget, map[string]string, error) {
	rc := &cfg.run
	n := int64(rc.lines)
	common := runTarget{ours: ours, lines: n, outSize: n * int64(rc.lineBytes), drain: rc.drain, keep: cfg.keep, base: rc.dir}
	var ts []runTarget
	jobs := map[string]string{}
	for kind := range strings.SplitSeq(rc.jobs, ",") {
		kind = strings.TrimSpace(kind)
		var argv []string
		switch kind {
		case "go":
			bin, err := existing(rc.printjob)
			if err != nil {
				return nil, nil, fmt.Errorf("the Go job (make bench-tools): %w", err)
			}
			argv = []string{bin, "-lines", strconv.Itoa(rc.lines), "-bytes", strconv.Itoa(rc.lineBytes)}
			jobs[kind] = fmt.Sprintf("%s -lines %d -bytes %d: formats each line into a 64 KiB bufio.Writer over stdout (write(2) calls of 64 KiB)", rc.printjob, rc.lines, rc.lineBytes)
		case "python":
			if _, err := os.Stat(rc.python); err != nil {
				return nil, nil, fmt.Errorf("the python job: %w", err)
			}
			argv = []string{rc.python, "-c", pythonJob(rc.lineBytes), strconv.Itoa(rc.lines)}
			jobs[kind] = fmt.Sprintf("%s -c '<print() of an f-string in a for loop, %d lines>': Python's own stdout buffering (8 KiB writes to a pipe or a file)", rc.python, rc.lines)
		case "":
			continue
		default:
			return nil, nil, fmt.Errorf("unknown -run-jobs kind %q (go, python)", kind)
		}
		for _, via := range []string{viaRedirect, viaUp, viaDown} {
			t := common
			t.job, t.via, t.argv = kind, via, argv
			ts = append(ts, t)
		}
	}
	if len(ts) == 0 {
		return nil, nil, fmt.Errorf("-run-jobs: no job")
	}
	if rc.cpu {
		jsonl := filepath.Join(work, "lines.jsonl")
		if err := writeRunJSONL(jsonl, rc.lines, rc.lineBytes, time.Now()); err != nil {
			return nil, nil, err
		}
		file := common
		file.via, file.argv, file.outSize, file.jsonl = viaFile, []string{"true"}, 0, jsonl
		nothing := file
		nothing.via, nothing.jsonl, nothing.lines = viaNothing, "", 0
		ts = append(ts, file, nothing)
	}
	return ts, jobs, nil
}

// pythonJob is the python job: print() of size-byte lines (newline
// included) in a loop, then its own wall and CPU time, as cmd/printjob
// writes them, to $PRINTJOB_RESULT. The clock starts with the script,
// after the interpreter's start.
func pythonJob(size int) string {
	return fmt.Sprintf(`import os, sys, time
t0 = time.perf_counter()
n = int(sys.argv[1])
head = "2026-12-08 04:54:02,001 INFO acquisition.rig3: frame 0000000 acquired;"
tail = (" ch 0 rms 3.10 uV ch 1 rms 3.11 uV ch 2 rms 3.12 uV ch 3 rms 3.13 uV" * 40)[:%d - 1 - len(head)]
for i in range(n):
    print(f"2026-12-08 04:54:02,001 INFO acquisition.rig3: frame {i:07d} acquired;{tail}")
sys.stdout.flush()
wall = time.perf_counter() - t0
with open(os.environ["PRINTJOB_RESULT"], "w") as f:
    f.write("%%d %%d\n" %% (wall * 1e9, time.process_time() * 1e9))
`, size)
}

// writeRunJSONL writes the file path's lines: n AIND JSON lines of size
// bytes (newline included) with the standard's required fields, the
// message padded as the console lines are.
func writeRunJSONL(path string, n, size int, base time.Time) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var b []byte
	for i := range n {
		b = appendRunJSONLine(b[:0], base, i, size)
		if _, err := w.Write(b); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// appendRunJSONLine: {"timestamp":"…","level":"INFO","message":"frame 0000042 acquired; ch 0 rms 3.10 uV…"}
// of exactly size bytes with its newline (at least 95: the fields take them).
func appendRunJSONLine(b []byte, base time.Time, i, size int) []byte {
	t := base.Add(time.Duration(i) * time.Microsecond).UTC()
	b = append(b, `{"timestamp":"`...)
	b = t.AppendFormat(b, "2006-01-02T15:04:05.000000Z")
	b = append(b, `","level":"INFO","message":"frame `...)
	b = append(b, fmt.Sprintf("%07d acquired;", i)...)
	pad := " ch 0 rms 3.10 uV ch 1 rms 3.11 uV ch 2 rms 3.12 uV ch 3 rms 3.13 uV"
	for len(b) < size-3 {
		b = append(b, pad[(len(b))%len(pad)])
	}
	return append(b, "\"}\n"...)
}
