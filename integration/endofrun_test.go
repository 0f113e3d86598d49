//go:build integration && reliability

package integration

import (
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
)

// The end of a capsule run, as the run script of docs/capsules.md does it:
// the job writes its lines and exits, and the script stops the agent at once. With
// config/capsule-run.yaml, straight to the backend and through a gateway
// (config/gateway.yaml), no line written before the signal may be lost,
// whether the backend is up, down for the first seconds after the signal,
// or down past the drain deadline (then the count is reported, the exit
// status is non-zero, and a second start delivers exactly the rest).
func TestReliabilityEndOfRun(t *testing.T) {
	lines := scaled(30_000, 10_000)
	const jobExit = 3 // the script must exit with the job's status
	for _, via := range []string{"direct", "gateway"} {
		t.Run(via+"/backend up", func(t *testing.T) {
			const scenario = "end of run: backend up"
			b := startEndOfRunBackend(t, via)
			run := startCapsuleRun(t, b, capsuleJob{lines: lines, seconds: 3, burst: 1000, exit: jobExit})
			run.delivered(t, b, scenario+" ("+via+")", lines, jobExit)
		})

		t.Run(via+"/backend down for 5 s after SIGTERM", func(t *testing.T) {
			const scenario = "end of run: backend down 5 s after SIGTERM"
			b := startEndOfRunBackend(t, via)
			run := startCapsuleRun(t, b, capsuleJob{lines: lines, seconds: 3, burst: 5000, exit: jobExit, pause: true})
			run.atPause(t, func() { b.down(t) })
			signalled := run.waitForSignal(t)
			time.Sleep(time.Until(signalled.Add(5 * time.Second)))
			b.up(t)
			took := run.delivered(t, b, scenario+" ("+via+")", lines, jobExit)
			assert.GreaterOrEqual(t, took, 4*time.Second, "the agent waited for the backend")
		})

		t.Run(via+"/backend down past the deadline", func(t *testing.T) {
			const scenario = "end of run: backend down past the drain deadline"
			b := startEndOfRunBackend(t, via)
			run := startCapsuleRun(t, b, capsuleJob{lines: lines, seconds: 3, burst: 5000, exit: jobExit, pause: true, drainTimeout: "3s"})
			run.atPause(t, func() { b.down(t) })
			status, took := run.wait(t)
			reported := reportedUndelivered(t, run.output())
			assert.Equal(t, jobExit, status, "the script keeps the job's status")
			assert.Contains(t, run.output(), notDelivered, "the agent exited non-zero")
			require.Positive(t, reported)

			// What the agent delivered is all there once the backend is back
			// (a gateway forwards what it accepted), and nothing more.
			b.up(t)
			require.Eventually(t, func() bool {
				missing, _ := b.sink.counts(jobLines(lines))
				return missing <= reported
			}, time.Minute, 100*time.Millisecond)
			missing, _ := b.sink.counts(jobLines(lines))
			recordFigure(t, scenario+" ("+via+")", "lines written / delivered / reported not delivered", fmt.Sprintf("%d / %d / %d", lines, lines-missing, reported))
			recordFigure(t, scenario+" ("+via+")", "SIGTERM to agent exit (s), deadline 3 s", fmt.Sprintf("%.2f", took.Seconds()))
			assert.Equal(t, missing, reported, "the count reported is the count not delivered")

			// Started again, the agent delivers exactly the rest: the
			// checkpoints did not move past undelivered lines.
			again := startCollector(t, run.config, run.env...)
			b.sink.waitForAll(jobLines(lines), 2*time.Minute)
			again.stop(t)
			missing, duplicated := b.sink.counts(jobLines(lines))
			recordFigure(t, scenario+" ("+via+")", "after a second start: lost / sent twice", fmt.Sprintf("%d / %d", missing, duplicated))
			assert.Zero(t, missing, "lines lost")
			assert.Zero(t, duplicated, "lines sent twice")
		})

		t.Run(via+"/lines up to the instant of SIGTERM", func(t *testing.T) {
			const scenario = "end of run: lines written up to SIGTERM"
			b := startEndOfRunBackend(t, via)
			logDir := t.TempDir()
			env := capsuleRunEnv(t, b.url(), logDir, t.TempDir(), "")
			agent := startCollector(t, capsuleRunConfig, env...)
			out := newAppender(t, filepath.Join(logDir, "writer.jsonl"))
			var (
				mu      sync.Mutex
				written int
				stop    = make(chan struct{})
				done    = make(chan struct{})
			)
			// About 10,000 lines a second, in writes of 50: a busy job.
			go func() {
				defer close(done)
				tick := time.NewTicker(5 * time.Millisecond)
				defer tick.Stop()
				batch := make([]string, 50)
				for i := 0; ; i += len(batch) {
					select {
					case <-stop:
						return
					case <-tick.C:
					}
					for j := range batch {
						batch[j] = reliabilityLine(jobLine(i+j), time.Now())
					}
					out.write(t, batch...)
					mu.Lock()
					written = i + len(batch)
					mu.Unlock()
				}
			}()
			time.Sleep(scaled(3*time.Second, 2*time.Second))
			mu.Lock()
			before := written // every one of these was written before the signal
			require.NoError(t, agent.cmd.Process.Signal(syscall.SIGTERM))
			mu.Unlock()
			<-agent.exited
			close(stop)
			<-done
			missing, _ := b.delivered(before)
			recordFigure(t, scenario+" ("+via+")", "lines written before SIGTERM / lost", fmt.Sprintf("%d / %d", before, missing))
			assert.Zero(t, missing, "lines written before SIGTERM lost")
			assert.Zero(t, agent.cmd.ProcessState.ExitCode())
		})
	}
}

