package checkpoint // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/checkpoint"

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.uber.org/zap"
)

// Store is the checkpoint store the receiver hands to fileconsumer. It
// passes fileconsumer's own reads and writes through to the storage
// client, and adds two things fileconsumer lacks:
//
//   - a checkpoint per accepted batch: Advance records where a file's
//     accepted lines end, and a writer saves those positions to JournalKey
//     at once, or within journalInterval under load. When
//     fileconsumer saves KnownFilesKey (at the end of each poll) the
//     journal is merged into that record and deleted in the same
//     transaction; when fileconsumer loads KnownFilesKey (at start) the
//     journal left by a crash is merged into what it reads. fileconsumer
//     itself saves only at the end of a poll, and a poll reads every file
//     to its end, so without the journal a crash during a long catch-up
//     re-reads all of it.
//   - poll ends: every save of KnownFilesKey ends a poll, which is what a
//     drain at shutdown waits for (NextPoll).
//   - deliveries: the file input's batches may still be in delivery when
//     fileconsumer saves KnownFilesKey with its readers' offsets, which
//     are past them. The save waits for them (Deliveries.Settle), and
//     holds each file whose batch was not accepted back to where that
//     batch starts.
type Store struct {
	client     storage.Client
	logger     *zap.Logger
	deliveries Deliveries

	// mu guards journal, dirty and poll.
	mu      sync.Mutex
	journal map[string]journalEntry
	dirty   bool // journal has positions not written yet
	poll    *Poll

	// io orders the journal writes and the merges into KnownFilesKey, so
	// that a merge never deletes a journal written after it read it.
	io sync.Mutex

	// drainers counts the WaitDrained calls in progress: only they need
	// to know whether a poll saw a partial line.
	drainers atomic.Int32

	wake    chan struct{}
	stop    chan struct{}
	stopped sync.WaitGroup
}

var _ storage.Client = (*Store)(nil)

// Poll is the end of one of fileconsumer's polls.
type Poll struct {
	done chan struct{}
	// PartialLine is set when a file ended with a line whose newline had
	// not been written: fileconsumer emits such a line only once it has not
	// grown for its flush period. Valid once Done is closed.
	PartialLine bool
}

// Done is closed when the poll ends.
func (p *Poll) Done() <-chan struct{} { return p.done }

// Deliveries are the batches the file input has in delivery.
type Deliveries interface {
	// Settle waits until no batch is in delivery, and returns the files
	// with a batch that was not accepted, each with the position where that
	// batch starts.
	Settle() map[string]Position
}

// NewStore returns a store over client and starts its journal writer.
// Close stops it. deliveries may be nil: every batch was accepted, or not,
// by the time fileconsumer moves its reader past it.
func NewStore(client storage.Client, logger *zap.Logger, deliveries Deliveries) *Store {
	s := &Store{
		client:     client,
		logger:     logger,
		deliveries: deliveries,
		journal:    map[string]journalEntry{},
		poll:       &Poll{done: make(chan struct{})},
		wake:       make(chan struct{}, 1),
		stop:       make(chan struct{}),
	}
	s.stopped.Add(1)
	go s.writeJournal()
	return s
}

