//go:build integration

package integration

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/testenv"
)

// The counts of integration/testdata/run_job.py.
const (
	runJobPrints = 100
	runJobLogs   = 100
	runJobJSONL  = 100
	// runJobOthers: the progress bar, the password line, the non-ASCII
	// print and logging lines, log.exception's record, the last print,
	// the uncaught traceback.
	runJobOthers = 7
	// runJobRecords is every record of a run, the end-of-run record
	// included.
	runJobRecords = runJobPrints + runJobLogs + runJobJSONL + runJobOthers + 1
)

// runJobLevels is the level of "log NNN" (n % 5), as Python names it and
// as Loki's detected_level says it.
var runJobLevels = []struct{ python, detected string }{
	{"DEBUG", "debug"}, {"INFO", "info"}, {"WARNING", "warn"}, {"ERROR", "error"}, {"CRITICAL", "critical"},
}

// runResult is how one `otelcol-aind run` (or the job alone) ended.
type runResult struct {
	status         int
	stdout, stderr []byte
	took           time.Duration
	ended          time.Time // when the test saw the command end
}

// runEnv is the environment of `otelcol-aind run` in a capsule: the five
// variables the embedded config/capsule-run.yaml reads, PATH and HOME, and
// nothing else.
func runEnv(t *testing.T, endpoint string) []string {
	t.Helper()
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + os.Getenv("HOME"),
		"LOKI_OTLP_ENDPOINT=" + endpoint,
		"AIND_LOG_DIR=" + t.TempDir(),
		"AIND_STORAGE_DIR=" + t.TempDir(),
		"AIND_TELEMETRY_PORT=" + itoa(freePort(t)),
		"AIND_HEALTH_ENDPOINT=127.0.0.1:" + itoa(freePort(t)),
	}
}

// runCommand starts a command with exactly env, its stdout and stderr kept
// apart, in a process group of its own (killed at the end of the test if it
// is still running).
type runCommand struct {
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	started, ended time.Time
	exited         chan struct{}
}

func startRunCommand(t *testing.T, env []string, name string, args ...string) *runCommand {
	t.Helper()
	r := &runCommand{stdout: &syncBuffer{}, stderr: &syncBuffer{}, exited: make(chan struct{})}
	r.cmd = exec.Command(name, args...)
	r.cmd.Env = env
	r.cmd.Dir = t.TempDir()
	r.cmd.Stdin = nil
	r.cmd.Stdout, r.cmd.Stderr = r.stdout, r.stderr
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	require.NoError(t, r.cmd.Start())
	r.started = time.Now()
	go func() {
		_ = r.cmd.Wait()
		r.ended = time.Now()
		close(r.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-r.exited:
		default:
			_ = syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL)
			<-r.exited
		}
		if t.Failed() {
			t.Logf("%s stderr (tail):\n%s", filepath.Base(name), tail(r.stderr.String(), 4000))
		}
	})
	return r
}

// wait waits (up to timeout) for the command to end.
func (r *runCommand) wait(t *testing.T, timeout time.Duration) runResult {
	t.Helper()
	select {
	case <-r.exited:
	case <-time.After(timeout):
		t.Fatalf("%s did not end within %s", filepath.Base(r.cmd.Path), timeout)
	}
	return runResult{
		status: r.cmd.ProcessState.ExitCode(),
		stdout: []byte(r.stdout.String()),
		stderr: []byte(r.stderr.String()),
		took:   r.ended.Sub(r.started),
		ended:  r.ended,
	}
}

// runWrapped runs `otelcol-aind run [args...]` to its end.
func runWrapped(t *testing.T, env []string, args ...string) runResult {
	t.Helper()
	bin := binary(t, "OTELCOL_BIN", "../build/otelcol-aind")
	return startRunCommand(t, env, bin, append([]string{"run"}, args...)...).wait(t, 3*time.Minute)
}

// runDirect runs the command alone, without the wrapper.
func runDirect(t *testing.T, env []string, name string, args ...string) runResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env, cmd.Dir = env, t.TempDir()
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		require.NoError(t, err)
	}
	return runResult{status: cmd.ProcessState.ExitCode(), stdout: stdout.Bytes(), stderr: stderr.Bytes()}
}

// systemPython is /usr/bin/python3, or the test skips (fails under
// AIND_TEST_STRICT=1) naming it.
func systemPython(t *testing.T) string {
	t.Helper()
	return testenv.Command(t, testenv.SystemPython, "python3")
}