// The gateway gets the same drain: at SIGTERM it sends what it accepted
// (its persistent sending queue, kept through drain_storage) before it
// exits, retrying through a backend outage; past the deadline it says how
// many records are left, exits non-zero, and sends them at its next start.
func TestReliabilityGatewayDrain(t *testing.T) {
	const scenario = "gateway drain at SIGTERM"
	requests := scaled(300, 100)
	const perRequest = 100
	for _, pastDeadline := range []bool{false, true} {
		name := "backend down for 5 s after SIGTERM"
		env := []string(nil)
		if pastDeadline {
			name, env = "backend down past the deadline", []string{"AIND_DRAIN_TIMEOUT=3s"}
		}
		t.Run(name, func(t *testing.T) {
			sink := startSink(t)
			g := startGatewayProcess(t, sink.url(), env...)
			sink.goDown()
			lines := jobLines(requests * perRequest)
			for r := range requests {
				body := make([]string, perRequest)
				for i := range body {
					body[i] = reliabilityLine(jobLine(r*perRequest+i), time.Now())
				}
				status, answer := post(t, "http://"+g.httpAddr+"/aind/v1/logs", "application/x-ndjson", gatewayToken, strings.Join(body, "\n"), nil)
				require.Equal(t, 200, status, answer)
			}

			signalled := time.Now()
			require.NoError(t, g.col.cmd.Process.Signal(syscall.SIGTERM))
			if !pastDeadline {
				time.Sleep(time.Until(signalled.Add(5 * time.Second)))
				sink.comeBack(t)
			}
			select {
			case <-g.col.exited:
			case <-time.After(2 * time.Minute):
				t.Fatal("the gateway did not exit")
			}
			took := time.Since(signalled)
			exit := g.col.cmd.ProcessState.ExitCode()
			missing, _ := sink.counts(lines)
			recordFigure(t, scenario+", "+name, "records accepted / sent before exit", fmt.Sprintf("%d / %d", len(lines), len(lines)-missing))
			recordFigure(t, scenario+", "+name, "SIGTERM to exit (s), exit status", fmt.Sprintf("%.2f, %d", took.Seconds(), exit))
			if !pastDeadline {
				assert.Zero(t, exit)
				assert.Zero(t, missing, "records accepted but not sent before the gateway exited")
				return
			}
			assert.Equal(t, 1, exit)
			assert.Equal(t, len(lines), missing, "the backend was down all along")
			assert.Contains(t, g.col.logTail(), fmt.Sprintf("drain: %d records still in the persistent sending queue after 3s", len(lines)))

			// Started again with the backend up, it sends them.
			sink.comeBack(t)
			g.start(t)
			missing, duplicated := sink.waitForAll(lines, time.Minute)
			recordFigure(t, scenario+", "+name, "after a second start: lost / sent twice", fmt.Sprintf("%d / %d", missing, duplicated))
			assert.Zero(t, missing)
		})
	}
}

// notDelivered is what the script of docs/capsules.md prints when the agent
// exits non-zero.
const notDelivered = "otelcol-aind: not every log line was delivered"

var capsuleRunConfig = filepath.Join("..", "config", "capsule-run.yaml")

func jobLine(i int) string { return fmt.Sprintf("line %06d", i) }

func jobLines(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = jobLine(i)
	}
	return out
}

// reportedUndelivered is the count of lines the agent said it did not
// deliver.
func reportedUndelivered(t *testing.T, output string) int {
	t.Helper()
	m := regexp.MustCompile(`Drain ran out of time: lines were not delivered.*"lines": (\d+)`).FindStringSubmatch(output)
	require.NotNil(t, m, "the agent did not report the lines it did not deliver")
	n, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	return n
}

