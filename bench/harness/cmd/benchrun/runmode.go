package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// runModeConfig holds the flags of -mode run: a job printing fast under
// `otelcol-aind run`, against the same job with its stdout redirected to a
// file (issue 26: "it never slows or stalls the job").
type runModeConfig struct {
	lines     int
	lineBytes int
	jobs      string // job kinds: go, python
	printjob  string // the Go job's binary (cmd/printjob)
	python    string // the Python interpreter of the python job
	drain     string // AIND_DRAIN_TIMEOUT of the backend-down runs
	maxRatio  float64
	cpu       bool // also the file path and `run -- true`, for CPU per line
	dir       string
}

func (r *runModeConfig) flags() {
	flag.IntVar(&r.lines, "run-lines", 1000000, "run mode: lines the job prints")
	flag.IntVar(&r.lineBytes, "run-line-bytes", 100, "run mode: bytes per line, newline included")
	flag.StringVar(&r.jobs, "run-jobs", "go,python", "run mode: job kinds, comma-separated (go: cmd/printjob, 64 KiB writes; python: print() in a loop)")
	flag.StringVar(&r.printjob, "printjob", "build/bench/printjob", "run mode: the Go job's binary")
	flag.StringVar(&r.python, "python", "/usr/bin/python3", "run mode: the python job's interpreter")
	flag.StringVar(&r.drain, "run-drain", "2s", "run mode: AIND_DRAIN_TIMEOUT with the backend down")
	flag.Float64Var(&r.maxRatio, "run-max-ratio", 1.1, "run mode: the job's wall time under run over its wall time redirected to a file, at most (PASS/FAIL)")
	flag.BoolVar(&r.cpu, "run-cpu", true, "run mode: also the file path (the same number of JSON lines in AIND_LOG_DIR, `run -- true`) and `run -- true` alone, for the CPU per line")
	flag.StringVar(&r.dir, "run-dir", "", "run mode: where the runs' directories go (empty: the system's temporary directory)")
}

// How a run-mode target runs the job.
const (
	viaRedirect = "redirect"    // the job alone, stdout to a file
	viaUp       = "run up"      // under otelcol-aind run, backend up (the sink)
	viaDown     = "run down"    // under otelcol-aind run, backend down (a closed port)
	viaFile     = "file path"   // otelcol-aind run -- true, the lines as JSON Lines in AIND_LOG_DIR
	viaNothing  = "run -- true" // otelcol-aind run -- true, nothing to deliver
)

// runTarget is one way of running one job.
type runTarget struct {
	job     string   // job kind: go, python; "" for the CPU targets
	via     string   // viaRedirect, …
	argv    []string // the job's command line
	ours    string
	lines   int64 // lines the job prints, or the JSON Lines file holds
	outSize int64 // bytes the job prints: its stdout file must hold them all
	drain   string
	jsonl   string // the JSON Lines file linked into AIND_LOG_DIR (viaFile)
	keep    bool
	base    string // parent of the run directories
}

func (t runTarget) name() string {
	if t.job == "" {
		return t.via
	}
	return t.job + " " + t.via
}

// expectedRecords is what the sink must count with the backend up: one
// record per line, and the end-of-run record; -1 when not checked.
func (t runTarget) expectedRecords() int64 {
	switch t.via {
	case viaUp, viaFile:
		return t.lines + 1
	case viaNothing:
		return 1
	}
	return -1
}

// runSample is one run of a run-mode target.
type runSample struct {
	jobWall    time.Duration // the job's own wall time, to its last write
	jobCPU     time.Duration // the job's own CPU time
	total      time.Duration // the process benchrun started: exec to exit
	processCPU time.Duration // its rusage: the wrapper's and its children's
	records    int64         // records at the sink; -1: no sink
	// harnessCPU is benchrun's own CPU over the run: the sink's, on the
	// same cores as the job and the collector.
	harnessCPU time.Duration
}

// collectorCPU is the wrapper's CPU without the job's: wait4's rusage of
// the wrapper includes its waited-for child.
func (s runSample) collectorCPU() time.Duration { return s.processCPU - s.jobCPU }

