//go:build integration && reliability

package integration

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Scenario 4, overload: the shipped gateway (memory_limiter in MiB, one
// export consumer, a small persistent queue) is offered ten times what it
// can export, the sink taking exportDelay per request of at most
// exportBatch records. The memory stays under the memory_limiter limit,
// clients get 503 with Retry-After, the collector does not crash, and once
// the load stops every line answered 200 arrives.
func TestReliabilityOverload(t *testing.T) {
	const (
		scenario    = "overload"
		limitMiB    = 256
		spikeMiB    = 64
		exportBatch = 500
		exportDelay = time.Second
		queueSize   = 5000
		clients     = 8
		linesPerReq = 250
	)
	capacity := float64(exportBatch) / exportDelay.Seconds() // lines/s
	offered := 10 * capacity
	duration := scaled(60*time.Second, 15*time.Second)

	sink := startSink(t)
	sink.delay.Store(int64(exportDelay))
	cfg := gatewayConfigCopy(t, map[string]string{
		"limit_percentage: 80\n    spike_limit_percentage: 20": fmt.Sprintf("limit_mib: %d\n    spike_limit_mib: %d", limitMiB, spikeMiB),
		"sizer: items\n      queue_size: 1000000":              fmt.Sprintf("sizer: items\n      num_consumers: 1\n      queue_size: %d", queueSize),
		"min_size: 1000\n        max_size: 5000":               fmt.Sprintf("min_size: %d\n        max_size: %d", exportBatch, exportBatch),
	})
	gw := startSinkGateway(t, cfg, sink.url())
	rss := watchMemory(t, gw.proc)

	var (
		mu            sync.Mutex
		accepted      []string // messages answered 200
		refusedBodies []string
		sent          atomic.Int64
		ok, refused   atomic.Int64
		badRetry      atomic.Int64
		other         atomic.Int64
		retryAfterMax atomic.Int64
	)
	// Each client sends linesPerReq lines at a fixed rate (open loop): the
	// offered load does not slow down when the gateway refuses.
	interval := time.Duration(float64(time.Second) * float64(clients*linesPerReq) / offered)
	start := time.Now()
	stop := start.Add(duration)
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			client := &http.Client{Timeout: 30 * time.Second}
			ticker := time.NewTicker(interval)
			defer ticker.Stop()
			for r := 0; time.Now().Before(stop); r++ {
				msgs := make([]string, linesPerReq)
				var body strings.Builder
				for i := range msgs {
					msgs[i] = fmt.Sprintf("overload c%d r%d l%d", c, r, i)
					fmt.Fprintf(&body, `{"timestamp":"%s","level":"INFO","message":%q,"software_name":"overload","rig_id":"frg_ovl","padding":"%s"}`+"\n",
						time.Now().UTC().Format(time.RFC3339Nano), msgs[i], strings.Repeat("p", 64))
				}
				sent.Add(linesPerReq)
				status, hdr, answer, err := postAind(client, gw.url, body.String(), nil)
				switch {
				case err != nil:
					other.Add(1)
					t.Logf("client %d: %v", c, err)
				case status == http.StatusOK:
					var a struct{ Accepted int }
					if json.Unmarshal([]byte(answer), &a) != nil || a.Accepted != linesPerReq {
						other.Add(1)
						t.Logf("client %d: 200 with %q", c, answer)
					}
					ok.Add(1)
					mu.Lock()
					accepted = append(accepted, msgs...)
					mu.Unlock()
				case status == http.StatusServiceUnavailable:
					refused.Add(1)
					s, err := strconv.Atoi(hdr.Get("Retry-After"))
					if err != nil || s < 1 || s > 5 {
						badRetry.Add(1)
					}
					if int64(s) > retryAfterMax.Load() {
						retryAfterMax.Store(int64(s))
					}
					mu.Lock()
					if len(refusedBodies) < 4 {
						refusedBodies = append(refusedBodies, body.String())
					}
					mu.Unlock()
				default:
					other.Add(1)
					t.Logf("client %d: status %d: %s", c, status, answer)
				}
				<-ticker.C
			}
		}(c)
	}
	wg.Wait()
	loadTime := time.Since(start)
	exportedDuringLoad := sink.received()

	// Clients retry what was refused, as Retry-After says: a few refused
	// requests sent again until accepted.
	retried := 0
	for _, body := range refusedBodies {
		deadline := time.Now().Add(2 * time.Minute)
		for {
			status, hdr, _, err := postAind(http.DefaultClient, gw.url, body, nil)
			require.NoError(t, err)
			if status == http.StatusOK {
				break
			}
			require.Equal(t, http.StatusServiceUnavailable, status)
			require.True(t, time.Now().Before(deadline), "a refused request is still refused after 2 min")
			s, _ := strconv.Atoi(hdr.Get("Retry-After"))
			time.Sleep(time.Duration(s) * time.Second)
		}
		for _, line := range strings.Split(strings.TrimSpace(body), "\n") {
			var rec struct{ Message string }
			require.NoError(t, json.Unmarshal([]byte(line), &rec))
			accepted = append(accepted, rec.Message)
		}
		retried++
	}

	drainStart := time.Now()
	missing, dup := sink.waitForAll(accepted, scaled(3*time.Minute, 90*time.Second))
	drain := time.Since(drainStart)
	select {
	case <-gw.proc.exited:
		t.Fatalf("the gateway exited under overload:\n%s", gw.proc.logTail())
	default:
	}
	peak := rss.stop()
	logText := gw.proc.log(t)
	// Who refused: the memory limiter, or the full sending queue.
	limiterRefused, _ := metricSum(t, gw.metrics, "otelcol_processor_memory_limiter_refused_log_records")
	queueRefused, _ := metricSum(t, gw.metrics, "otelcol_exporter_enqueue_failed_log_records")

	offeredRate := float64(sent.Load()) / loadTime.Seconds()
	exportRate := float64(exportedDuringLoad) / loadTime.Seconds()
	recordFigure(t, scenario, "load duration", loadTime.Round(time.Second))
	recordFigure(t, scenario, "export capacity (config), lines/s", capacity)
	recordFigure(t, scenario, "export rate measured during load, lines/s", int(exportRate))
	recordFigure(t, scenario, "offered, lines/s", int(offeredRate))
	recordFigure(t, scenario, "offered / exported", fmt.Sprintf("%.1f", offeredRate/exportRate))
	recordFigure(t, scenario, "requests answered 200", ok.Load())
	recordFigure(t, scenario, "requests answered 503", refused.Load())
	recordFigure(t, scenario, "503 without a valid Retry-After (1-5 s)", badRetry.Load())
	recordFigure(t, scenario, "max Retry-After, s", retryAfterMax.Load())
	recordFigure(t, scenario, "other answers or transport errors", other.Load())
	recordFigure(t, scenario, "refused requests retried until accepted", retried)
	recordFigure(t, scenario, "lines accepted", len(accepted))
	recordFigure(t, scenario, "accepted lines missing after drain", missing)
	recordFigure(t, scenario, "accepted lines duplicated", dup)
	recordFigure(t, scenario, "drain time after load", drain.Round(time.Second))
	recordFigure(t, scenario, "records refused by memory_limiter (metric)", limiterRefused)
	recordFigure(t, scenario, "records refused by the full queue (metric)", queueRefused)
	recordFigure(t, scenario, "memory_limiter limit, MiB", limitMiB)
	recordFigure(t, scenario, "peak VmRSS sampled, MiB", peak.rssMiB)
	recordFigure(t, scenario, "VmHWM, MiB", peak.hwmMiB)

	assert.GreaterOrEqual(t, offeredRate/exportRate, 5.0, "the gateway was not overloaded")
	assert.Positive(t, refused.Load(), "no client was refused with 503")
	assert.Positive(t, ok.Load(), "no request was accepted")
	assert.Zero(t, badRetry.Load(), "503 without Retry-After in 1-5 s")
	assert.Zero(t, other.Load(), "answers other than 200/503, or transport errors")
	assert.Zero(t, missing, "accepted lines lost")
	assert.Less(t, peak.hwmMiB, limitMiB, "peak RSS over the memory_limiter limit")
	assert.NotContains(t, logText, "panic")
}

