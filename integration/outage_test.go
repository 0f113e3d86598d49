//go:build integration

package integration

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
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

// Loki goes away while a capsule keeps writing, and the collector is
// restarted during the outage. The persistent sending queue and the
// receiver's checkpoints must bring every line to Loki once it is back.
func TestLokiOutageLosesNothing(t *testing.T) {
	f := runLokiOutage(t, outagePhases{
		before:      3 * time.Second,
		down:        4 * time.Second,
		noCollector: 2 * time.Second,
		restarted:   4 * time.Second,
		after:       2 * time.Second,
		interval:    10 * time.Millisecond,
		wait:        3 * time.Minute,
	})
	require.Zero(t, f.missing, "lines lost across the outage")
	assert.Equal(t, f.written, f.stored-f.duplicated)
}

// outagePhases is how long a capsule writes in each phase of a Loki
// outage: Loki up; Loki down with the collector running; Loki and the
// collector both down; Loki down with the collector started again; Loki
// back. One line every interval throughout; wait bounds how long Loki may
// take to hold every line after the input stopped.
type outagePhases struct {
	before, down, noCollector, restarted, after time.Duration
	interval, wait                              time.Duration
}

// outageFigures is what runLokiOutage measured.
type outageFigures struct {
	written, stored, missing, duplicated int
	// outage is how long Loki was down (stopped until ready again).
	outage time.Duration
	// catchUp is the time from Loki's return until it held every line
	// written before that; -1 if it never did within wait.
	catchUp time.Duration
	// peakQueue is the largest otelcol_exporter_queue_size the collector
	// reported (sampled every 500 ms); -1 if it never answered.
	peakQueue float64
}

// runLokiOutage runs the agent (config/capsule-agent.yaml) against a real
// Loki through an outage shaped by p and counts what Loki holds afterwards.
func runLokiOutage(t *testing.T, p outagePhases) outageFigures {
	t.Helper()
	loki := startLoki(t)
	logDir, storageDir := t.TempDir(), t.TempDir()
	// Stopped while Loki is down, the agent gives up its drain after 3 s
	// (exiting non-zero); its checkpoints hold what it did not deliver.
	env := append(agentEnv(t, loki, logDir, storageDir, "capsule-outage"), "AIND_DRAIN_TIMEOUT=3s")
	telemetry := ""
	for _, e := range env {
		if v, ok := strings.CutPrefix(e, "AIND_TELEMETRY_PORT="); ok {
			telemetry = "http://127.0.0.1:" + v + "/metrics"
		}
	}
	config := filepath.Join("..", "config", "capsule-agent.yaml")
	out := newAppender(t, filepath.Join(logDir, "capsule.jsonl"))
	const selector = `{service_name="waterlog", rig_id="frg_1_a"}`
	from := time.Now().Add(-time.Minute)
	f := outageFigures{catchUp: -1, peakQueue: -1}

	// In the background: the collector's queue size, and once Loki is back,
	// whether it holds every line written before its return.
	var (
		mu                    sync.Mutex
		recoveredAt           time.Time
		writtenBeforeRecovery int
		stopSampling          = make(chan struct{})
		samplerDone           = make(chan struct{})
		lastSampleErr         atomic.Value
	)
	go func() {
		defer close(samplerDone)
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stopSampling:
				return
			case <-tick.C:
			}
			if q, err := scrapeGauge(telemetry, "otelcol_exporter_queue_size"); err == nil {
				mu.Lock()
				f.peakQueue = math.Max(f.peakQueue, q)
				mu.Unlock()
			}
			mu.Lock()
			at, want, done := recoveredAt, writtenBeforeRecovery, f.catchUp >= 0
			mu.Unlock()
			if at.IsZero() || done {
				continue
			}
			n, err := loki.count(selector, from, at)
			if err != nil {
				lastSampleErr.Store(err)
				continue
			}
			if n >= want {
				mu.Lock()
				f.catchUp = time.Since(at)
				mu.Unlock()
			}
		}
	}()

	written := 0
	writeFor := func(d time.Duration) {
		tick := time.NewTicker(p.interval)
		defer tick.Stop()
		for end := time.Now().Add(d); time.Now().Before(end); written++ {
			out.write(t, fmt.Sprintf(`{"timestamp":%q,"level":"INFO","message":"line %06d","software_name":"waterlog","rig_id":"frg_1_a"}`,
				time.Now().UTC().Format(time.RFC3339Nano), written))
			<-tick.C
		}
	}

	collector := startCollector(t, config, env...)
	writeFor(p.before)
	loki.stop(t)
	down := time.Now()
	t.Logf("Loki stopped after %d lines", written)
	writeFor(p.down)
	collector.stop(t)
	t.Logf("collector stopped after %d lines", written)
	writeFor(p.noCollector) // written while no collector runs at all
	collector = startCollector(t, config, env...)
	t.Logf("collector started again after %d lines", written)
	writeFor(p.restarted)
	mu.Lock()
	writtenBeforeRecovery = written
	mu.Unlock()
	loki.start(t)
	mu.Lock()
	recoveredAt = time.Now()
	mu.Unlock()
	f.outage = recoveredAt.Sub(down)
	t.Logf("Loki started again after %d lines, %s down", written, f.outage.Round(time.Second))
	writeFor(p.after)
	f.written = written

	deadline := time.Now().Add(p.wait)
	for {
		n, err := loki.count(selector, from, time.Now())
		require.NoError(t, err)
		mu.Lock()
		caughtUp := f.catchUp >= 0
		mu.Unlock()
		if (n >= written && caughtUp) || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Second)
	}
	close(stopSampling)
	<-samplerDone
	if err, ok := lastSampleErr.Load().(error); ok && f.catchUp < 0 {
		t.Logf("last error counting lines in Loki: %v", err)
	}

	got := loki.queryAll(t, selector, from, time.Now().Add(time.Hour))
	seen := map[string]int{}
	for _, e := range got {
		seen[e.Line]++
	}
	for i := 0; i < written; i++ {
		if seen[fmt.Sprintf("line %06d", i)] == 0 {
			f.missing++
		}
	}
	f.stored, f.duplicated = len(got), len(got)-len(seen)
	caughtUp := "never"
	if f.catchUp >= 0 {
		caughtUp = f.catchUp.Round(time.Millisecond).String()
	}
	t.Logf("written %d, stored %d, missing %d, duplicated %d, outage %s, caught up %s after recovery, queue peak %v",
		f.written, f.stored, f.missing, f.duplicated, f.outage.Round(time.Millisecond), caughtUp, f.peakQueue)
	collector.stop(t)
	return f
}