func (t runTarget) run(ctx context.Context) (runSample, error) {
	dir, err := os.MkdirTemp(t.base, "benchrun-run-")
	if err != nil {
		return runSample{}, err
	}
	if t.keep {
		fmt.Fprintf(os.Stderr, "benchrun: run directory %s kept\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	stdout, err := os.Create(filepath.Join(dir, "stdout"))
	if err != nil {
		return runSample{}, err
	}
	defer stdout.Close()
	stderrPath := filepath.Join(dir, "stderr")
	stderr, err := os.Create(stderrPath)
	if err != nil {
		return runSample{}, err
	}
	defer stderr.Close()
	result := filepath.Join(dir, "job.result")
	env := append(os.Environ(), "PRINTJOB_RESULT="+result)
	argv := t.argv
	s := runSample{records: -1}
	var snk *sink
	if t.via != viaRedirect {
		argv = append([]string{t.ours, "run", "--"}, argv...)
		ports, err := freePorts(3)
		if err != nil {
			return s, err
		}
		logs := filepath.Join(dir, "logs")
		if err := os.MkdirAll(logs, 0o755); err != nil {
			return s, err
		}
		if t.jsonl != "" {
			if err := linkFiles([]string{t.jsonl}, logs); err != nil {
				return s, err
			}
		}
		endpoint := "http://" + loopback(ports[2]) // nothing listens: the backend is down
		drain := "60s"
		if t.via == viaDown {
			drain = t.drain
		} else {
			if snk, err = startSink(); err != nil {
				return s, err
			}
			defer snk.close()
			endpoint = snk.url
		}
		env = append(env,
			"LOKI_OTLP_ENDPOINT="+endpoint,
			"AIND_STORAGE_DIR="+filepath.Join(dir, "storage"),
			"AIND_LOG_DIR="+logs,
			"AIND_DRAIN_TIMEOUT="+drain,
			"AIND_HEALTH_ENDPOINT="+loopback(ports[0]),
			"AIND_TELEMETRY_HOST=127.0.0.1",
			"AIND_TELEMETRY_PORT="+strconv.Itoa(ports[1]),
		)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir, cmd.Stdout, cmd.Stderr, cmd.Env = dir, stdout, stderr, env
	harness0 := selfCPU()
	start := time.Now()
	err = cmd.Run()
	s.total = time.Since(start)
	s.harnessCPU = selfCPU() - harness0
	if err != nil {
		return s, fmt.Errorf("%s: %v\n--- %s (last lines) ---\n%s", strings.Join(argv, " "), err, stderrPath, tail(stderrPath, 20))
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return s, fmt.Errorf("%s: no rusage", argv[0])
	}
	s.processCPU = time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime))
	if snk != nil {
		// The wrapper exits once the drain is over: what it delivered
		// is at the sink.
		s.records = snk.records.Load()
	}
	if t.outSize > 0 {
		b, err := os.ReadFile(result)
		if err != nil {
			return s, fmt.Errorf("the job's result: %w", err)
		}
		if s.jobWall, s.jobCPU, err = parseJobResult(b); err != nil {
			return s, err
		}
		fi, err := stdout.Stat()
		if err != nil {
			return s, err
		}
		if fi.Size() != t.outSize {
			return s, fmt.Errorf("%s: stdout holds %d bytes, the job printed %d", t.name(), fi.Size(), t.outSize)
		}
	}
	return s, nil
}

// parseJobResult reads the job's result file: "wall_ns cpu_ns".
func parseJobResult(b []byte) (wall, cpu time.Duration, err error) {
	f := strings.Fields(string(bytes.TrimSpace(b)))
	if len(f) != 2 {
		return 0, 0, fmt.Errorf("job result %q: want \"wall_ns cpu_ns\"", b)
	}
	w, err1 := strconv.ParseInt(f[0], 10, 64)
	c, err2 := strconv.ParseInt(f[1], 10, 64)
	if err1 != nil || err2 != nil || w <= 0 || c < 0 {
		return 0, 0, fmt.Errorf("job result %q: want two non-negative integers, the wall time positive", b)
	}
	return time.Duration(w), time.Duration(c), nil
}