func testdataPath(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("testdata", name))
	require.NoError(t, err)
	return p
}

// allEntries is every entry the test's Loki holds around now, waiting (up
// to timeout) until there are at least want.
func allEntries(t *testing.T, loki *lokiProcess, want int, timeout time.Duration) []entry {
	t.Helper()
	from, to := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	deadline := time.Now().Add(timeout)
	for {
		got := loki.queryAll(t, `{service_name=~".+"}`, from, to)
		if len(got) >= want || time.Now().After(deadline) {
			return got
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// numbered counts the entries whose line starts with prefix and a
// three-digit number, by number, and returns the entry of each number
// seen.
func numbered(entries []entry, prefix string) (counts map[int]int, byNumber map[int]entry) {
	re := regexp.MustCompile(`^` + regexp.QuoteMeta(prefix) + ` (\d{3})\b`)
	counts, byNumber = map[int]int{}, map[int]entry{}
	for _, e := range entries {
		m := re.FindStringSubmatch(e.Line)
		if m == nil {
			continue
		}
		var n int
		_, _ = fmt.Sscanf(m[1], "%d", &n)
		counts[n]++
		byNumber[n] = e
	}
	return counts, byNumber
}

// onceEach reports how many of 0..n-1 are missing from counts and how many
// extra copies there are.
func onceEach(counts map[int]int, n int) (missing, duplicated int) {
	for i := range n {
		switch c := counts[i]; {
		case c == 0:
			missing++
		case c > 1:
			duplicated += c - 1
		}
	}
	return missing, duplicated
}

// endRecords are the end-of-run records (scope "otelcol-aind run").
func endRecords(entries []entry) []entry {
	var out []entry
	for _, e := range entries {
		if e.Metadata["scope_name"] == "otelcol-aind run" {
			out = append(out, e)
		}
	}
	return out
}

func containing(entries []entry, s string) []entry {
	var out []entry
	for _, e := range entries {
		if strings.Contains(e.Line, s) {
			out = append(out, e)
		}
	}
	return out
}

// The capsule acceptance test: a Python job written the way AIND capsules
// are today (integration/testdata/run_job.py), run as
// `otelcol-aind run -- /usr/bin/python3 run_job.py` with only the capsule's
// environment, against a real Loki. Everything it printed, logged and wrote
// to its JSON Lines file is in Loki once, read as a person reading the
// console would; its console passes through unchanged; its status is kept.
func TestRunCapsuleAcceptance(t *testing.T) {
	python := systemPython(t)
	job := testdataPath(t, "run_job.py")

	// The job alone: what its console looks like without the wrapper.
	alone := runDirect(t, []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "AIND_LOG_DIR=" + t.TempDir()}, python, job)
	require.Equal(t, 1, alone.status, "the job ends with an uncaught exception")
	require.NotEmpty(t, alone.stdout)
	require.NotEmpty(t, alone.stderr)

	loki := startLoki(t)
	env := runEnv(t, loki.url("/otlp"))
	res := runWrapped(t, env, "--", python, job)
	t.Logf("otelcol-aind run took %.2f s", res.took.Seconds())

	// The console: stdout byte for byte, the job's stderr unchanged within
	// the wrapper's, the job's status.
	assert.Equal(t, 1, res.status, "the wrapper exits with the job's status")
	assert.True(t, bytes.Equal(alone.stdout, res.stdout), "the wrapper's stdout (%d bytes) differs from the job's own (%d bytes)", len(res.stdout), len(alone.stdout))
	assert.True(t, bytes.Contains(res.stderr, alone.stderr), "the job's stderr (%d bytes) is not contained unchanged in the wrapper's (%d bytes)", len(alone.stderr), len(res.stderr))
	assert.NotContains(t, string(res.stderr), "were not delivered", "the wrapper reported a delivery shortfall")

	entries := allEntries(t, loki, runJobRecords, time.Minute)
	if os.Getenv("RUN_TEST_DUMP") == "1" {
		for _, e := range entries {
			t.Logf("%q %v %v", e.Line, e.Labels, e.Metadata)
		}
	}

	// Nothing twice: no two entries of the same stream with the same line
	// (every line of the job is unique), and the total is the job's.
	seen := map[string]int{}
	for _, e := range entries {
		seen[labelsString(e.Labels)+"\x00"+e.Metadata["log_iostream"]+"\x00"+e.Line]++
	}
	dups := 0
	for _, n := range seen {
		dups += n - 1
	}
	assert.Zero(t, dups, "entries in Loki twice")
	assert.Equal(t, runJobRecords, len(entries), "records in Loki")

	// The JSON Lines file: every record once, mapped as a file's.
	counts, byNumber := numbered(entries, "jsonl")
	missing, duplicated := onceEach(counts, runJobJSONL)
	assert.Zero(t, missing, "JSON Lines records missing")
	assert.Zero(t, duplicated, "JSON Lines records twice")
	for n, e := range byNumber {
		assert.Empty(t, e.Metadata["log_iostream"], "jsonl %03d has a log.iostream", n)
		assert.Equal(t, "run-job", e.Labels["service_name"], "jsonl %03d: service_name from software_name", n)
	}

	// print(): every line once, on stdout, with no level.
	counts, byNumber = numbered(entries, "print")
	missing, duplicated = onceEach(counts, runJobPrints)
	assert.Zero(t, missing, "print() lines missing")
	assert.Zero(t, duplicated, "print() lines twice")
	wrong := 0
	for _, e := range byNumber {
		if e.Metadata["log_iostream"] != "stdout" || e.Metadata["severity_text"] != "" {
			wrong++
		}
	}
	assert.Zero(t, wrong, "print() lines not on stdout, or with a severity")
	// In the order printed: Loki returns a stream's entries by time.
	outOfOrder, last := 0, -1
	for _, e := range entries {
		if m := regexp.MustCompile(`^print (\d{3}) `).FindStringSubmatch(e.Line); m != nil {
			n, _ := strconv.Atoi(m[1])
			if n < last {
				outOfOrder++
			}
			last = n
		}
	}
	assert.Zero(t, outOfOrder, "print() lines Loki returns out of the order printed")

	// logging: every line once, on stderr, its severity from its level
	// name, its logger the scope, its body the message without the
	// LEVEL:logger: prefix.
	counts, byNumber = numbered(entries, "log")
	missing, duplicated = onceEach(counts, runJobLogs)
	assert.Zero(t, missing, "logging lines missing")
	assert.Zero(t, duplicated, "logging lines twice")
	wrongStream, wrongLevel, wrongScope, wrongBody := 0, 0, 0, 0
	for n, e := range byNumber {
		level := runJobLevels[n%len(runJobLevels)]
		if e.Metadata["log_iostream"] != "stderr" {
			wrongStream++
		}
		if e.Metadata["detected_level"] != level.detected || e.Metadata["severity_text"] != level.python {
			wrongLevel++
		}
		if e.Metadata["scope_name"] != "capsule.job" {
			wrongScope++
		}
		if e.Line != fmt.Sprintf("log %03d level=%s", n, level.python) {
			wrongBody++
		}
	}
	assert.Zero(t, wrongStream, "logging lines not on stderr")
	assert.Zero(t, wrongLevel, "logging lines whose detected_level or severity_text is not their level name's")
	assert.Zero(t, wrongScope, "logging lines whose scope is not their logger")
	assert.Zero(t, wrongBody, "logging lines whose body is not the message alone")

	// The password printed by mistake: redacted, and its line delivered.
	assert.Empty(t, containing(entries, "hunter2"), "the password reached Loki")
	if got := containing(entries, "connecting to the database with password="); assert.Len(t, got, 1, "the line with the password") {
		// Compared, not printed: a failure must not show the secret.
		assert.True(t, got[0].Line == "connecting to the database with password=[REDACTED] as user aind", "the password line is not the line with [REDACTED] for the password")
		assert.Equal(t, "stdout", got[0].Metadata["log_iostream"])
	}

	// The progress bar: at most 3 records, the last its final state.
	if bar := containing(entries, "processing:"); assert.NotEmpty(t, bar, "the progress bar") {
		assert.LessOrEqual(t, len(bar), 3, "records of the progress bar")
		last := bar[len(bar)-1]
		assert.Contains(t, last.Line, "100%", "the progress bar's last record is not its final state")
		assert.Equal(t, "processing: 100%|██████████| 50/50", last.Line)
		assert.NotContains(t, last.Line, "\r")
	}

	// UTF-8, from print() and from logging.
	assert.Len(t, containing(entries, "units: 5 µm, 20 MΩ, 日本語のテキスト, brain 🧠"), 1, "the non-ASCII print() line")
	if got := containing(entries, "probe impedance"); assert.Len(t, got, 1, "the non-ASCII logging line") {
		assert.Equal(t, "probe impedance 1.2 MΩ at 20 µm, 日本語 🐭", got[0].Line)
		assert.Equal(t, "info", got[0].Metadata["detected_level"])
	}

	// log.exception(): one record, its logging line's message and the
	// exception.
	if got := containing(entries, "calibration failed"); assert.Len(t, got, 1, "log.exception's record") {
		e := got[0]
		assert.Equal(t, "calibration failed", e.Line)
		assert.Equal(t, "error", e.Metadata["detected_level"])
		assert.Equal(t, "capsule.job", e.Metadata["scope_name"])
		assert.Equal(t, "ValueError", e.Metadata["exception_type"])
		assert.Equal(t, "calibration drifted by 3 µm", e.Metadata["exception_message"])
		assert.Contains(t, e.Metadata["exception_stacktrace"], "in calibrate")
	}
	assert.Empty(t, containing(entries, "Traceback (most recent call last)"), "a traceback header as a record of its own")
	assert.Empty(t, containing(entries, `  File "`), "a traceback's frame as a record of its own")

	// The uncaught exception: one record, its two chained sections.
	var uncaught []entry
	for _, e := range entries {
		if e.Metadata["exception_type"] == "RuntimeError" {
			uncaught = append(uncaught, e)
		}
	}
	if assert.Len(t, uncaught, 1, "the uncaught traceback") {
		e := uncaught[0]
		assert.Equal(t, "job failed: session 7 is missing", e.Metadata["exception_message"])
		assert.Contains(t, []string{"error", "critical", "fatal"}, e.Metadata["detected_level"], "the traceback's severity")
		assert.Equal(t, "stderr", e.Metadata["log_iostream"])
		assert.Contains(t, e.Metadata["exception_stacktrace"], "KeyError: 'session 7'", "the chained section")
		assert.Contains(t, e.Metadata["exception_stacktrace"], "The above exception was the direct cause")
	}
	assert.Empty(t, containing(entries, "KeyError"), "a line of the chained traceback as a record of its own")

	// The end-of-run record: once, status 1.
	if end := endRecords(entries); assert.Len(t, end, 1, "end-of-run records") {
		e := end[0]
		assert.Equal(t, "1", e.Metadata["process_exit_code"])
		assert.Equal(t, "python3", e.Metadata["process_command"])
		assert.Equal(t, "stage_error", e.Metadata["event_type"], "log-schema's event type, which Loki keeps where it drops EventName")
		assert.Equal(t, "error", e.Metadata["detected_level"])
		assert.Empty(t, e.Metadata["process_exit_signal"])
		started, err1 := time.Parse(time.RFC3339Nano, e.Metadata["process_creation_time"])
		exited, err2 := time.Parse(time.RFC3339Nano, e.Metadata["process_exit_time"])
		duration, err3 := strconv.ParseFloat(e.Metadata["aind_run_duration"], 64)
		if assert.NoError(t, errors.Join(err1, err2, err3), "the end-of-run record's times") {
			assert.True(t, started.Before(exited), "process.creation.time is before process.exit.time")
			assert.InDelta(t, exited.Sub(started).Seconds(), duration, 0.001, "aind.run.duration")
			assert.Less(t, duration, res.took.Seconds(), "the job ran within the wrapper")
		}
		// The console's records by severity: 20 DEBUG logging lines, 21
		// INFO (the non-ASCII one), 20 WARNING, 20 ERROR and
		// log.exception's, 20 CRITICAL, the uncaught traceback (ERROR);
		// the print() lines, the bar, the password and the others unset.
		assert.Equal(t, "20", e.Metadata["aind_run_records_debug"])
		assert.Equal(t, "21", e.Metadata["aind_run_records_info"])
		assert.Equal(t, "20", e.Metadata["aind_run_records_warn"])
		assert.Equal(t, "22", e.Metadata["aind_run_records_error"])
		assert.Equal(t, "20", e.Metadata["aind_run_records_fatal"])
		assert.Equal(t, itoa(runJobPrints+4), e.Metadata["aind_run_records_unset"])
	}
	var exit1 int
	for _, e := range entries {
		if e.Metadata["process_exit_code"] == "1" {
			exit1++
		}
	}
	assert.Equal(t, 1, exit1, "records with process_exit_code 1")
}

// syncBuffer is a bytes.Buffer that a child process and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// With --config, the console input joins the user's own logs pipeline: the
// first aind receiver's when there is one (sharing its resource), else a
// receiver aind/run added to every logs pipeline. Either way the console's
// records pass through the user's processors (here a resource processor
// setting pipeline_name, a label in Loki) to the user's exporter.
func TestRunUserConfig(t *testing.T) {
	python := systemPython(t)
	job := testdataPath(t, "run_job.py")
	const common = `
processors:
  resource/team:
    attributes:
      - key: pipeline_name
        value: user-pipeline
        action: upsert
  aind: {}
exporters:
  otlp_http:
    endpoint: ${env:LOKI_OTLP_ENDPOINT}
service:
  telemetry:
    metrics:
      level: none
  pipelines:
    logs:
      processors: [resource/team, aind]
      exporters: [otlp_http]
`
	for _, c := range []struct {
		name      string
		receivers string
		jsonl     int    // the job's JSON Lines records the config reads
		capsule   string // co_capsule_id of the console's records
	}{
		{"with an aind receiver", `
receivers:
  aind/files:
    include:
      - "${env:AIND_LOG_DIR}/*.jsonl"
    start_at: beginning
    resource:
      co.capsule.id: user-capsule
service:
  pipelines:
    logs:
      receivers: [aind/files]
`, runJobJSONL, "user-capsule"},
		{"without an aind receiver", `
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${env:USER_OTLP_PORT}
service:
  pipelines:
    logs:
      receivers: [otlp]
`, 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			loki := startLoki(t)
			env := append(runEnv(t, loki.url("/otlp")), "USER_OTLP_PORT="+itoa(freePort(t)))
			// Two files, merged in order as the collector merges them.
			configs := []string{writeConfig(t, common), writeConfig(t, c.receivers)}
			res := runWrapped(t, env, "--config", configs[0], "--config", configs[1], "--", python, job)
			require.Equal(t, 1, res.status, "the wrapper exits with the job's status")
			assert.NotContains(t, string(res.stderr), "were not delivered")

			want := runJobPrints + runJobLogs + c.jsonl + runJobOthers + 1
			entries := allEntries(t, loki, want, time.Minute)
			assert.Equal(t, want, len(entries), "records in Loki")
			for _, kind := range []struct {
				prefix string
				n      int
			}{{"print", runJobPrints}, {"log", runJobLogs}, {"jsonl", c.jsonl}} {
				counts, byNumber := numbered(entries, kind.prefix)
				missing, duplicated := onceEach(counts, kind.n)
				assert.Zero(t, missing, "%s lines missing", kind.prefix)
				assert.Zero(t, duplicated, "%s lines twice", kind.prefix)
				assert.Len(t, byNumber, kind.n, "%s lines", kind.prefix)
				other := 0
				for _, e := range byNumber {
					if e.Labels["pipeline_name"] != "user-pipeline" || e.Metadata["co_capsule_id"] != c.capsule {
						other++
					}
				}
				assert.Zero(t, other, "%s lines that did not pass through the user's pipeline", kind.prefix)
			}
			if end := endRecords(entries); assert.Len(t, end, 1, "end-of-run records") {
				assert.Equal(t, "1", end[0].Metadata["process_exit_code"])
				assert.Equal(t, "user-pipeline", end[0].Labels["pipeline_name"])
			}
		})
	}
}

// A console repeats itself ("epoch done", a blank-looking separator, the
// same warning in a loop): each line printed is a record in Loki, in the
// order printed.
func TestRunRepeatedLines(t *testing.T) {
	python := systemPython(t)
	loki := startLoki(t)
	const n = 20
	res := runWrapped(t, runEnv(t, loki.url("/otlp")), "--", python, "-c",
		fmt.Sprintf(`for i in range(%d): print("epoch done"); print("step %%03d" %% i)`, n))
	require.Equal(t, 0, res.status)
	entries := allEntries(t, loki, 2*n+1, 30*time.Second)
	assert.Len(t, containing(entries, "epoch done"), n, `"epoch done" lines in Loki`)
	var steps []string
	times := map[int64]bool{}
	for _, e := range entries {
		if strings.HasPrefix(e.Line, "step ") {
			steps = append(steps, e.Line)
			times[e.Time] = true
		}
	}
	t.Logf("the %d step lines have %d distinct timestamps in Loki", len(steps), len(times))
	require.Len(t, steps, n, `"step" lines in Loki`)
	outOfOrder := 0
	for i, s := range steps {
		if s != fmt.Sprintf("step %03d", i) {
			outOfOrder++
		}
	}
	assert.Zero(t, outOfOrder, "lines Loki returns out of the order printed")
}
