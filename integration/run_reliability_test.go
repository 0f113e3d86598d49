//go:build integration && reliability

package integration

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// `otelcol-aind run` at the end of a job, against a real Loki: the job
// (integration/testdata/run_reliability_job.py) prints its lines and ends
// (exits with a status, is killed, or is stopped with SIGTERM through the
// wrapper, or the backend is down when it ends), and the wrapper delivers
// every line before it exits with the job's status. In front of Loki a
// gate that can refuse connections, and a copySorter that counts what Loki
// accepted (Loki keeps one of identical copies, so a line sent twice is
// counted there, not in Loki).
func TestReliabilityRun(t *testing.T) {
	python := systemPython(t)
	job := testdataPath(t, "run_reliability_job.py")
	lines := scaled(30_000, 10_000)

	t.Run("job exits 3", func(t *testing.T) {
		const scenario = "run: job exits 3"
		b := startRunBackend(t)
		run := b.start(t, python, job, nil, "lines", itoa(lines), "3")
		res := run.wait(t, 3*time.Minute)
		assert.Equal(t, 3, res.status, "the wrapper exits with the job's status")
		assert.Equal(t, lines, countLines(res.stdout, runLine), "lines passed through")
		b.delivered(t, scenario, res, runLines(lines), 3, "")
	})

	t.Run("backend down 5 s at the job's end", func(t *testing.T) {
		const scenario = "run: backend down 5 s at the job's end"
		b := startRunBackend(t)
		pause := filepath.Join(t.TempDir(), "pause")
		run := b.start(t, python, job, []string{"JOB_PAUSE_FILE=" + pause}, "pause", itoa(lines), "0")
		require.Eventually(t, func() bool {
			_, err := os.Stat(pause)
			return err == nil
		}, 2*time.Minute, 5*time.Millisecond, "the job never reached its pause")
		b.gate.down()
		down := time.Now()
		require.NoError(t, os.Remove(pause)) // the job prints the second half and exits
		time.Sleep(time.Until(down.Add(5 * time.Second)))
		b.gate.up(t)
		back := time.Now()
		res := run.wait(t, 3*time.Minute)
		assert.Equal(t, 0, res.status, "the wrapper exits with the job's status")
		took := res.ended.Sub(down)
		// The exporter's retry interval grows to 5 s (max_interval), so
		// the wrapper finds the backend back within about 5 s.
		recordFigure(t, scenario, "backend down to wrapper exit / backend back to wrapper exit (s)", fmt.Sprintf("%.2f / %.2f", took.Seconds(), res.ended.Sub(back).Seconds()))
		assert.GreaterOrEqual(t, took, 5*time.Second, "the wrapper waited for the backend")
		b.delivered(t, scenario, res, runLines(lines), 0, "")
	})

	t.Run("job SIGKILLed", func(t *testing.T) {
		const scenario = "run: job SIGKILLed"
		b := startRunBackend(t)
		run := b.start(t, python, job, nil, "kill", itoa(lines))
		res := run.wait(t, 3*time.Minute)
		assert.Equal(t, 137, res.status, "the wrapper exits 128+9")
		assert.Equal(t, lines, countLines(res.stdout, runLine), "lines passed through")
		b.delivered(t, scenario, res, runLines(lines), 137, "SIGKILL")
	})

	t.Run("SIGTERM to the wrapper", func(t *testing.T) {
		const scenario = "run: SIGTERM to the wrapper"
		b := startRunBackend(t)
		ready := filepath.Join(t.TempDir(), "ready")
		run := b.start(t, python, job, []string{"JOB_READY_FILE=" + ready}, "sigterm", itoa(lines))
		require.Eventually(t, func() bool {
			_, err := os.Stat(ready)
			return err == nil
		}, 2*time.Minute, 5*time.Millisecond, "the job never got ready")
		// To the wrapper alone, not its group: the wrapper forwards it.
		signalled := time.Now()
		require.NoError(t, run.cmd.Process.Signal(syscall.SIGTERM))
		res := run.wait(t, 3*time.Minute)
		recordFigure(t, scenario, "SIGTERM to wrapper exit (s)", fmt.Sprintf("%.2f", time.Since(signalled).Seconds()))
		// The job's handler printed its line and exited 143 itself: the
		// wrapper keeps that status, and no signal ended the job.
		assert.Equal(t, 143, res.status, "the wrapper exits with the status the job's handler chose")
		assert.Equal(t, 1, countLines(res.stdout, regexp.MustCompile(`^run line sigterm handled$`)), "the job's SIGTERM handler ran")
		assert.Zero(t, countLines(res.stdout, regexp.MustCompile(`no sigterm came`)), "the SIGTERM was not forwarded")
		b.delivered(t, scenario, res, append(runLines(lines), "run line sigterm handled"), 143, "")
	})
}

var runLine = regexp.MustCompile(`^run line \d{6}$`)

func runLines(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("run line %06d", i)
	}
	return out
}

func countLines(data []byte, re *regexp.Regexp) int {
	n := 0
	for _, l := range regexp.MustCompile(`\r?\n`).Split(string(data), -1) {
		if re.MatchString(l) {
			n++
		}
	}
	return n
}

