//go:build integration

package integration

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// lokiProcess is one single-binary Loki on loopback. It can be stopped and
// started again on the same ports and data directory (its WAL keeps what
// it had accepted).
type lokiProcess struct {
	bin, dir, config string
	httpPort         int
	cmd              *exec.Cmd
	exited           chan struct{}
}

func binary(t *testing.T, env, def string) string {
	t.Helper()
	path := os.Getenv(env)
	if path == "" {
		path = def
	}
	abs, err := filepath.Abs(path)
	require.NoError(t, err)
	_, err = os.Stat(abs)
	require.NoError(t, err, "%s not found: run `make test-integration`, which builds it", abs)
	return abs
}

// freePort asks the kernel for a free loopback port.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startLoki writes the test configuration (integration/testdata/loki.yaml
// plus the deploy/loki/otlp-config.yaml users copy, plus any extra
// limits_config settings such as "ingestion_rate_mb: 1") and starts Loki.
func startLoki(t *testing.T, limits ...string) *lokiProcess {
	t.Helper()
	l := &lokiProcess{
		bin:      binary(t, "LOKI_BIN", "../build/loki"),
		dir:      t.TempDir(),
		httpPort: freePort(t),
	}
	base, err := os.ReadFile(filepath.Join("testdata", "loki.yaml"))
	require.NoError(t, err)
	otlpLimits, err := os.ReadFile(filepath.Join("..", "deploy", "loki", "otlp-config.yaml"))
	require.NoError(t, err)
	cfg := os.Expand(string(base), func(k string) string {
		switch k {
		case "HTTP_PORT":
			return strconv.Itoa(l.httpPort)
		case "GRPC_PORT", "MEMBERLIST_PORT":
			return strconv.Itoa(freePort(t))
		case "DIR":
			return l.dir
		}
		t.Fatalf("unknown placeholder %q in loki.yaml", k)
		return ""
	}) + "\n" + string(otlpLimits)
	for _, l := range limits {
		cfg += "  " + l + "\n"
	}
	l.config = filepath.Join(l.dir, "loki.yaml")
	require.NoError(t, os.WriteFile(l.config, []byte(cfg), 0o600))
	l.start(t)
	t.Cleanup(func() { l.stop(t) })
	return l
}

func (l *lokiProcess) url(path string) string {
	return fmt.Sprintf("http://127.0.0.1:%d%s", l.httpPort, path)
}

// start runs Loki and waits until /ready answers 200.
func (l *lokiProcess) start(t *testing.T) {
	t.Helper()
	logFile, err := os.OpenFile(filepath.Join(l.dir, "loki.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	require.NoError(t, err)
	l.cmd = exec.Command(l.bin, "-config.file="+l.config)
	l.cmd.Stdout, l.cmd.Stderr = logFile, logFile
	require.NoError(t, l.cmd.Start())
	l.exited = make(chan struct{})
	go func(cmd *exec.Cmd, f *os.File) {
		_ = cmd.Wait()
		f.Close()
		close(l.exited)
	}(l.cmd, logFile)

	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := http.Get(l.url("/ready"))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-l.exited:
			t.Fatalf("loki exited before it was ready; see %s", l.logTail())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("loki not ready after 2 minutes; see %s", l.logTail())
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// stop ends Loki gracefully (SIGTERM), killing it after 30 s.
func (l *lokiProcess) stop(t *testing.T) {
	t.Helper()
	if l.cmd == nil {
		return
	}
	_ = l.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-l.exited:
	case <-time.After(30 * time.Second):
		_ = l.cmd.Process.Kill()
		<-l.exited
	}
	l.cmd = nil
}

func (l *lokiProcess) logTail() string {
	data, _ := os.ReadFile(filepath.Join(l.dir, "loki.log"))
	if len(data) > 4000 {
		data = data[len(data)-4000:]
	}
	return string(data)
}

// entry is one log line as Loki returned it, with the labels of its stream
// and its structured metadata kept apart (categorize-labels encoding).
type entry struct {
	Labels   map[string]string
	Metadata map[string]string
	Time     int64
	Line     string
}

// queryLimit is the most entries one query returns (queryAll pages past it).
const queryLimit = 5000

// query runs a LogQL log query over [start, end] and returns its entries,
// oldest first.
func (l *lokiProcess) query(t *testing.T, logql string, start, end time.Time) []entry {
	t.Helper()
	q := url.Values{
		"query":     {logql},
		"start":     {strconv.FormatInt(start.UnixNano(), 10)},
		"end":       {strconv.FormatInt(end.UnixNano(), 10)},
		"limit":     {strconv.Itoa(queryLimit)},
		"direction": {"forward"},
	}
	req, err := http.NewRequest(http.MethodGet, l.url("/loki/api/v1/query_range?"+q.Encode()), nil)
	require.NoError(t, err)
	req.Header.Set("X-Loki-Response-Encoding-Flags", "categorize-labels")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Data   struct {
			Result []struct {
				Stream map[string]string   `json:"stream"`
				Values [][]json.RawMessage `json:"values"`
			} `json:"result"`
		} `json:"data"`
	}
	require.Equal(t, http.StatusOK, resp.StatusCode, "query %s", logql)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	require.Equal(t, "success", body.Status)
	var out []entry
	for _, s := range body.Data.Result {
		for _, v := range s.Values {
			var ts, line string
			require.NoError(t, json.Unmarshal(v[0], &ts))
			require.NoError(t, json.Unmarshal(v[1], &line))
			e := entry{Labels: s.Stream, Line: line, Metadata: map[string]string{}}
			e.Time, err = strconv.ParseInt(ts, 10, 64)
			require.NoError(t, err)
			if len(v) > 2 {
				var cat struct {
					StructuredMetadata map[string]string `json:"structuredMetadata"`
				}
				require.NoError(t, json.Unmarshal(v[2], &cat))
				for k, val := range cat.StructuredMetadata {
					e.Metadata[k] = val
				}
			}
			out = append(out, e)
		}
	}
	return out
}

// metric returns the sum of a Prometheus counter's series on Loki's /metrics
// whose line contains match (e.g. `reason="rate_limited"`).
func (l *lokiProcess) metric(t *testing.T, name, match string) float64 {
	t.Helper()
	resp, err := http.Get(l.url("/metrics"))
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	sum := 0.0
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, name+"{") || !strings.Contains(line, match) {
			continue
		}
		fields := strings.Fields(line)
		v, err := strconv.ParseFloat(fields[len(fields)-1], 64)
		require.NoError(t, err)
		sum += v
	}
	return sum
}

// waitForEntries polls until the query returns at least want entries or
// the timeout passes, and returns what it found last.
func (l *lokiProcess) waitForEntries(t *testing.T, logql string, start, end time.Time, want int, timeout time.Duration) []entry {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got := l.query(t, logql, start, end)
		if len(got) >= want || time.Now().After(deadline) {
			return got
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func labelsString(m map[string]string) string {
	parts := make([]string, 0, len(m))
	for k, v := range m {
		parts = append(parts, k+"="+strconv.Quote(v))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
