//go:build integration && reliability

package integration

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
)

// kill ends the collector with SIGKILL (no shutdown: no last checkpoint, no
// queue flush) and waits until it is gone.
func (c *collectorProcess) kill(t *testing.T) {
	t.Helper()
	require.NoError(t, c.cmd.Process.Signal(syscall.SIGKILL))
	select {
	case <-c.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("collector did not exit within 30 s of SIGKILL")
	}
}

// sinkEnv is the environment the agent configs (capsule-agent.yaml,
// capsule-run.yaml) need, pointed at an OTLP sink instead of Loki. The same
// environment serves every restart.
func sinkEnv(t *testing.T, endpoint, logDir, storageDir string) []string {
	return []string{
		"LOKI_OTLP_ENDPOINT=" + endpoint,
		"AIND_LOG_DIR=" + logDir,
		"AIND_STORAGE_DIR=" + storageDir,
		"AIND_SERVICE_NAME=reliability",
		"AIND_HEALTH_ENDPOINT=127.0.0.1:" + itoa(freePort(t)),
		"AIND_TELEMETRY_HOST=127.0.0.1",
		"AIND_TELEMETRY_PORT=" + itoa(freePort(t)),
		"CO_CAPSULE_ID=reliability",
		"CO_COMPUTATION_ID=run-1",
	}
}

// copySorter stands in front of a backend (an otlpSink, or a real Loki)
// and sorts the copies of each record the backend accepted: a copy
// identical to the first (same body, timestamp, observed timestamp and
// attributes) is what Loki can drop as a duplicate entry; a copy that
// differs (a line read again with a new observed timestamp, which Loki
// stores as structured metadata) is not. counter counts what the backend
// accepted: the sink itself, or a sink that only counts.
type copySorter struct {
	backend http.Handler
	counter *otlpSink
	addr    string

	mu        sync.Mutex
	first     map[string][2]string // body -> identity of its first copy, with and without observed timestamp
	identical int
	differing int
	// differing copies equal to the first but for the observed timestamp
	onlyObserved int
}

// startCopySorter sorts what sink accepts, or, with backend set, what
// backend accepts (counted in sink, which then only counts).
func startCopySorter(t *testing.T, sink *otlpSink, backend http.Handler) *copySorter {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	c := &copySorter{backend: backend, counter: sink, addr: ln.Addr().String(), first: map[string][2]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/otlp/v1/logs", c.handle)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return c
}

func (c *copySorter) url() string { return "http://" + c.addr + "/otlp" }

func (c *copySorter) handle(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	// The backend answers; only what it accepts is counted and sorted.
	r.Body = io.NopCloser(bytes.NewReader(raw))
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	if c.backend == nil {
		c.counter.handle(rec, r) // counts too
	} else {
		c.backend.ServeHTTP(rec, r)
	}
	if rec.status >= http.StatusMultipleChoices {
		return
	}
	data, err := decompressedBody(r.Header.Get("Content-Encoding"), bytes.NewReader(raw))
	if err != nil {
		return
	}
	req := plogotlp.NewExportRequest()
	if req.UnmarshalProto(data) != nil {
		return
	}
	if c.backend != nil {
		c.counter.add(req.Logs())
	}
	c.sort(req.Logs())
}

func (c *copySorter) sort(ld plog.Logs) {
	c.mu.Lock()
	defer c.mu.Unlock()
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		res := fmt.Sprint(rls.At(i).Resource().Attributes().AsRaw())
		sls := rls.At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				lr := lrs.At(k)
				body := lr.Body().AsString()
				rest := fmt.Sprint(res, lr.Timestamp(), lr.Attributes().AsRaw())
				id := [2]string{fmt.Sprint(lr.ObservedTimestamp(), rest), rest}
				switch first, seen := c.first[body]; {
				case !seen:
					c.first[body] = id
				case first == id:
					c.identical++
				default:
					c.differing++
					if first[1] == id[1] {
						c.onlyObserved++
					}
				}
			}
		}
	}
}

