//go:build integration

package integration

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/testenv"
)

// rigAgentEnv is the environment config/rig-agent.yaml needs on Linux,
// pointed at this test's backend, directories and socket port.
func rigAgentEnv(t *testing.T, otlpURL, socketAddr string) []string {
	return []string{
		"LOKI_OTLP_ENDPOINT=" + otlpURL,
		"AIND_LOG_DIR=" + t.TempDir(),
		"AIND_STORAGE_DIR=" + t.TempDir(),
		"AIND_SOCKET_ENDPOINT=" + socketAddr,
		"AIND_SOCKET_UDP_ENDPOINT=" + socketAddr,
		"AIND_HEALTH_ENDPOINT=127.0.0.1:" + itoa(freePort(t)),
		"AIND_TELEMETRY_HOST=127.0.0.1",
		"AIND_TELEMETRY_PORT=" + itoa(freePort(t)),
		"aibs_rig_id=NP.1",
		"aibs_comp_id=NP.1-Acq",
	}
}

// python is the system Python 3, whose logging.handlers.SocketHandler is
// the real client.
func python(t *testing.T) string {
	t.Helper()
	return testenv.Command(t, testenv.SystemPython, "python3")
}

// rigClient runs testdata/rig_client.py against the socket input at addr.
func rigClient(t *testing.T, addr string, args ...string) *exec.Cmd {
	t.Helper()
	host, port, ok := strings.Cut(addr, ":")
	require.True(t, ok)
	return exec.Command(python(t), append([]string{filepath.Join("testdata", "rig_client.py"), host, port}, args...)...)
}

// The shipped rig agent, unchanged, with Python's own SocketHandler as the
// client, as mpetk logs to the SIPE Log Server: every record arrives in
// Loki once, mapped: severity (the rig levels between WARNING and ERROR),
// body, scope, rig_id, subject_id and the traceback.
func TestRigAgentSocketToLoki(t *testing.T) {
	loki := startLoki(t)
	socket := "127.0.0.1:" + itoa(freePort(t))
	startCollector(t, filepath.Join("..", "config", "rig-agent.yaml"), rigAgentEnv(t, loki.url("/otlp"), socket)...)
	waitForPort(t, socket)

	run := fmt.Sprintf("rig-%d", time.Now().UnixNano())
	begin := time.Now()
	out, err := rigClient(t, socket, "mpetk", run).CombinedOutput()
	require.NoError(t, err, "%s", out)

	got := loki.waitForEntries(t, `{rig_id="NP.1"} |= "`+run+`"`, begin.Add(-time.Minute), time.Now().Add(time.Hour), 5, 2*time.Minute)
	byLine := map[string]entry{}
	for _, e := range got {
		byLine[e.Line] = e
	}
	require.Len(t, got, 5, "once each: %v", keys(byLine))
	if len(got) > 0 {
		t.Logf("one stored entry: labels %s, structured metadata %s, line %q", labelsString(got[0].Labels), labelsString(got[0].Metadata), got[0].Line)
	}

	plain := byLine[run+" plain info, µm 漢字 🐭"]
	assert.Equal(t, "INFO", plain.Metadata["severity_text"])
	assert.Equal(t, "camstim.rig", plain.Metadata["scope_name"])
	assert.Equal(t, "713491", plain.Metadata["subject_id"])
	assert.Equal(t, "NP.1-Acq", plain.Metadata["comp_id"])
	assert.Equal(t, "5f0c1e2a", plain.Metadata["log_session"])
	assert.Equal(t, "NP.1", plain.Labels["rig_id"])
	assert.NotEmpty(t, plain.Metadata["code_file_path"])
	assert.NotEmpty(t, plain.Metadata["process_pid"])
	assert.Empty(t, plain.Metadata["aind_parse_error"])
	assert.Empty(t, plain.Metadata["aind_validation_errors"], "a LogRecord has the standard's required fields under its own names")
	for _, gone := range []string{"msecs", "relativeCreated", "levelno", "args", "exc_info", "created", "msg"} {
		assert.NotContains(t, plain.Metadata, gone)
	}
	assert.InDelta(t, begin.UnixNano(), plain.Time, float64(time.Minute), "the record's time is created's")

	for line, level := range map[string]string{
		run + " Action, Start, log_session, 5f0c1e2a": "START_STOP",
		run + " lims upload queued":                   "LIMS",
	} {
		e, ok := byLine[line]
		require.True(t, ok, line)
		assert.Equal(t, level, e.Metadata["severity_text"], line)
		// Loki's detected_level is the severity text when it has one, so
		// Grafana shows the rig level's own name; the number says where
		// it stands: between WARNING (13) and ERROR (17), never INFO.
		assert.Equal(t, "15", e.Metadata["severity_number"], line)
	}
	dict := byLine[fmt.Sprintf("{'run': '%s', 'Action': 'Stop', 'log_session': '5f0c1e2a'}", run)]
	assert.Equal(t, "WARNING", dict.Metadata["severity_text"], "a dict message arrives as Python's text of it")

	failed := byLine[run+" acquisition failed"]
	assert.Equal(t, "ERROR", failed.Metadata["severity_text"])
	assert.Equal(t, "ValueError", failed.Metadata["exception_type"])
	assert.Equal(t, "bad gain 3.5", failed.Metadata["exception_message"])
	assert.Contains(t, failed.Metadata["exception_stacktrace"], "Traceback (most recent call last):")
}

