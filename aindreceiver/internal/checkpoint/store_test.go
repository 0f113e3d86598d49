package checkpoint

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.uber.org/zap"
)

// crashRun is a receiver-like emit over a real fileconsumer: it accepts
// batches (and checkpoints them through the store) until it has accepted
// accept of them, then accepts nothing more, as a process killed at that
// moment.
type crashRun struct {
	store  *Store
	accept int

	mu       sync.Mutex
	accepted int
	end      Position
	crashed  chan struct{}
	once     sync.Once
}

func (c *crashRun) emit(ctx context.Context, tokens [][]byte, attrs map[string]any, lastRecordNumber int64, offsets []int64) error {
	id := FileID(attrs)
	c.mu.Lock()
	done := c.accepted >= c.accept
	c.mu.Unlock()
	if done {
		c.once.Do(func() { close(c.crashed) })
		<-ctx.Done()
		return ctx.Err()
	}
	end := Position{Offset: offsets[len(tokens)], RecordNum: lastRecordNumber}
	var first []byte
	if offsets[0] == 0 {
		first = FirstBytes(tokens, offsets, 1000)
	}
	c.store.Advance(id, end, first, attrs)
	c.mu.Lock()
	c.accepted++
	c.end = end
	c.mu.Unlock()
	return nil
}

// journalReaches waits until the journal in client holds pos for one file.
func journalReaches(t *testing.T, client *memClient, pos Position) {
	t.Helper()
	require.Eventually(t, func() bool {
		j, err := decodeJournal(client.get(JournalKey))
		if err != nil {
			return false
		}
		for _, e := range j {
			if e.pos == pos {
				return true
			}
		}
		return false
	}, waitFor, time.Millisecond, "the journal never held the last accepted batch")
}

// collector is an emit that accepts everything and keeps the line numbers.
type collector struct {
	mu    sync.Mutex
	lines []int
}

func (c *collector) emit(t *testing.T) func(context.Context, [][]byte, map[string]any, int64, []int64) error {
	return func(_ context.Context, tokens [][]byte, attrs map[string]any, _ int64, _ []int64) error {
		FileID(attrs)
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, tok := range tokens {
			c.lines = append(c.lines, lineNumber(t, tok))
		}
		return nil
	}
}

func (c *collector) got() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.lines)
}

// A crash in the middle of a poll that reads a long backlog: a restarted
// fileconsumer resumes right after the last batch the pipeline accepted,
// whether the file was known from an earlier poll or first read in the
// interrupted one. Without the journal it would read the whole poll again.
func TestCrashResumesAfterTheLastAcceptedBatch(t *testing.T) {
	const total = 1000
	tests := []struct {
		name string
		// known: lines read and saved by a complete poll before the backlog
		known int
		// batches accepted before the crash, counting those of known
		accept int
	}{
		{name: "file first read in the interrupted poll", known: 0, accept: 3},
		{name: "file known from an earlier poll", known: 150, accept: 2 + 3},
	}
	for _, tt := range tests {
		for _, withJournal := range []bool{true, false} {
			name := tt.name
			if !withJournal {
				name += ", journal lost"
			}
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, "app.log")
				client := newMemClient(nil)
				store := newTestStore(t, client)
				run := &crashRun{store: store, accept: tt.accept, crashed: make(chan struct{})}
				if tt.known > 0 {
					writeLines(t, path, 0, tt.known)
				} else {
					writeLines(t, path, 0, total)
				}
				m := startManager(t, dir, store, run.emit)
				if tt.known > 0 {
					// A complete poll saves the file; the backlog comes after.
					require.Eventually(t, func() bool {
						run.mu.Lock()
						defer run.mu.Unlock()
						return run.end.RecordNum == int64(tt.known)
					}, waitFor, time.Millisecond)
					poll := store.NextPoll()
					<-poll.Done()
					writeLines(t, path, tt.known, total)
				}
				<-run.crashed
				run.mu.Lock()
				end := run.end
				run.mu.Unlock()
				// Where the last accepted batch ended: 300 for a file read
				// whole, about 450 for the backlog, which a poll may find
				// half written (a read sees a large write page by page).
				require.Greater(t, end.RecordNum, int64(tt.known), "the crash is in the backlog's poll")
				journalReaches(t, client, end)
				saved := client.freeze()
				require.NoError(t, m.Stop())
				if !withJournal {
					delete(saved, JournalKey)
				}

				restarted := newTestStore(t, newMemClient(saved))
				var got collector
				m2 := startManager(t, dir, restarted, got.emit(t))
				defer func() { require.NoError(t, m2.Stop()) }()
				require.Eventually(t, func() bool {
					lines := got.got()
					return len(lines) > 0 && lines[len(lines)-1] == total-1
				}, waitFor, time.Millisecond)

				from := int(end.RecordNum) // right after the last accepted batch
				if !withJournal {
					from = tt.known // the start of the interrupted poll
				}
				want := make([]int, 0, total-from)
				for i := from; i < total; i++ {
					want = append(want, i)
				}
				assert.Equal(t, want, got.got())
			})
		}
	}
}

