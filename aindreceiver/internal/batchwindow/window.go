// Package batchwindow lets the batches of one file be delivered
// concurrently while the file's checkpoint still follows acceptance.
//
// A file input that waits for each batch to be accepted before it reads
// the next makes one round trip to the backend per batch; at fileconsumer's
// 100 lines a batch that round trip, not the CPU, bounds a shipped agent.
// Here a file has up to size batches in delivery at once, and all files
// together up to total. A batch counts
// as accepted for the checkpoint only once it and every batch read before
// it were accepted, so a checkpoint never passes a line that was not.
package batchwindow // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/batchwindow"

import (
	"context"
	"sync"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/checkpoint"
)

// Windows holds the window of each file, by checkpoint ID. T is what the
// caller needs once a batch counts as accepted. It is safe for concurrent
// use; Begin is called by one goroutine per file at a time (the file's
// reader), Finish by any.
type Windows[T any] struct {
	size int
	// total bounds the batches of all files in delivery: the records they
	// hold wait in the pipeline, and a backlog of many files must not
	// multiply them.
	total chan struct{}

	mu       sync.Mutex
	idle     *sync.Cond // signalled when inFlight drops to 0
	inFlight int
	files    map[string]*window[T]
}

// window is one file's batches in delivery, and those accepted ahead of an
// earlier one, in the order they were read.
type window[T any] struct {
	slots   chan struct{}
	pending []*Batch[T]
	// refused is where the first batch that was not accepted starts: the
	// file's lines from there on are not checkpointed. Valid if isRefused.
	refused   checkpoint.Position
	isRefused bool
}

// Batch is one batch in delivery.
type Batch[T any] struct {
	window   *window[T]
	start    checkpoint.Position
	value    T
	done     bool
	accepted bool
}

// New returns windows of size batches per file and total batches across
// files (each at least 1).
func New[T any](size, total int) *Windows[T] {
	w := &Windows[T]{size: max(size, 1), total: make(chan struct{}, max(total, 1)), files: map[string]*window[T]{}}
	w.idle = sync.NewCond(&w.mu)
	return w
}

// Begin waits until file id, and all files together, have room for one
// more batch in delivery, and returns that batch; start is where its lines begin in the file, value is
// what Finish returns once it counts as accepted. It returns ctx's error if
// ctx ends first: the batch was not begun.
func (w *Windows[T]) Begin(ctx context.Context, id string, start checkpoint.Position, value T) (*Batch[T], error) {
	w.mu.Lock()
	win, ok := w.files[id]
	if !ok {
		win = &window[T]{slots: make(chan struct{}, w.size)}
		w.files[id] = win
	}
	w.mu.Unlock()
	select {
	case win.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case w.total <- struct{}{}:
	case <-ctx.Done():
		<-win.slots
		return nil, ctx.Err()
	}
	b := &Batch[T]{window: win, start: start, value: value}
	w.mu.Lock()
	win.pending = append(win.pending, b)
	w.inFlight++
	w.mu.Unlock()
	return b, nil
}

// Finish ends b's delivery, accepted or not, and calls accept with the
// value of each of the file's batches that now counts as accepted, in the
// order they were read: b's and those after it that were accepted before
// it, once every batch before them was. After a batch that was not
// accepted, none of the file's later batches counts. accept runs before b
// leaves the window, so what it records is in place when Settle returns;
// it must not call into w.
func (w *Windows[T]) Finish(b *Batch[T], accepted bool, accept func(T)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	b.done, b.accepted = true, accepted
	win := b.window
	n := 0
	for _, p := range win.pending {
		if !p.done {
			break
		}
		n++
		switch {
		case !p.accepted && !win.isRefused:
			win.refused, win.isRefused = p.start, true
		case p.accepted && !win.isRefused:
			accept(p.value)
		}
	}
	win.pending = win.pending[n:]
	<-win.slots
	<-w.total
	w.inFlight--
	if w.inFlight == 0 {
		w.idle.Broadcast()
	}
}

// Settle waits until no batch of any file is in delivery, and returns the
// files with a batch that was not accepted, each with the position where
// that batch starts: a checkpoint of the file must not pass it.
func (w *Windows[T]) Settle() map[string]checkpoint.Position {
	w.mu.Lock()
	defer w.mu.Unlock()
	for w.inFlight > 0 {
		w.idle.Wait()
	}
	var refused map[string]checkpoint.Position
	for id, win := range w.files {
		if win.isRefused {
			if refused == nil {
				refused = map[string]checkpoint.Position{}
			}
			refused[id] = win.refused
		}
	}
	return refused
}
