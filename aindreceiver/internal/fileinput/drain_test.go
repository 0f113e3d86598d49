package fileinput

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/extension/xextension/storage"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
)

// Lines written just before the shutdown are delivered: the drain waits for
// a poll that started after Shutdown was called. With the poll interval
// this test uses, an input that stopped at once would miss them.
func TestDrainDeliversLinesWrittenBeforeShutdown(t *testing.T) {
	for _, partial := range []bool{false, true} {
		t.Run(map[bool]string{false: "whole lines", true: "a last line without newline"}[partial], func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "app.log")
			cfg := testConfig(dir)
			cfg.PollInterval = 300 * time.Millisecond
			sink := new(consumertest.LogsSink)
			set := testSettings(t, sink, nil)
			set.DrainTimeout = inputtest.WaitFor
			writeLines(t, path, inputtest.AindLine("first"))
			in := startInput(t, cfg, set, nil)
			inputtest.WaitForMessage(t, sink, "first")

			last := inputtest.Numbered("last", 0, 1000)
			writeLines(t, path, inputtest.AindLines(last)...)
			want := append([]string{"first"}, last...)
			if partial {
				writeRaw(t, path, inputtest.AindLine("unterminated"))
				want = append(want, "unterminated")
			}
			require.NoError(t, shutdown(in))
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
	sink := new(consumertest.LogsSink)
	set := testSettings(t, sink, nil)
	set.DrainTimeout = inputtest.WaitFor
	in := startInput(t, testConfig(dir), set, nil)

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
	require.NoError(t, shutdown(in), "the drain ran out of time")
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
// delivered, and their checkpoints stay where they begin: an input
// started again on the same storage delivers exactly them.
func TestDrainDeadline(t *testing.T) {
	b := newBacklog(t, 230)
	stalling := &inputtest.HoldingConsumer{Accepts: below(100)} // the first batch of fileconsumer's 100 lines
	set := testSettings(t, stalling, nil)
	set.DrainTimeout = 300 * time.Millisecond
	in := startInput(t, b.config(), set, b.host)
	require.Eventually(t, func() bool { return stalling.Calls.Load() >= 2 }, inputtest.WaitFor, inputtest.Tick)
	err := shutdown(in)
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

// freezable is a startInput option: the input's storage client is a
// freezingClient, stored in client.
func freezable(client **freezingClient) func(*Input) {
	return func(in *Input) {
		in.wrapStorage = func(c storage.Client) storage.Client {
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
	stalling := &inputtest.HoldingConsumer{Accepts: below(700)}
	var client *freezingClient
	in := startInput(t, b.config(), testSettings(t, stalling, nil), b.host, freezable(&client))
	inputtest.WaitForCount(t, &stalling.LogsSink, 700)
	client.freezeWhenIdle(t, time.Now())
	require.NoError(t, shutdown(in))

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