// 100,000 records from 8 Python processes logging at once, each with its
// own SocketHandler connection: every one arrives, once.
func TestRigAgentSocketVolume(t *testing.T) {
	const processes, each = 8, 12_500
	sink := startSink(t)
	socket := "127.0.0.1:" + itoa(freePort(t))
	startCollector(t, filepath.Join("..", "config", "rig-agent.yaml"), rigAgentEnv(t, sink.url(), socket)...)
	waitForPort(t, socket)

	run := fmt.Sprintf("vol-%d", time.Now().UnixNano())
	begin := time.Now()
	out, err := rigClient(t, socket, "volume", run, itoa(processes), itoa(each)).CombinedOutput()
	require.NoError(t, err, "%s", out)
	sent := time.Since(begin)

	var written []string
	for p := range processes {
		for n := range each {
			written = append(written, fmt.Sprintf("%s p%d %d", run, p, n))
		}
	}
	missing, duplicated := sink.waitForAll(written, 2*time.Minute)
	t.Logf("%d records from %d processes: sent in %s (%.0f records/s), all delivered after %s",
		len(written), processes, sent.Round(time.Millisecond), float64(len(written))/sent.Seconds(), time.Since(begin).Round(time.Millisecond))
	assert.Zero(t, missing, "lost")
	assert.Zero(t, duplicated, "duplicated")
}

// A Python client that keeps logging while the agent restarts connects
// again by itself and its records arrive once. SocketHandler drops what it
// logs while nobody listens (and the first record after the collector
// closed its connection): that loss is the client's, measured and bounded
// here, never a duplicate.
func TestRigAgentSocketClientReconnects(t *testing.T) {
	sink := startSink(t)
	socket := "127.0.0.1:" + itoa(freePort(t))
	env := rigAgentEnv(t, sink.url(), socket)
	agent := startCollector(t, filepath.Join("..", "config", "rig-agent.yaml"), env...)
	waitForPort(t, socket)

	run := fmt.Sprintf("steady-%d", time.Now().UnixNano())
	stop := filepath.Join(t.TempDir(), "stop")
	client := rigClient(t, socket, "steady", run, stop)
	var stdout strings.Builder
	client.Stdout = &stdout
	require.NoError(t, client.Start())
	t.Cleanup(func() { _ = os.WriteFile(stop, nil, 0o600); _ = client.Wait() })

	require.Eventually(t, func() bool { return sink.received() >= 50 }, time.Minute, 50*time.Millisecond)
	agent.stop(t)
	before := sink.received()
	time.Sleep(time.Second) // the agent is down
	startCollector(t, filepath.Join("..", "config", "rig-agent.yaml"), env...)
	restarted := time.Now()
	require.Eventually(t, func() bool { return sink.received() >= before+100 }, time.Minute, 50*time.Millisecond,
		"the client never came back")
	reconnected := time.Since(restarted)

	require.NoError(t, os.WriteFile(stop, nil, 0o600))
	require.NoError(t, client.Wait())
	logged, err := strconv.Atoi(strings.TrimSpace(stdout.String()))
	require.NoError(t, err, "client output %q", stdout.String())
	var written []string
	for n := range logged {
		written = append(written, fmt.Sprintf("%s %d", run, n))
	}
	missing, duplicated := sink.waitForAll(written, 30*time.Second)
	t.Logf("client logged %d records over an agent restart (down 1 s): %d lost by SocketHandler while it was down or reconnecting, back within %s",
		logged, missing, reconnected.Round(time.Millisecond))
	assert.Zero(t, duplicated, "duplicated")
	// Down 1 s at 100 records/s, plus SocketHandler's first retry after
	// 1-2 s: a few hundred at most. The rest must all arrive.
	assert.Less(t, missing, 500, "lost")
}

// Python's DatagramHandler, to the rig agent's UDP port: its records
// arrive (none is lost on loopback at this pace), mapped like
// SocketHandler's.
func TestRigAgentDatagrams(t *testing.T) {
	const n = 200
	sink := startSink(t)
	socket := "127.0.0.1:" + itoa(freePort(t))
	startCollector(t, filepath.Join("..", "config", "rig-agent.yaml"), rigAgentEnv(t, sink.url(), socket)...)
	waitForPort(t, socket)

	run := fmt.Sprintf("udp-%d", time.Now().UnixNano())
	out, err := rigClient(t, socket, "datagram", run, itoa(n)).CombinedOutput()
	require.NoError(t, err, "%s", out)
	var written []string
	for i := range n {
		written = append(written, fmt.Sprintf("%s %d", run, i))
	}
	missing, duplicated := sink.waitForAll(written, time.Minute)
	assert.Zero(t, missing, "lost")
	assert.Zero(t, duplicated, "duplicated")
}