// sinkGateway is a running gateway.yaml (or a copy) on free loopback ports.
type sinkGateway struct {
	proc    *collectorProcess
	url     string // the AIND endpoint
	base    string // http://host:port
	metrics string // the collector's Prometheus metrics URL
}

// gatewayConfigCopy writes config/gateway.yaml with each key of replace
// replaced by its value; every key must occur, so a change to the shipped
// file fails the test instead of silently testing something else.
func gatewayConfigCopy(t *testing.T, replace map[string]string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "config", "gateway.yaml"))
	require.NoError(t, err)
	text := string(data)
	for old, repl := range replace {
		require.Contains(t, text, old, "config/gateway.yaml changed")
		text = strings.Replace(text, old, repl, 1)
	}
	return writeConfig(t, text)
}

// startSinkGateway starts a gateway config that exports to sinkURL; env
// adds to (or overrides) the environment it is given.
func startSinkGateway(t *testing.T, configPath, sinkURL string, env ...string) *sinkGateway {
	t.Helper()
	addr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	otlpAddr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	metricsPort := strconv.Itoa(freePort(t))
	proc := startCollector(t, configPath, append([]string{
		"AIND_GATEWAY_TOKENS_FILE=" + gatewayTokensFile(t),
		"LOKI_OTLP_ENDPOINT=" + sinkURL,
		"AIND_GATEWAY_ENDPOINT=" + addr,
		"AIND_GATEWAY_OTLP_ENDPOINT=" + otlpAddr,
		"AIND_STORAGE_DIR=" + t.TempDir(),
		"AIND_HEALTH_ENDPOINT=127.0.0.1:" + strconv.Itoa(freePort(t)),
		"AIND_TELEMETRY_HOST=127.0.0.1",
		"AIND_TELEMETRY_PORT=" + metricsPort,
	}, env...)...)
	waitForPort(t, addr)
	return &sinkGateway{proc: proc, url: "http://" + addr + "/aind/v1/logs", base: "http://" + addr,
		metrics: "http://127.0.0.1:" + metricsPort + "/metrics"}
}