// Advance records that the lines of file id before pos were accepted.
// first is the file's first bytes (FirstBytes) when the batch was the
// first read from its start, with the file's attributes; fileconsumer
// has then saved no entry for the file yet. Advance does not block: the
// position is written by the journal writer (writeJournal).
func (s *Store) Advance(id string, pos Position, first []byte, attrs map[string]any) {
	s.mu.Lock()
	e := s.journal[id]
	e.advance(pos)
	if e.fingerprint == nil && len(first) > 0 {
		e.fingerprint = first
		e.attrs = make(map[string]any, len(attrs))
		for k, v := range attrs {
			if k != IDAttribute {
				e.attrs[k] = v
			}
		}
	}
	s.journal[id] = e
	s.dirty = true
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// NextPoll returns the next poll to end.
func (s *Store) NextPoll() *Poll {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.poll
}

// journalInterval is the shortest time between two writes of the journal.
// A batch accepted when the writer is idle is written at once; those
// accepted within the interval after a write go together in the next one.
// Under load this bounds the cost of the checkpoints (a storage write, and
// the wake-up of the writer, per batch would take about a tenth of the
// receiver's CPU), and what a crash may read again grows by the lines
// accepted in one interval.
const journalInterval = 10 * time.Millisecond

// writeJournal writes the journal whenever it has new positions, at most
// once per journalInterval.
func (s *Store) writeJournal() {
	defer s.stopped.Done()
	pause := time.NewTimer(0)
	defer pause.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-s.wake:
		}
		s.flushJournal()
		pause.Reset(journalInterval)
		select {
		case <-s.stop:
			return
		case <-pause.C:
		}
	}
}

func (s *Store) flushJournal() {
	s.io.Lock()
	defer s.io.Unlock()
	s.mu.Lock()
	if !s.dirty {
		s.mu.Unlock()
		return
	}
	data := encodeJournal(s.journal)
	s.dirty = false
	s.mu.Unlock()
	if err := s.client.Set(context.Background(), JournalKey, data); err != nil {
		s.mu.Lock()
		s.dirty = true
		s.mu.Unlock()
		s.logger.Warn("Could not save the read positions of the last batches; a crash now would read them again", zap.Error(err))
	}
}

// Close stops the journal writer after writing what it has left, and
// closes the storage client.
func (s *Store) Close(ctx context.Context) error {
	close(s.stop)
	s.stopped.Wait()
	s.flushJournal()
	return s.client.Close(ctx)
}

// Get reads key. Reading KnownFilesKey (fileconsumer does so once, when it
// starts) gives the saved record with the journal merged in.
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	value, err := s.client.Get(ctx, key)
	if err != nil || key != KnownFilesKey {
		return value, err
	}
	raw, err := s.client.Get(ctx, JournalKey)
	if err != nil {
		return nil, fmt.Errorf("read the journal of accepted batches: %w", err)
	}
	if len(raw) == 0 {
		return value, nil
	}
	saved, err := decodeJournal(raw)
	if err != nil {
		// The record fileconsumer saved is still good: only the batches
		// accepted since its last poll will be read again.
		s.logger.Warn("The journal of accepted batches is unreadable; the batches since the last poll will be read again", zap.Error(err))
		return value, nil
	}
	s.mu.Lock()
	s.journal = mergeJournals(s.journal, saved)
	j := maps.Clone(s.journal)
	s.mu.Unlock()
	merged, _, err := applyJournal(value, j, true)
	if err != nil {
		// Not a record this package can read (an older fileconsumer's):
		// fileconsumer reads it itself, from its last poll.
		s.logger.Warn("Could not merge the journal of accepted batches into the known files; the batches since the last poll will be read again", zap.Error(err))
		return value, nil
	}
	if n := len(j); n > 0 {
		s.logger.Info("Resuming from the checkpoints of the last accepted batches", zap.Int("files", n))
	}
	return merged, nil
}

// Set writes key. fileconsumer writes KnownFilesKey with Batch; a Set of it
// is treated the same way.
func (s *Store) Set(ctx context.Context, key string, value []byte) error {
	if key == KnownFilesKey {
		return s.Batch(ctx, storage.SetOperation(key, value))
	}
	return s.client.Set(ctx, key, value)
}

// Delete deletes key.
func (s *Store) Delete(ctx context.Context, key string) error {
	return s.client.Delete(ctx, key)
}