// At the end of each poll the journal is merged into fileconsumer's record
// and deleted in the same write.
func TestPollEndMergesTheJournal(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	writeLines(t, path, 0, 250)
	client := newMemClient(nil)
	store := newTestStore(t, client)
	run := &crashRun{store: store, accept: 1 << 30, crashed: make(chan struct{})}
	m := startManager(t, dir, store, run.emit)
	defer func() { require.NoError(t, m.Stop()) }()

	require.Eventually(t, func() bool {
		run.mu.Lock()
		defer run.mu.Unlock()
		return run.end.RecordNum == 250
	}, waitFor, time.Millisecond)
	poll := store.NextPoll()
	<-poll.Done()

	assert.Nil(t, client.get(JournalKey), "the journal is deleted once merged")
	files, err := parseKnownFiles(client.get(KnownFilesKey))
	require.NoError(t, err)
	require.Len(t, files, 1)
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, Position{Offset: info.Size(), RecordNum: 250}, files[0].pos)
	assert.NotEmpty(t, files[0].id, "the file's checkpoint ID is saved with its offset")
	content, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, content[:1000], fingerprintOf(t, files[0]))
}

// WaitDrained returns once the lines written before it was called were
// emitted, a last line without its newline included. It waits for the flush
// period only when a line lacks its newline: with whole lines it is given a
// flush period longer than the test waits, which it must not wait for.
func TestWaitDrained(t *testing.T) {
	for _, partial := range []bool{false, true} {
		t.Run(map[bool]string{false: "whole lines", true: "a last line without newline"}[partial], func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "app.log")
			store := newTestStore(t, newMemClient(nil))
			var got collector
			m := startManager(t, dir, store, got.emit(t))
			defer func() { require.NoError(t, m.Stop()) }()

			writeLines(t, path, 0, 500)
			want := 500
			if partial {
				f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600)
				require.NoError(t, err)
				_, err = f.WriteString(`{"message":"line 00500"}`)
				require.NoError(t, err)
				require.NoError(t, f.Close())
				want++
			}
			// fileconsumer's flush period (its default) for the partial
			// line; for whole lines, one no drain may wait for.
			flush := 500 * time.Millisecond
			if !partial {
				flush = 2 * waitFor
			}
			ctx, cancel := context.WithTimeout(context.Background(), waitFor)
			defer cancel()
			require.NoError(t, store.WaitDrained(ctx, flush))
			assert.Len(t, got.got(), want)
		})
	}
}

// WaitDrained gives up when its context ends.
func TestWaitDrainedContext(t *testing.T) {
	store := newTestStore(t, newMemClient(nil))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, store.WaitDrained(ctx, time.Millisecond), context.DeadlineExceeded, "no poll ever ends")
}

// Advance returns at once; the writer saves what arrived while it wrote in
// one write, and Close saves what is left.
func TestJournalWriter(t *testing.T) {
	client := newMemClient(nil)
	store := NewStore(client, zap.NewNop(), nil)
	for i := 1; i <= 50; i++ {
		store.Advance("a", Position{Offset: int64(100 * i), RecordNum: int64(i)}, nil, nil)
	}
	store.Advance("b", Position{Offset: 7, RecordNum: 1}, []byte("first bytes"), map[string]any{"log.file.name": "b.log", IDAttribute: "b"})
	store.Advance("a", Position{Offset: 10, RecordNum: 1}, nil, nil) // older: ignored
	require.NoError(t, store.Close(context.Background()))

	assert.True(t, client.closed)
	assert.LessOrEqual(t, client.writes, 51)
	j, err := decodeJournal(client.get(JournalKey))
	require.NoError(t, err)
	assert.Equal(t, map[string]journalEntry{
		"a": {pos: Position{Offset: 5000, RecordNum: 50}},
		"b": {pos: Position{Offset: 7, RecordNum: 1}, fingerprint: []byte("first bytes"), attrs: map[string]any{"log.file.name": "b.log"}},
	}, j)
}

// A record that is not fileconsumer's protobuf (an older fileconsumer wrote
// JSON) is handed over unchanged: fileconsumer reads it itself.
func TestGetKeepsARecordItCannotRead(t *testing.T) {
	legacy := []byte("1\n{\"Fingerprint\":{\"first_bytes\":\"YWJj\"},\"Offset\":3}\n")
	client := newMemClient(map[string][]byte{
		KnownFilesKey: legacy,
		JournalKey:    encodeJournal(map[string]journalEntry{"x": {pos: Position{Offset: 9}}}),
	})
	store := newTestStore(t, client)
	got, err := store.Get(context.Background(), KnownFilesKey)
	require.NoError(t, err)
	assert.Equal(t, legacy, got)
}

// A known-files record the journal cannot be merged into is saved as it
// is, and the journal stays for the next merge.
func TestUnmergedJournalStays(t *testing.T) {
	client := newMemClient(nil)
	store := newTestStore(t, client)
	store.Advance("a", Position{Offset: 40, RecordNum: 4}, nil, nil)
	journalReaches(t, client, Position{Offset: 40, RecordNum: 4})
	legacy := []byte("1\n{\"Offset\":3}\n")
	require.NoError(t, store.Batch(context.Background(), storage.SetOperation(KnownFilesKey, legacy)))
	assert.Equal(t, legacy, client.get(KnownFilesKey))
	j, err := decodeJournal(client.get(JournalKey))
	require.NoError(t, err)
	assert.Equal(t, Position{Offset: 40, RecordNum: 4}, j["a"].pos)
}
