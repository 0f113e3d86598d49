//go:build integration && reliability

package integration

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
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

// sinkEnv is the environment config/capsule-agent.yaml needs, pointed at an
// OTLP sink instead of Loki. The same environment serves every restart.
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

// copySorter stands in front of an otlpSink and sorts the copies of each
// record: a copy identical to the first (same body, timestamp, observed
// timestamp and attributes) is what Loki can drop as a duplicate entry; a
// copy that differs (a line read again after a crash gets a new observed
// timestamp, which Loki stores as structured metadata) is not.
type copySorter struct {
	sink *otlpSink
	addr string

	mu        sync.Mutex
	first     map[string][2]string // body -> identity of its first copy, with and without observed timestamp
	identical int
	differing int
	// differing copies equal to the first but for the observed timestamp
	onlyObserved int
}

func startCopySorter(t *testing.T, sink *otlpSink) *copySorter {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	c := &copySorter{sink: sink, addr: ln.Addr().String(), first: map[string][2]string{}}
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
	// The sink answers and counts; only what it accepts is sorted here.
	r.Body = io.NopCloser(bytes.NewReader(raw))
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	c.sink.handle(rec, r)
	if rec.status != http.StatusOK {
		return
	}
	data := raw
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return
		}
		if data, err = io.ReadAll(zr); err != nil {
			return
		}
	}
	req := plogotlp.NewExportRequest()
	if req.UnmarshalProto(data) != nil {
		return
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
// the shipped capsule agent config (file_storage checkpoints, persistent
// sending queue), is killed with SIGKILL at random moments and restarted.
// No line may be lost; duplicates (at-least-once) are counted.
func TestReliabilityCrash(t *testing.T) {
	const scenario = "crash (SIGKILL)"
	var (
		total    = scaled(1_000_000, 50_000)
		kills    = scaled(20, 3)
		duration = scaled(75*time.Second, 10*time.Second) // writing time
		files    = 4
	)
	sink := startSink(t)
	sorter := startCopySorter(t, sink)
	logDir, storageDir := t.TempDir(), t.TempDir()
	env := sinkEnv(t, sorter.url(), logDir, storageDir)
	config := filepath.Join("..", "config", "capsule-agent.yaml")

	// Producers: each file gets total/files lines, written in batches of
	// 500 at a steady rate over duration.
	written := make([]string, 0, total)
	var writtenMu sync.Mutex
	perFile := total / files
	const batch = 500
	interval := duration / time.Duration(perFile/batch)
	var producers sync.WaitGroup
	begin := time.Now()
	for f := 0; f < files; f++ {
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
	window := duration + duration/5
	moments := make([]time.Duration, kills)
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
		t.Logf("kill %d/%d at %.1f s, %d records at the sink so far", i+1, kills, time.Since(begin).Seconds(), sink.received())
		col = startCollector(t, config, env...)
	}
	producers.Wait()
	writeTime := time.Since(begin)

	writtenMu.Lock()
	defer writtenMu.Unlock()
	sink.waitForAll(written, scaled(5*time.Minute, 2*time.Minute))
	deliveredAfter := time.Since(begin)
	// Copies of the last batches can still be on their way: let them come.
	time.Sleep(3 * time.Second)
	missing, duplicated := sink.counts(written)
	col.stop(t)

	recordFigure(t, scenario, "lines written", len(written))
	recordFigure(t, scenario, "SIGKILLs", kills)
	recordFigure(t, scenario, "writing time (s)", fmt.Sprintf("%.1f", writeTime.Seconds()))
	recordFigure(t, scenario, "all delivered after (s)", fmt.Sprintf("%.1f", deliveredAfter.Seconds()))
	recordFigure(t, scenario, "lost lines", missing)
	recordFigure(t, scenario, "duplicated lines at the sink", duplicated)
	identical, differing, onlyObserved := sorter.copies()
	recordFigure(t, scenario, "duplicates identical to the first copy (queue resend; Loki returns once)", identical)
	recordFigure(t, scenario, "duplicates that differ from the first copy (read again; Loki keeps both)", differing)
	recordFigure(t, scenario, "of which differ only in the observed timestamp", onlyObserved)
	recordFigure(t, scenario, "duplicates per kill", fmt.Sprintf("%.0f", float64(duplicated)/float64(kills)))
	recordFigure(t, scenario, "records received", sink.received())
	assert.Equal(t, total, len(written), "lines written")
	assert.Zero(t, missing, "lines lost across %d SIGKILLs", kills)
}

// What Loki (build/loki, the version of tools/loki) makes of the copies a
// crash produces: the same record pushed again, identical (a resend from
// the sending queue) or with a new observed_timestamp (a line read again
// after a crash); and an identical copy that arrives after the original
// left the stream's in-memory head block (chunk_block_size, 256 KiB).
func TestReliabilityCrashLokiDedup(t *testing.T) {
	const scenario = "crash: Loki's duplicate handling"
	loki := startLoki(t)
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
