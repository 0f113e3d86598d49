package consoleinput

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/consolespool"
)

// run is a job's spool, written as the run command writes it.
type run struct {
	dir     string
	streams map[string]*consolespool.Writer
}

func newRun(t *testing.T) *run {
	r := &run{dir: t.TempDir(), streams: map[string]*consolespool.Writer{}}
	for _, s := range consolespool.Streams {
		r.streams[s] = consolespool.NewWriter(r.dir, s, 1<<20)
	}
	return r
}

func (r *run) print(stream, text string) { r.streams[stream].Write([]byte(text)) }

// end ends the job with status code, as the run command does once the
// child exited: the streams first, then exit.json.
func (r *run) end(t *testing.T, code int) {
	for _, w := range r.streams {
		require.NoError(t, w.Close())
	}
	started := time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC)
	require.NoError(t, consolespool.WriteExit(r.dir, consolespool.Exit{
		Command: "python3", Code: code, Started: started, Ended: started.Add(1500 * time.Millisecond),
	}))
}

func testConfig(spool string) Config {
	cfg := NewDefaultConfig()
	cfg.Spool = spool
	cfg.PollInterval = 5 * time.Millisecond
	return cfg
}

func startInput(t *testing.T, spool string, set input.Settings) *Input {
	t.Helper()
	in, err := New(set, testConfig(spool))
	require.NoError(t, err)
	require.NoError(t, in.Start(context.Background(), componenttest.NewNopHost()))
	return in
}

func bodies(lrs []plog.LogRecord) []string {
	var out []string
	for _, lr := range lrs {
		if lr.Body().Type() == pcommon.ValueTypeStr {
			out = append(out, lr.Body().Str())
		} else {
			m, _ := lr.Body().Map().Get("message")
			out = append(out, "json:"+m.Str())
		}
	}
	return out
}

// endRecords splits the end-of-run record from the console's.
func endRecords(sink *consumertest.LogsSink) (console, end []plog.LogRecord) {
	for _, ld := range sink.AllLogs() {
		rls := ld.ResourceLogs()
		for i := 0; i < rls.Len(); i++ {
			sls := rls.At(i).ScopeLogs()
			for j := 0; j < sls.Len(); j++ {
				lrs := sls.At(j).LogRecords()
				for k := 0; k < lrs.Len(); k++ {
					if sls.At(j).Scope().Name() == endScope {
						end = append(end, lrs.At(k))
					} else {
						console = append(console, lrs.At(k))
					}
				}
			}
		}
	}
	return console, end
}

func TestDeliversTheConsoleThenTheEndOfRun(t *testing.T) {
	r := newRun(t)
	sink := new(consumertest.LogsSink)
	set := inputtest.Settings(t, sink, nil)
	set.Resource = map[string]string{"co.capsule.id": "cap-1"}
	in := startInput(t, r.dir, set)

	r.print(consolespool.Stdout, "first\n")
	r.print(consolespool.Stderr, `{"timestamp": "2026-12-08T10:00:00Z", "level": "ERROR", "message": "json on stderr"}`+"\n")
	inputtest.WaitForCount(t, sink, 2) // delivered while the job runs
	r.print(consolespool.Stdout, "second\nno newline")
	r.end(t, 3)
	require.Eventually(t, func() bool { _, end := endRecords(sink); return len(end) == 1 }, 10*time.Second, 5*time.Millisecond,
		"the end-of-run record is delivered once the job ended, before any shutdown")
	require.NoError(t, inputtest.Shutdown(context.Background(), in, time.Second))

	console, end := endRecords(sink)
	assert.ElementsMatch(t, []string{"first", "json:json on stderr", "second", "no newline"}, bodies(console))
	for _, lr := range console {
		stream, _ := lr.Attributes().Get(AttrIOStream)
		want := consolespool.Stdout
		if lr.Body().Type() == pcommon.ValueTypeMap {
			want = consolespool.Stderr
		}
		assert.Equal(t, want, stream.Str())
	}
	require.Len(t, end, 1)
	e := end[0]
	assert.Equal(t, "python3 exited with status 3 after 1.5s", e.Body().Str())
	assert.Equal(t, plog.SeverityNumberError, e.SeverityNumber())
	assert.Equal(t, EventStageError, e.EventName())
	attrs := e.Attributes().AsRaw()
	assert.Equal(t, EventStageError, attrs[AttrEventType], "for Loki, which does not store EventName")
	assert.Equal(t, int64(3), attrs[AttrExitCode])
	assert.Equal(t, "python3", attrs[AttrCommand])
	assert.InDelta(t, 1.5, attrs[AttrDuration], 1e-9)
	assert.Equal(t, int64(1), attrs[AttrRecordsPrefix+"error"], "the JSON line's level counts")
	assert.Equal(t, int64(3), attrs[AttrRecordsPrefix+"unset"])
	assert.NotContains(t, attrs, AttrExitSignal)
	for _, ld := range sink.AllLogs() {
		v, _ := ld.ResourceLogs().At(0).Resource().Attributes().Get("co.capsule.id")
		assert.Equal(t, "cap-1", v.Str(), "every record has the run's resource")
	}

	report, ok, err := consolespool.ReadReport(r.dir)
	require.NoError(t, err)
	require.True(t, ok)
	assert.True(t, report.EndRecordDelivered)
	assert.Zero(t, report.UndeliveredLines[consolespool.Stdout]+report.UndeliveredLines[consolespool.Stderr])
	for _, s := range consolespool.Streams {
		off, err := consolespool.ReadCheckpoint(r.dir, s)
		require.NoError(t, err)
		ended, _, err := consolespool.ReadEnded(r.dir, s)
		require.NoError(t, err)
		assert.Equal(t, ended.Bytes, off, "the %s checkpoint is past everything", s)
	}
}