// endOfRunBackend is where a capsule agent sends its lines: an OTLP sink
// standing in for Loki, or a gateway (config/gateway.yaml) in front of it.
// down makes the agent's backend unreachable; up brings it back.
type endOfRunBackend struct {
	sink    *otlpSink
	gateway *gatewayProcess
}

func startEndOfRunBackend(t *testing.T, via string) *endOfRunBackend {
	t.Helper()
	b := &endOfRunBackend{sink: startSink(t)}
	if via == "gateway" {
		b.gateway = startGatewayProcess(t, b.sink.url())
	}
	return b
}

// delivered waits (up to a minute) until the first n job lines reached the
// sink, which a gateway forwards after it answered the agent, and counts
// them.
func (b *endOfRunBackend) delivered(n int) (missing, duplicated int) {
	return b.sink.waitForAll(jobLines(n), time.Minute)
}

func (b *endOfRunBackend) url() string {
	if b.gateway != nil {
		return "http://" + b.gateway.otlpAddr
	}
	return b.sink.url()
}

func (b *endOfRunBackend) down(t *testing.T) {
	t.Helper()
	if b.gateway != nil {
		b.gateway.col.stop(t)
		return
	}
	b.sink.goDown()
}

func (b *endOfRunBackend) up(t *testing.T) {
	t.Helper()
	if b.gateway != nil {
		b.gateway.start(t)
		return
	}
	b.sink.comeBack(t)
}

// gatewayProcess is config/gateway.yaml exporting to an OTLP sink; it can
// be stopped and started again on the same ports and storage.
type gatewayProcess struct {
	env                []string
	otlpAddr, httpAddr string
	col                *collectorProcess
}

func startGatewayProcess(t *testing.T, sinkURL string, env ...string) *gatewayProcess {
	t.Helper()
	g := &gatewayProcess{
		otlpAddr: "127.0.0.1:" + itoa(freePort(t)),
		httpAddr: "127.0.0.1:" + itoa(freePort(t)),
	}
	g.env = []string{
		"AIND_GATEWAY_TOKENS_FILE=" + gatewayTokensFile(t),
		"LOKI_OTLP_ENDPOINT=" + sinkURL,
		"AIND_GATEWAY_ENDPOINT=" + g.httpAddr,
		"AIND_GATEWAY_OTLP_ENDPOINT=" + g.otlpAddr,
		"AIND_STORAGE_DIR=" + t.TempDir(),
		"AIND_HEALTH_ENDPOINT=127.0.0.1:" + itoa(freePort(t)),
		"AIND_TELEMETRY_HOST=127.0.0.1",
		"AIND_TELEMETRY_PORT=" + itoa(freePort(t)),
	}
	g.env = append(g.env, env...)
	g.start(t)
	return g
}

func (g *gatewayProcess) start(t *testing.T) {
	t.Helper()
	g.col = startCollector(t, filepath.Join("..", "config", "gateway.yaml"), g.env...)
	waitForPort(t, g.otlpAddr)
}

// capsuleRunEnv is the environment config/capsule-run.yaml needs: an
// agent's, with the gateway's token (which a backend without auth ignores).
func capsuleRunEnv(t *testing.T, backend, logDir, storageDir, drainTimeout string) []string {
	env := append(sinkEnv(t, backend, logDir, storageDir), "AIND_GATEWAY_TOKEN="+gatewayToken)
	if drainTimeout != "" {
		env = append(env, "AIND_DRAIN_TIMEOUT="+drainTimeout)
	}
	return env
}

// capsuleJob is what integration/testdata/capsule_job.py is asked to do.
type capsuleJob struct {
	lines        int
	seconds      float64 // over which all but the burst are written
	burst        int     // lines written at once at the end
	exit         int
	pause        bool   // stop before the burst until atPause's action ran
	drainTimeout string // AIND_DRAIN_TIMEOUT, "" for the config's default
}

// capsuleRun is the docs/capsules.md run script running a capsule job.
type capsuleRun struct {
	cmd       *exec.Cmd
	config    string
	env       []string
	pauseFile string
	out       *syncBuffer
	exited    chan struct{}
	signalled time.Time
}

// capsuleRunScript returns the shell lines docs/capsules.md gives for a
// capsule's code/run, with the agent's health endpoint, its config and the job
// replaced by this test's.
func capsuleRunScript(t *testing.T, health, config, job string) string {
	t.Helper()
	script := docBlock(t, "capsule-run")
	for old, repl := range map[string]string{
		"localhost:13133":        health,
		"/code/capsule-run.yaml": config,
		`python -u main.py "$@"`: job,
	} {
		require.Contains(t, script, old, "the script of docs/capsules.md changed: update this test")
		script = strings.ReplaceAll(script, old, repl)
	}
	return "set -u\n" + script
}