// postAind posts NDJSON with the gateway token; headers are added.
func postAind(client *http.Client, url, body string, headers map[string]string) (int, http.Header, string, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(body))
	if err != nil {
		return 0, nil, "", err
	}
	req.Header.Set("Content-Type", "application/x-ndjson")
	req.Header.Set("Authorization", "Bearer "+gatewayToken)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(data), err
}

// metricSum adds up the samples of a Prometheus metric (any labels, with
// or without the _total suffix), -1 if it cannot be scraped, and says
// whether it has any sample: a counter never added to has none, and nor
// has a name the collector does not export.
func metricSum(t *testing.T, url, name string) (sum float64, exported bool) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Logf("metrics: %v", err)
		return -1, false
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		rest, ok := strings.CutPrefix(line, name)
		if !ok || (!strings.HasPrefix(rest, "{") && !strings.HasPrefix(rest, " ") && !strings.HasPrefix(rest, "_total")) {
			continue
		}
		fields := strings.Fields(line)
		if v, err := strconv.ParseFloat(fields[len(fields)-1], 64); err == nil {
			sum += v
			exported = true
		}
	}
	return sum, exported
}

// memoryWatch samples a process's VmRSS every 100 ms while it runs.
type memoryWatch struct {
	t    *testing.T
	pid  int
	done chan struct{}
	wg   sync.WaitGroup
	max  atomic.Int64 // kB
}

type memoryPeak struct{ rssMiB, hwmMiB int }

func watchMemory(t *testing.T, p *collectorProcess) *memoryWatch {
	t.Helper()
	w := &memoryWatch{t: t, pid: p.cmd.Process.Pid, done: make(chan struct{})}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			if kb := procStatus(t, w.pid, "VmRSS"); kb > w.max.Load() {
				w.max.Store(kb)
			}
			select {
			case <-w.done:
				return
			case <-p.exited: // no status to read; the test sees the exit
				return
			case <-tick.C:
			}
		}
	}()
	t.Cleanup(func() {
		select {
		case <-w.done:
		default:
			close(w.done)
		}
		w.wg.Wait()
	})
	return w
}

// stop ends the sampling; call it while the process still runs, so that
// VmHWM (the kernel's peak resident set) can be read.
func (w *memoryWatch) stop() memoryPeak {
	select {
	case <-w.done:
	default:
		close(w.done)
	}
	w.wg.Wait()
	return memoryPeak{rssMiB: int(w.max.Load() / 1024), hwmMiB: int(procStatus(w.t, w.pid, "VmHWM") / 1024)}
}

// procStatus reads one kB field of /proc/<pid>/status. A field it cannot
// read fails the test: read as 0, it would pass every bound on a peak. It
// does not end the test, as the goroutine of a memoryWatch calls it too.
func procStatus(t testing.TB, pid int, field string) int64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Errorf("%s of process %d: %v", field, pid, err)
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Errorf("%s of process %d: %v", field, pid, err)
			}
			return kb
		}
	}
	t.Errorf("/proc/%d/status has no %s", pid, field)
	return 0
}