func TestStatusZeroIsStageComplete(t *testing.T) {
	r := newRun(t)
	sink := new(consumertest.LogsSink)
	in := startInput(t, r.dir, inputtest.Settings(t, sink, nil))
	r.end(t, 0)
	require.NoError(t, inputtest.Shutdown(context.Background(), in, 5*time.Second))
	_, end := endRecords(sink)
	require.Len(t, end, 1)
	assert.Equal(t, plog.SeverityNumberInfo, end[0].SeverityNumber())
	assert.Equal(t, EventStageComplete, end[0].EventName())
}

// A backend that stays down past the drain: the lines not delivered are
// counted, in the report and in Shutdown's error, and stay in the spool.
func TestUndeliveredLinesAreCounted(t *testing.T) {
	r := newRun(t)
	refusing := inputtest.NewRefusingConsumer(func(int) error { return errors.New("backend down") })
	in := startInput(t, r.dir, inputtest.Settings(t, refusing, nil))
	for i := range 5 {
		r.print(consolespool.Stdout, fmt.Sprintf("line %d\n", i))
	}
	r.print(consolespool.Stderr, "e1\ne2 partial")
	r.end(t, 0)
	err := inputtest.Shutdown(context.Background(), in, 300*time.Millisecond)
	require.ErrorContains(t, err, "console input: 7 lines not delivered")
	report, ok, rerr := consolespool.ReadReport(r.dir)
	require.NoError(t, rerr)
	require.True(t, ok)
	assert.Equal(t, map[string]int64{consolespool.Stdout: 5, consolespool.Stderr: 2}, report.UndeliveredLines)
	assert.False(t, report.EndRecordDelivered)
	assert.Empty(t, refusing.AllLogs())
}

// Stopped before the job ended (the collector reloads its configuration):
// the next start goes on from the checkpoint, with nothing twice.
func TestRestartGoesOnFromTheCheckpoint(t *testing.T) {
	r := newRun(t)
	sink := new(consumertest.LogsSink)
	in := startInput(t, r.dir, inputtest.Settings(t, sink, nil))
	r.print(consolespool.Stdout, "one\ntwo\n")
	inputtest.WaitForCount(t, sink, 2)
	require.NoError(t, inputtest.Shutdown(context.Background(), in, time.Second))

	r.print(consolespool.Stdout, "three\n")
	in = startInput(t, r.dir, inputtest.Settings(t, sink, nil))
	r.end(t, 0)
	require.NoError(t, inputtest.Shutdown(context.Background(), in, 5*time.Second))
	console, end := endRecords(sink)
	assert.Equal(t, []string{"one", "two", "three"}, bodies(console))
	require.Len(t, end, 1)

	// Started once more after the end, it sends nothing again.
	in = startInput(t, r.dir, inputtest.Settings(t, sink, nil))
	require.NoError(t, inputtest.Shutdown(context.Background(), in, 5*time.Second))
	console, end = endRecords(sink)
	assert.Len(t, console, 3)
	assert.Len(t, end, 1)
}

func TestShutdownWithoutStart(t *testing.T) {
	in, err := New(inputtest.Settings(t, consumertest.NewNop(), nil), testConfig(t.TempDir()))
	require.NoError(t, err)
	require.NoError(t, inputtest.Shutdown(context.Background(), in, time.Second))
}

func TestManyLinesInBatches(t *testing.T) {
	r := newRun(t)
	sink := new(consumertest.LogsSink)
	in := startInput(t, r.dir, inputtest.Settings(t, sink, nil))
	var b strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	r.print(consolespool.Stdout, b.String())
	r.end(t, 0)
	require.NoError(t, inputtest.Shutdown(context.Background(), in, 10*time.Second))
	console, _ := endRecords(sink)
	got := bodies(console)
	require.Len(t, got, 5000)
	for i, body := range got {
		require.Equal(t, fmt.Sprintf("line %d", i), body, "in order")
	}
}

// Loki keeps one of two entries with the same time and text: the same
// line printed twice must arrive as two records with different times, in
// the stream's order, across batches too.
func TestRepeatedLinesHaveIncreasingTimes(t *testing.T) {
	r := newRun(t)
	sink := new(consumertest.LogsSink)
	in := startInput(t, r.dir, inputtest.Settings(t, sink, nil))
	r.print(consolespool.Stdout, strings.Repeat("same\n", 3000))
	inputtest.WaitForCount(t, sink, 3000)
	r.print(consolespool.Stdout, strings.Repeat("same\n", 10))
	r.end(t, 0)
	require.NoError(t, inputtest.Shutdown(context.Background(), in, 5*time.Second))
	console, _ := endRecords(sink)
	require.Len(t, console, 3010)
	for i := 1; i < len(console); i++ {
		require.Greater(t, console[i].ObservedTimestamp(), console[i-1].ObservedTimestamp(), "record %d", i)
	}
}