// Batch runs ops in one transaction. A write of KnownFilesKey ends a poll:
// it waits for the batches still in delivery, holds back the files with a
// batch that was not accepted, merges the journal into the record and
// deletes it in the same transaction, then wakes the poll's waiters.
func (s *Store) Batch(ctx context.Context, ops ...*storage.Operation) error {
	save := -1
	for i, op := range ops {
		if op.Type == storage.Set && op.Key == KnownFilesKey {
			save = i
		}
	}
	if save < 0 {
		return s.client.Batch(ctx, ops...)
	}
	ops, err := s.settle(ops, save)
	if err != nil {
		// Saving the readers' offsets would skip lines that were not
		// accepted; the previous record and the journal stay.
		s.mu.Lock()
		poll := s.endPollLocked()
		s.mu.Unlock()
		close(poll.done)
		return err
	}

	s.io.Lock()
	s.mu.Lock()
	j := s.journal
	s.journal = map[string]journalEntry{}
	s.dirty = false
	poll := s.endPollLocked()
	s.mu.Unlock()

	record := ops[save].Value
	merged := len(j) == 0
	if !merged {
		patched, partial, err := applyJournal(record, j, false)
		if err != nil {
			// The journal stays, and is merged at the next poll or start.
			s.logger.Warn("Could not merge the journal of accepted batches into the known files", zap.Error(err))
		} else {
			merged, poll.PartialLine = true, partial
			ops = append(append([]*storage.Operation(nil), ops...), storage.DeleteOperation(JournalKey))
			ops[save] = storage.SetOperation(KnownFilesKey, patched)
		}
	} else if s.drainers.Load() > 0 {
		poll.PartialLine = hasPartialLine(record)
	}
	err = s.client.Batch(ctx, ops...)
	if err != nil || !merged {
		// Keep the positions for the next try; they are still the latest.
		s.mu.Lock()
		s.journal = mergeJournals(s.journal, j)
		s.dirty = len(s.journal) > 0
		s.mu.Unlock()
	}
	s.io.Unlock()
	close(poll.done)
	return err
}

// settle waits for the batches in delivery, and returns ops with the
// known-files record, ops[save], holding each file whose batch was not
// accepted back to where that batch starts.
func (s *Store) settle(ops []*storage.Operation, save int) ([]*storage.Operation, error) {
	if s.deliveries == nil {
		return ops, nil
	}
	refused := s.deliveries.Settle()
	if len(refused) == 0 {
		return ops, nil
	}
	held, err := holdBack(ops[save].Value, refused)
	if err != nil {
		return nil, fmt.Errorf("hold the checkpoints back to the batches not accepted: %w", err)
	}
	ops = append([]*storage.Operation(nil), ops...)
	ops[save] = storage.SetOperation(KnownFilesKey, held)
	return ops, nil
}

// endPollLocked starts the next poll and returns the one that ends, for
// the caller to close once the poll's save is done. s.mu must be held.
func (s *Store) endPollLocked() *Poll {
	p := s.poll
	s.poll = &Poll{done: make(chan struct{})}
	return p
}

// WaitDrained waits until fileconsumer has read every file to its end from
// a poll that started after the call, which reads what was written before
// the call, and delivered it (emit returns only once its batch was
// accepted). A line without its newline is emitted only after flush, the
// fileconsumer's flush period: the wait is longer when a poll saw one.
func (s *Store) WaitDrained(ctx context.Context, flush time.Duration) error {
	s.drainers.Add(1)
	defer s.drainers.Add(-1)
	// The first poll to end may have started before the call.
	if err := wait(ctx, s.NextPoll()); err != nil {
		return err
	}
	p := s.NextPoll()
	if err := wait(ctx, p); err != nil {
		return err
	}
	if !p.PartialLine {
		return nil
	}
	timer := time.NewTimer(flush)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
	}
	// Again two polls: the second starts after the flush period.
	if err := wait(ctx, s.NextPoll()); err != nil {
		return err
	}
	return wait(ctx, s.NextPoll())
}

func wait(ctx context.Context, p *Poll) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-p.Done():
		return nil
	}
}
