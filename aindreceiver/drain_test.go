package aindreceiver

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/extension/xextension/storage"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
)

// Lines written just before the shutdown are delivered: the drain waits for
// a poll that started after Shutdown was called. With the poll interval
// this test uses, a receiver that stopped at once would miss them.
func TestDrainDeliversLinesWrittenBeforeShutdown(t *testing.T) {
	for _, partial := range []bool{false, true} {
		t.Run(map[bool]string{false: "whole lines", true: "a last line without newline"}[partial], func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "app.log")
			cfg := testConfig(dir)
			cfg.PollInterval = 300 * time.Millisecond
			cfg.DrainTimeout = inputtest.WaitFor
			sink := new(consumertest.LogsSink)
			writeLines(t, path, inputtest.AindLine("first"))
			r := startReceiver(t, cfg, sink, nil, nil)
			inputtest.WaitForMessage(t, sink, "first")

			last := inputtest.Numbered("last", 0, 1000)
			writeLines(t, path, inputtest.AindLines(last)...)
			want := append([]string{"first"}, last...)
			if partial {
				writeRaw(t, path, inputtest.AindLine("unterminated"))
				want = append(want, "unterminated")
			}
			require.NoError(t, r.Shutdown(context.Background()))
			inputtest.RequireExactlyOnce(t, inputtest.Messages(sink), want)
		})
	}
}

// A writer that keeps appending does not hold the drain until its
// deadline (Shutdown would return an error): what was written before
// Shutdown is delivered, although fileconsumer's read never reaches the
// file's end.
func TestDrainWithAWriterStillWriting(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	cfg := testConfig(dir)
	cfg.DrainTimeout = inputtest.WaitFor
	sink := new(consumertest.LogsSink)
	r := startReceiver(t, cfg, sink, nil, nil)

	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	require.NoError(t, err)
	defer f.Close()
	var (
		mu      sync.Mutex
		written int
		stop    = make(chan struct{})
		done    = make(chan struct{})
	)
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := f.WriteString(inputtest.AindLine(fmt.Sprintf("line-%07d", i)) + "\n"); err != nil {
				return
			}
			mu.Lock()
			written = i + 1
			mu.Unlock()
		}
	}()
	require.Eventually(t, func() bool { return sink.LogRecordCount() > 5000 }, inputtest.WaitFor, inputtest.Tick)
	mu.Lock()
	before := written
	mu.Unlock()
	require.NoError(t, r.Shutdown(context.Background()), "the drain ran out of time")
	close(stop)
	<-done

	got := map[string]bool{}
	for _, m := range inputtest.Messages(sink) {
		got[m] = true
	}
	for i := 0; i < before; i++ {
		require.True(t, got[fmt.Sprintf("line-%07d", i)], "line %d, written before Shutdown, was not delivered", i)
	}
}

// When the drain runs out of time, Shutdown says how many lines were not
// delivered, and their checkpoints stay where they begin: a receiver
// started again on the same storage delivers exactly them.
func TestDrainDeadline(t *testing.T) {
	b := newBacklog(t, 230)
	cfg := b.config()
	cfg.DrainTimeout = 300 * time.Millisecond
	stalling := &inputtest.HoldingConsumer{Accepts: inputtest.Below(100)} // the first batch of fileconsumer's 100 lines
	r := startReceiver(t, cfg, stalling, b.host, nil)
	require.Eventually(t, func() bool { return stalling.Calls.Load() >= 2 }, inputtest.WaitFor, inputtest.Tick)
	err := r.Shutdown(context.Background())
	require.EqualError(t, err, "drain: 130 lines of 1 files not delivered within 300ms; their checkpoints stay where they begin")
	require.Equal(t, 100, stalling.LogRecordCount())

	sink := b.restart(t, 130)
	inputtest.RequireExactlyOnce(t, inputtest.Messages(sink), append(b.lines[100:], "sentinel"))
}

// freezingClient is a storage client that can stop writing, as a process
// killed at that moment: everything written before stays, nothing after.
type freezingClient struct {
	storage.Client
	mu      sync.Mutex
	frozen  bool
	writing int
	last    time.Time
}

func (c *freezingClient) write(ctx context.Context, ops ...*storage.Operation) error {
	c.mu.Lock()
	if c.frozen {
		c.mu.Unlock()
		return nil
	}
	c.writing++
	c.mu.Unlock()
	err := c.Client.Batch(ctx, ops...)
	c.mu.Lock()
	c.writing--
	c.last = time.Now()
	c.mu.Unlock()
	return err
}

func (c *freezingClient) Set(ctx context.Context, key string, value []byte) error {
	return c.write(ctx, storage.SetOperation(key, value))
}