// runBackend is Loki behind a gate and a copySorter.
type runBackend struct {
	loki    *lokiProcess
	counter *otlpSink // what Loki accepted, by body
	gate    *gate
	from    time.Time
}

func startRunBackend(t *testing.T) *runBackend {
	t.Helper()
	b := &runBackend{loki: startLoki(t), counter: startSink(t), from: time.Now().Add(-time.Minute)}
	lokiURL, err := url.Parse(b.loki.url(""))
	require.NoError(t, err)
	sorter := startCopySorter(t, b.counter, httputil.NewSingleHostReverseProxy(lokiURL))
	mux := http.NewServeMux()
	mux.HandleFunc("/otlp/v1/logs", sorter.handle)
	b.gate = startGate(t, mux)
	return b
}

// start runs `otelcol-aind run -- python job args...` with the capsule's
// environment (runEnv) and extra, sending to the gate.
func (b *runBackend) start(t *testing.T, python, job string, extra []string, args ...string) *runCommand {
	t.Helper()
	env := append(runEnv(t, "http://"+b.gate.addr+"/otlp"), extra...)
	bin := binary(t, "OTELCOL_BIN", "../build/otelcol-aind")
	return startRunCommand(t, env, bin, append([]string{"run", "--", python, job}, args...)...)
}

// delivered checks, and records as figures, that Loki holds every one of
// written once, that Loki accepted none of them twice, that the wrapper
// reported no shortfall, and that there is one end-of-run record with the
// exit code and signal given; it records the time from the job's exit (the
// end-of-run record's) to the wrapper's.
func (b *runBackend) delivered(t *testing.T, scenario string, res runResult, written []string, exitCode int, signal string) {
	t.Helper()
	assert.NotContains(t, string(res.stderr), "were not delivered", "the wrapper reported a shortfall")
	to := time.Now().Add(time.Minute)
	var got []entry
	deadline := time.Now().Add(time.Minute)
	for {
		got = b.everything(t, len(written), to)
		if len(got) >= len(written)+1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	inLoki := map[string]int{}
	var end []entry
	for _, e := range got {
		if e.Metadata["scope_name"] == "otelcol-aind run" {
			end = append(end, e)
			continue
		}
		inLoki[e.Line]++
	}
	lost, twiceInLoki := 0, 0
	for _, w := range written {
		switch n := inLoki[w]; {
		case n == 0:
			lost++
		case n > 1:
			twiceInLoki += n - 1
		}
	}
	_, sentTwice := b.counter.counts(written)
	recordFigure(t, scenario, "lines written / lost / twice in Loki / accepted twice by Loki", fmt.Sprintf("%d / %d / %d / %d", len(written), lost, twiceInLoki, sentTwice))
	recordFigure(t, scenario, "wrapper exit status", res.status)
	assert.Zero(t, lost, "lines lost")
	assert.Zero(t, twiceInLoki, "lines twice in Loki")
	assert.Zero(t, sentTwice, "lines accepted twice by Loki")
	assert.Len(t, inLoki, len(written), "records in Loki that are not the job's lines")
	if assert.Len(t, end, 1, "end-of-run records") {
		e := end[0]
		assert.Equal(t, strconv.Itoa(exitCode), e.Metadata["process_exit_code"])
		assert.Equal(t, signal, e.Metadata["process_exit_signal"])
		if exited, err := time.Parse(time.RFC3339Nano, e.Metadata["process_exit_time"]); assert.NoError(t, err) {
			recordFigure(t, scenario, "job exit to wrapper exit (s)", fmt.Sprintf("%.2f", res.ended.Sub(exited).Seconds()))
		}
	}
}

// everything is what Loki holds of a run of n lines: the lines a thousand
// at a time (the console's records share a timestamp per batch, so a query
// cannot be split by time), then the rest.
func (b *runBackend) everything(t *testing.T, n int, to time.Time) []entry {
	t.Helper()
	var out []entry
	for p := 0; p*1000 < n; p++ {
		out = append(out, b.loki.queryAll(t, fmt.Sprintf(`{service_name="aind"} |= "run line %03d"`, p), b.from, to)...)
	}
	return append(out, b.loki.queryAll(t, `{service_name="aind"} !~ "^run line [0-9]"`, b.from, to)...)
}

// gate serves a handler on a fixed loopback port and can go away: down
// closes its listener and its connections (connection refused, as a
// backend that is restarting), up serves again on the same port.
type gate struct {
	handler http.Handler
	addr    string
	mu      sync.Mutex
	srv     *http.Server
}

func startGate(t *testing.T, h http.Handler) *gate {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	g := &gate{handler: h, addr: ln.Addr().String()}
	g.serve(ln)
	t.Cleanup(g.down)
	return g
}

func (g *gate) serve(ln net.Listener) {
	srv := &http.Server{Handler: g.handler, ReadHeaderTimeout: 10 * time.Second}
	g.mu.Lock()
	g.srv = srv
	g.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
}

func (g *gate) down() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.srv != nil {
		_ = g.srv.Close()
		g.srv = nil
	}
}

func (g *gate) up(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", g.addr)
	require.NoError(t, err)
	g.serve(ln)
}