func startCapsuleRun(t *testing.T, b *endOfRunBackend, job capsuleJob) *capsuleRun {
	t.Helper()
	dir := t.TempDir()
	bin := binary(t, "OTELCOL_BIN", "../build/otelcol-aind")
	require.NoError(t, os.Symlink(bin, filepath.Join(dir, "otelcol-aind")))
	config, err := filepath.Abs(capsuleRunConfig)
	require.NoError(t, err)
	jobScript, err := filepath.Abs(filepath.Join("testdata", "capsule_job.py"))
	require.NoError(t, err)

	r := &capsuleRun{config: config, out: &syncBuffer{}, exited: make(chan struct{})}
	r.env = capsuleRunEnv(t, b.url(), t.TempDir(), t.TempDir(), job.drainTimeout)
	script := capsuleRunScript(t, envValue(r.env, "AIND_HEALTH_ENDPOINT"), config,
		fmt.Sprintf("python3 -u %s %d %g %d", jobScript, job.lines, job.seconds, job.burst))
	r.cmd = exec.Command("bash", "-c", script)
	r.cmd.Env = append(os.Environ(), r.env...)
	r.cmd.Env = append(r.cmd.Env, "PATH="+dir+":"+os.Getenv("PATH"), "JOB_EXIT="+itoa(job.exit))
	if job.pause {
		r.pauseFile = filepath.Join(dir, "pause")
		r.cmd.Env = append(r.cmd.Env, "JOB_PAUSE_FILE="+r.pauseFile)
	}
	r.cmd.Stdout, r.cmd.Stderr = r.out, r.out
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	require.NoError(t, r.cmd.Start())
	go func() {
		_ = r.cmd.Wait()
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
			t.Logf("run script output:\n%s", tail(r.output(), 6000))
		}
	})
	return r
}

func envValue(env []string, key string) string {
	for _, e := range env {
		if v, ok := strings.CutPrefix(e, key+"="); ok {
			return v
		}
	}
	return ""
}

// atPause waits until the job paused before its burst, runs action, and
// lets the job go on.
func (r *capsuleRun) atPause(t *testing.T, action func()) {
	t.Helper()
	require.Eventually(t, func() bool {
		_, err := os.Stat(r.pauseFile)
		return err == nil
	}, 2*time.Minute, 5*time.Millisecond, "the job never reached its pause")
	action()
	require.NoError(t, os.Remove(r.pauseFile))
}

// waitForSignal waits until the agent logged the SIGTERM the script sent.
func (r *capsuleRun) waitForSignal(t *testing.T) time.Time {
	t.Helper()
	require.Eventually(t, func() bool {
		return strings.Contains(r.out.String(), "Received signal from OS")
	}, 2*time.Minute, time.Millisecond, "the script never stopped the agent")
	if r.signalled.IsZero() {
		r.signalled = time.Now()
	}
	return r.signalled
}

// wait waits for the script to end and returns its exit status and how
// long the agent took from the SIGTERM to its exit.
func (r *capsuleRun) wait(t *testing.T) (int, time.Duration) {
	t.Helper()
	signalled := r.waitForSignal(t)
	select {
	case <-r.exited:
	case <-time.After(3 * time.Minute):
		t.Fatal("the run script did not end within 3 minutes")
	}
	return r.cmd.ProcessState.ExitCode(), time.Since(signalled)
}

func (r *capsuleRun) output() string { return r.out.String() }

// delivered waits for the run to end, records its figures, and checks that
// the script kept the job's exit status, the agent exited zero, and the
// backend got every line once. It returns how long the agent took from the
// SIGTERM to its exit.
func (r *capsuleRun) delivered(t *testing.T, b *endOfRunBackend, scenario string, lines, jobExit int) time.Duration {
	t.Helper()
	status, took := r.wait(t)
	missing, duplicated := b.delivered(lines)
	recordFigure(t, scenario, "lines written / lost / sent twice", fmt.Sprintf("%d / %d / %d", lines, missing, duplicated))
	recordFigure(t, scenario, "SIGTERM to agent exit (s)", fmt.Sprintf("%.2f", took.Seconds()))
	assert.Equal(t, jobExit, status, "the script keeps the job's status")
	assert.NotContains(t, r.output(), notDelivered, "the agent exited non-zero")
	assert.Zero(t, missing, "lines lost")
	assert.Zero(t, duplicated, "lines sent twice")
	return took
}