func (c *copySorter) copies() (identical, differing, onlyObserved int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.identical, c.differing, c.onlyObserved
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// reliabilityLine is one AIND JSON line whose message (the record body at
// the sink) is msg, unique per line.
func reliabilityLine(msg string, ts time.Time) string {
	return fmt.Sprintf(`{"timestamp":"%s","level":"INFO","message":"%s","software_name":"reliability","rig_id":"rig_1","subject_id":"123456","name":"reliability.producer"}`,
		ts.UTC().Format("2006-01-02T15:04:05.000000Z"), msg)
}

// Scenario 1: files are written at a steady rate while the collector, with
// the shipped agent config for long-running machines (checkpoints after
// every accepted batch in file_storage, delivery acknowledged end to end),
// is killed with SIGKILL at random moments and restarted. No line may be
// lost; duplicates (at-least-once) must stay under 1 % and be identical.
func TestReliabilityCrash(t *testing.T) {
	const scenario = "crash (SIGKILL)"
	sink := startSink(t)
	sorter := startCopySorter(t, sink, nil)
	plan := crashPlan{
		lines:    scaled(1_000_000, 50_000),
		kills:    scaled(20, 3),
		duration: scaled(75*time.Second, 10*time.Second),
		files:    4,
	}
	c := runCrashes(t, sorter, plan)
	missing, duplicated := sink.counts(c.written)
	identical, differing, onlyObserved := sorter.copies()
	recordFigure(t, scenario, "lines written", len(c.written))
	recordFigure(t, scenario, "SIGKILLs", c.kills)
	recordFigure(t, scenario, "writing time (s)", fmt.Sprintf("%.1f", c.writeTime.Seconds()))
	recordFigure(t, scenario, "all delivered after (s)", fmt.Sprintf("%.1f", c.deliveredAfter.Seconds()))
	recordFigure(t, scenario, "lost lines", missing)
	recordFigure(t, scenario, "duplicated lines at the sink", duplicated)
	recordFigure(t, scenario, "duplicates, % of lines written", fmt.Sprintf("%.3f", 100*float64(duplicated)/float64(len(c.written))))
	recordFigure(t, scenario, "duplicates per kill", fmt.Sprintf("%.0f", float64(duplicated)/float64(c.kills)))
	recordFigure(t, scenario, "duplicates identical to the first copy (Loki keeps one)", identical)
	recordFigure(t, scenario, "duplicates that differ from the first copy (Loki keeps both)", differing)
	recordFigure(t, scenario, "of which differ only in the observed timestamp", onlyObserved)
	recordFigure(t, scenario, "records received", sink.received())
	assert.Zero(t, missing, "lines lost across %d SIGKILLs", c.kills)
	// A crash re-sends at most the batches in flight (checkpoints after
	// every accepted batch): per file, the batches being delivered (the
	// receiver's max_batches_in_flight) and those accepted in the
	// journal's last 10 ms, whose checkpoint may not be written yet (at
	// this test's rate, less than one batch per file).
	assert.LessOrEqual(t, duplicated, c.kills*plan.files*(batchesInFlight+1)*fileconsumerBatch, "more than the batches in flight sent again")
	if !short() {
		assert.LessOrEqual(t, float64(duplicated), 0.01*float64(len(c.written)), "duplicates above 1 %% of the lines written")
	}
	// A line read twice is exported identically.
	assert.Zero(t, differing, "a line read again must be exported identically, so that Loki keeps one copy")
}

// fileconsumerBatch is how many lines fileconsumer hands over at a time.
const fileconsumerBatch = 100

// batchesInFlight is the receiver's max_batches_in_flight in the shipped
// configs (its default): the batches of a file in delivery at once.
const batchesInFlight = 4

// crashPlan is a crash scenario: lines written at a steady rate into files
// over duration, while the agent is SIGKILLed kills times at random moments
// and restarted at once.
type crashPlan struct {
	lines, kills, files int
	duration            time.Duration
}

// crashRun is what runCrashes did.
type crashRun struct {
	written                   []string
	kills                     int
	writeTime, deliveredAfter time.Duration
}

// runCrashes runs plan against the agent (config/capsule-agent.yaml), which
// exports to the sorter, and returns once the sorter's counter holds every
// line written (or it gave up waiting) and the agent is stopped.
func runCrashes(t *testing.T, sorter *copySorter, plan crashPlan) crashRun {
	t.Helper()
	logDir, storageDir := t.TempDir(), t.TempDir()
	env := sinkEnv(t, sorter.url(), logDir, storageDir)
	config := filepath.Join("..", "config", "capsule-agent.yaml")

	// Producers: each file gets lines/files lines, written in batches of
	// 500 at a steady rate over duration.
	written := make([]string, 0, plan.lines)
	var writtenMu sync.Mutex
	perFile := plan.lines / plan.files
	const batch = 500
	interval := plan.duration / time.Duration(perFile/batch)
	var producers sync.WaitGroup
	begin := time.Now()
	for f := 0; f < plan.files; f++ {
		out, err := os.OpenFile(filepath.Join(logDir, fmt.Sprintf("capsule-%d.jsonl", f)), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		require.NoError(t, err)
		t.Cleanup(func() { out.Close() })
		producers.Add(1)
		go func() {
			defer producers.Done()
			ticker := time.NewTicker(interval)
			defer ticker.Stop()
			buf := make([]byte, 0, batch*200)
			msgs := make([]string, 0, batch)
			for i := 0; i < perFile; i += batch {
				buf, msgs = buf[:0], msgs[:0]
				for j := i; j < i+batch && j < perFile; j++ {
					msg := fmt.Sprintf("f%d-%07d", f, j)
					msgs = append(msgs, msg)
					buf = append(buf, reliabilityLine(msg, time.Now())...)
					buf = append(buf, '\n')
				}
				if _, err := out.Write(buf); err != nil {
					t.Errorf("write: %v", err)
					return
				}
				writtenMu.Lock()
				written = append(written, msgs...)
				writtenMu.Unlock()
				<-ticker.C
			}
		}()
	}

	// Kill moments: uniformly random over the writing time and a little
	// beyond (the backlog is still being read then).
	window := plan.duration + plan.duration/5
	moments := make([]time.Duration, plan.kills)
	for i := range moments {
		moments[i] = time.Duration(rand.Int64N(int64(window)))
	}
	slices.Sort(moments)

	col := startCollector(t, config, env...)
	for i, m := range moments {
		if d := time.Until(begin.Add(m)); d > 0 {
			time.Sleep(d)
		}
		col.kill(t)
		t.Logf("kill %d/%d at %.1f s, %d records delivered so far", i+1, plan.kills, time.Since(begin).Seconds(), sorter.counter.received())
		col = startCollector(t, config, env...)
	}
	producers.Wait()
	run := crashRun{kills: plan.kills, writeTime: time.Since(begin)}

	writtenMu.Lock()
	run.written = written
	writtenMu.Unlock()
	sorter.counter.waitForAll(run.written, scaled(5*time.Minute, 2*time.Minute))
	run.deliveredAfter = time.Since(begin)
	// Copies of the last batches can still be on their way: let them come.
	time.Sleep(3 * time.Second)
	col.stop(t)
	return run
}

// The crash scenario into a real Loki (build/loki): Loki must return no
// more entries than lines written. The agent re-sends only the batches in
// flight at a kill, identically, and Loki drops or merges identical copies
// (see lokiKeepsOneOfIdenticalCopies for its rules).
func TestReliabilityCrashLokiDedup(t *testing.T) {
	const scenario = "crash (SIGKILL) into Loki"
	loki := startLoki(t)
	t.Run("Loki's rules for copies", func(t *testing.T) { lokiKeepsOneOfIdenticalCopies(t, loki) })

	lokiURL, err := url.Parse(loki.url(""))
	require.NoError(t, err)
	counter := startSink(t)
	sorter := startCopySorter(t, counter, httputil.NewSingleHostReverseProxy(lokiURL))
	from := time.Now().Add(-time.Minute)
	c := runCrashes(t, sorter, crashPlan{
		lines:    scaled(200_000, 20_000),
		kills:    scaled(10, 2),
		duration: scaled(30*time.Second, 8*time.Second),
		files:    2,
	})
	missingSent, sentTwice := counter.counts(c.written)
	identical, differing, _ := sorter.copies()

	// Every line Loki returns, counted by line (the records' bodies are
	// unique per line written).
	const selector = `{service_name="reliability"}`
	to := time.Now().Add(time.Minute)
	var entries []entry
	require.Eventually(t, func() bool {
		entries = loki.queryAll(t, selector, from, to)
		return len(entries) >= len(c.written)-missingSent
	}, 2*time.Minute, time.Second, "Loki did not return every line delivered to it")
	perLine := map[string]int{}
	for _, e := range entries {
		perLine[e.Line]++
	}
	missing, more := 0, 0
	for _, line := range c.written {
		switch n := perLine[line]; {
		case n == 0:
			missing++
		case n > 1:
			more += n - 1
		}
	}
	stored, err := loki.count(selector, from, to)
	require.NoError(t, err)

	recordFigure(t, scenario, "lines written / SIGKILLs", fmt.Sprintf("%d / %d", len(c.written), c.kills))
	recordFigure(t, scenario, "records sent twice by the agent (identical / differing)", fmt.Sprintf("%d (%d / %d)", sentTwice, identical, differing))
	recordFigure(t, scenario, "entries a query returns", len(entries))
	recordFigure(t, scenario, "lines missing / returned more than once", fmt.Sprintf("%d / %d", missing, more))
	recordFigure(t, scenario, "entries count_over_time counts (what Loki stored)", stored)
	assert.Zero(t, missing, "lines missing in Loki")
	assert.LessOrEqual(t, len(entries), len(c.written), "Loki returns more entries than lines written")
	assert.Zero(t, differing, "a line read again must be exported identically")
}

// lokiKeepsOneOfIdenticalCopies checks what Loki makes of the copies a
// crash could produce: the same record pushed again, identical, or with a
// new observed_timestamp (as a line read again would have if its observed
// timestamp were the time it was read; the aind processor sets it to the
// line's own timestamp); and an identical copy that arrives after the
// original left the stream's in-memory head block (chunk_block_size,
// 256 KiB).
func lokiKeepsOneOfIdenticalCopies(t *testing.T, loki *lokiProcess) {
	const scenario = "crash: Loki's duplicate handling"
	base := time.Now().Add(-time.Minute).Truncate(time.Microsecond)
	push := func(records ...plog.LogRecord) {
		t.Helper()
		ld := plog.NewLogs()
		rl := ld.ResourceLogs().AppendEmpty()
		rl.Resource().Attributes().PutStr("service.name", "dedup")
		lrs := rl.ScopeLogs().AppendEmpty().LogRecords()
		for _, r := range records {
			r.CopyTo(lrs.AppendEmpty())
		}
		body, err := plogotlp.NewExportRequestFromLogs(ld).MarshalProto()
		require.NoError(t, err)
		resp, err := http.Post(loki.url("/otlp/v1/logs"), "application/x-protobuf", bytes.NewReader(body))
		require.NoError(t, err)
		resp.Body.Close()
		require.Less(t, resp.StatusCode, 300)
	}
	record := func(line string, ts time.Time, observed time.Time) plog.LogRecord {
		r := plog.NewLogRecord()
		r.Body().SetStr(line)
		r.SetTimestamp(pcommon.NewTimestampFromTime(ts))
		r.SetObservedTimestamp(pcommon.NewTimestampFromTime(observed))
		r.Attributes().PutStr("log.file.name", "capsule.jsonl")
		return r
	}
	obs := time.Now()
	identical := record("identical", base.Add(1*time.Millisecond), obs)
	reread := record("read-again", base.Add(2*time.Millisecond), obs)
	late := record("identical-late", base.Add(3*time.Millisecond), obs)
	push(identical, reread, late)
	push(identical)                                                                // queue resend
	push(record("read-again", base.Add(2*time.Millisecond), obs.Add(time.Second))) // new observed_timestamp
	// More than a head block of other lines, then the late copy.
	filler := make([]plog.LogRecord, 0, 1000)
	pad := strings.Repeat("x", 400)
	for i := 0; i < 1000; i++ {
		filler = append(filler, record(fmt.Sprintf("filler-%04d %s", i, pad), base.Add(time.Second+time.Duration(i)*time.Microsecond), obs))
	}
	push(filler...)
	push(late)

	from, to := base.Add(-time.Hour), time.Now().Add(time.Hour)
	got := loki.waitForEntries(t, `{service_name="dedup"} !~ "filler"`, from, to, 6, 10*time.Second)
	count := map[string]int{}
	for _, e := range got {
		count[e.Line]++
	}
	recordFigure(t, scenario, "entries a query returns for a record pushed twice, identical", count["identical"])
	recordFigure(t, scenario, "entries a query returns for a record pushed twice, new observed_timestamp", count["read-again"])
	recordFigure(t, scenario, "entries a query returns for an identical copy pushed after 400 KB of other lines (past the head block)", count["identical-late"])
	assert.Equal(t, 1, count["identical"], "an identical copy is dropped")
	assert.Equal(t, 2, count["read-again"], "a copy with other structured metadata is kept")
	// Stored twice (the original was cut from the head block), but merged
	// by the query's iterator, which drops same-timestamp same-line
	// entries of the same labels and structured metadata.
	assert.Equal(t, 1, count["identical-late"], "a late identical copy is returned once")
}