func (c *freezingClient) Delete(ctx context.Context, key string) error {
	return c.write(ctx, storage.DeleteOperation(key))
}

func (c *freezingClient) Batch(ctx context.Context, ops ...*storage.Operation) error {
	for _, op := range ops {
		if op.Type != storage.Get {
			return c.write(ctx, ops...)
		}
	}
	return c.Client.Batch(ctx, ops...)
}

// freezable is a startReceiver option: the receiver's storage client is
// a freezingClient, stored in client.
func freezable(client **freezingClient) func(*aindReceiver) {
	return func(r *aindReceiver) {
		r.wrapStorage = func(c storage.Client) storage.Client {
			*client = &freezingClient{Client: c}
			return *client
		}
	}
}

// freezeWhenIdle freezes the client once it has written, and neither a
// write nor since (when the last batch that counts was accepted) is
// recent: the journal writer writes within its interval of an accepted
// batch, so the checkpoints of the batches accepted by since are written.
func (c *freezingClient) freezeWhenIdle(t *testing.T, since time.Time) {
	t.Helper()
	require.Eventually(t, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		idle := 50 * time.Millisecond
		if c.writing == 0 && !c.last.IsZero() && time.Since(c.last) > idle && time.Since(since) > idle {
			c.frozen = true
		}
		return c.frozen
	}, inputtest.WaitFor, inputtest.Tick)
}

// A crash while reading a long backlog re-sends at most the batches in
// flight: the checkpoint follows every accepted batch, not only the end of
// fileconsumer's poll (which, reading the whole backlog, would come only
// after it).
func TestCrashReadsAgainAtMostABatch(t *testing.T) {
	b := newBacklog(t, 2000)
	stalling := &inputtest.HoldingConsumer{Accepts: inputtest.Below(700)}
	var client *freezingClient
	r := startReceiver(t, b.config(), stalling, b.host, nil, freezable(&client))
	inputtest.WaitForCount(t, &stalling.LogsSink, 700)
	client.freezeWhenIdle(t, time.Now())
	require.NoError(t, r.Shutdown(context.Background()))

	sink := b.restart(t, 1300)
	inputtest.RequireExactlyOnce(t, inputtest.Messages(sink), append(b.lines[700:], "sentinel"))
}

// The count of lines not delivered is taken from the files: whole lines
// and a last one without its newline.
func TestLinesAfter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.log")
	require.NoError(t, os.WriteFile(path, []byte("one\ntwo\nthree\nfour"), 0o600))
	for offset, want := range map[int64]int64{0: 4, 4: 3, 14: 1, 18: 0} {
		got, err := linesAfter(path, offset)
		require.NoError(t, err)
		assert.Equal(t, want, got, "from offset %d", offset)
	}
	_, err := linesAfter(filepath.Join(t.TempDir(), "gone.log"), 0)
	assert.Error(t, err)
}

// fakeQueues is a drain_storage whose backlog the test sets.
type fakeQueues struct {
	component.StartFunc
	component.ShutdownFunc
	requests, records atomic.Int64
}

func (q *fakeQueues) QueueBacklog() (int64, int64) { return q.requests.Load(), q.records.Load() }

// The drain waits for the persistent sending queues kept in a
// drain_storage to be empty, and reports what they hold when it runs out of
// time.
func TestDrainWaitsForSendingQueues(t *testing.T) {
	for _, emptied := range []bool{true, false} {
		t.Run(map[bool]string{true: "emptied", false: "past the deadline"}[emptied], func(t *testing.T) {
			queues := &fakeQueues{}
			queues.requests.Store(2)
			queues.records.Store(150)
			h := inputtest.NewHost(map[component.ID]component.Component{
				component.MustNewID("drain_storage"): queues,
			})
			// An input to drain: HTTP, which has nothing in progress.
			cfg := createDefaultConfig().(*Config)
			cfg.HTTP.GetOrInsertDefault().ServerConfig.NetAddr.Endpoint = "127.0.0.1:0"
			cfg.DrainTimeout = 300 * time.Millisecond
			if emptied {
				cfg.DrainTimeout = inputtest.WaitFor
			}
			r := startReceiver(t, cfg, consumertest.NewNop(), h, nil)
			stopped := make(chan error, 1)
			go func() { stopped <- r.Shutdown(context.Background()) }()
			if !emptied {
				require.EqualError(t, <-stopped, "drain: 150 records still in the persistent sending queue after 300ms")
				return
			}
			select {
			case err := <-stopped:
				t.Fatalf("Shutdown returned with records in the queue: %v", err)
			case <-time.After(100 * time.Millisecond):
			}
			queues.requests.Store(0)
			queues.records.Store(0)
			require.NoError(t, <-stopped)
		})
	}
}