// queryAll is query without its limit: it splits [start, end) in halves
// until each part returns fewer entries than one query may. An entry at a
// boundary is kept once (Loki itself returns an entry of the same stream,
// time and line once).
func (l *lokiProcess) queryAll(t *testing.T, logql string, start, end time.Time) []entry {
	t.Helper()
	got := l.query(t, logql, start, end)
	if len(got) < queryLimit {
		return got
	}
	require.Greater(t, end.Sub(start), time.Microsecond, "more than %d entries at one time", queryLimit)
	mid := start.Add(end.Sub(start) / 2)
	type key struct {
		labels, line string
		time         int64
	}
	seen := map[key]bool{}
	var out []entry
	for _, part := range [][]entry{l.queryAll(t, logql, start, mid), l.queryAll(t, logql, mid, end)} {
		for _, e := range part {
			k := key{labelsString(e.Labels), e.Line, e.Time}
			if !seen[k] {
				seen[k] = true
				out = append(out, e)
			}
		}
	}
	return out
}

// count is the number of entries a stream selector matches in [start, end]
// (a LogQL count_over_time instant query at end).
func (l *lokiProcess) count(selector string, start, end time.Time) (int, error) {
	rng := int64(math.Ceil(end.Sub(start).Seconds()))
	q := url.Values{
		"query": {fmt.Sprintf("sum(count_over_time(%s[%ds]))", selector, rng)},
		"time":  {strconv.FormatInt(end.UnixNano(), 10)},
	}
	resp, err := http.Get(l.url("/loki/api/v1/query?" + q.Encode()))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		data, _ := io.ReadAll(resp.Body)
		return 0, fmt.Errorf("%s: %s", resp.Status, data)
	}
	var body struct {
		Data struct {
			Result []struct {
				Value [2]json.RawMessage `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return 0, err
	}
	if len(body.Data.Result) == 0 {
		return 0, nil
	}
	var v string
	if err := json.Unmarshal(body.Data.Result[0].Value[1], &v); err != nil {
		return 0, err
	}
	return strconv.Atoi(v)
}

// scrapeGauge sums the series of one metric on a Prometheus endpoint.
func scrapeGauge(metricsURL, name string) (float64, error) {
	resp, err := http.Get(metricsURL)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	sum, found := 0.0, false
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, name+"{") && !strings.HasPrefix(line, name+" ") {
			continue
		}
		fields := strings.Fields(line)
		v, err := strconv.ParseFloat(fields[len(fields)-1], 64)
		if err != nil {
			return 0, err
		}
		sum, found = sum+v, true
	}
	if !found {
		return 0, fmt.Errorf("no %s on %s", name, metricsURL)
	}
	return sum, nil
}
