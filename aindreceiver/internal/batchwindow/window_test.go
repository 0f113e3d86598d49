package batchwindow

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/checkpoint"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func at(offset int64) checkpoint.Position {
	return checkpoint.Position{Offset: offset, RecordNum: offset / 10}
}

// finish finishes b and returns the values Finish accepted.
func finish(w *Windows[int64], b *Batch[int64], accepted bool) []int64 {
	var out []int64
	w.Finish(b, accepted, func(v int64) { out = append(out, v) })
	return out
}

// stillWaiting fails the test with msg if ch delivers within a moment:
// the call feeding it must still be waiting.
func stillWaiting[V any](t *testing.T, ch <-chan V, msg string) {
	t.Helper()
	select {
	case <-ch:
		t.Fatal(msg)
	case <-time.After(50 * time.Millisecond):
	}
}

// begin begins batches of file id starting at each offset, valued by it.
func begin(t *testing.T, w *Windows[int64], id string, offsets ...int64) []*Batch[int64] {
	t.Helper()
	var out []*Batch[int64]
	for _, o := range offsets {
		b, err := w.Begin(t.Context(), id, at(o), o)
		require.NoError(t, err)
		out = append(out, b)
	}
	return out
}

func TestAcceptedInReadOrder(t *testing.T) {
	w := New[int64](4, 16)
	b := begin(t, w, "f", 0, 100, 200, 300)
	assert.Empty(t, finish(w, b[2], true), "the batches before it are still in delivery")
	assert.Empty(t, finish(w, b[1], true))
	assert.Equal(t, []int64{0, 100, 200}, finish(w, b[0], true), "the first, then those accepted ahead of it")
	assert.Equal(t, []int64{300}, finish(w, b[3], true))
	assert.Empty(t, w.Settle())
}

func TestNothingCountsAfterARefusal(t *testing.T) {
	w := New[int64](4, 16)
	b := begin(t, w, "f", 0, 100, 200)
	other := begin(t, w, "g", 0)
	assert.Empty(t, finish(w, b[2], true))
	assert.Equal(t, []int64{0}, finish(w, b[0], true))
	assert.Empty(t, finish(w, b[1], false), "refused: neither it nor the later accepted batch counts")
	later := begin(t, w, "f", 300)
	assert.Empty(t, finish(w, later[0], true), "nor any batch read after it")
	assert.Equal(t, []int64{0}, finish(w, other[0], true), "another file is not held back")
	assert.Equal(t, map[string]checkpoint.Position{"f": at(100)}, w.Settle(), "held back to where the refused batch starts")
}

func TestBeginWaitsForRoom(t *testing.T) {
	w := New[int64](2, 16)
	b := begin(t, w, "f", 0, 100)
	begun := make(chan *Batch[int64])
	go func() {
		nb, err := w.Begin(context.Background(), "f", at(200), 200)
		assert.NoError(t, err)
		begun <- nb
	}()
	stillWaiting(t, begun, "a third batch began in a window of 2")
	begin(t, w, "g", 0) // another file has its own window
	finish(w, b[0], true)
	third := <-begun
	finish(w, b[1], true)
	assert.Equal(t, []int64{200}, finish(w, third, true))
}

func TestBeginStopsWithItsContext(t *testing.T) {
	w := New[int64](1, 16)
	b := begin(t, w, "f", 0)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := w.Begin(ctx, "f", at(100), 100)
	require.ErrorIs(t, err, context.Canceled)
	finish(w, b[0], true)
}

func TestSettleWaitsForEveryDelivery(t *testing.T) {
	w := New[int64](4, 16)
	b := begin(t, w, "f", 0, 100)
	settled := make(chan map[string]checkpoint.Position)
	go func() { settled <- w.Settle() }()
	finish(w, b[1], true)
	stillWaiting(t, settled, "Settle returned with a batch in delivery")
	finish(w, b[0], false)
	assert.Equal(t, map[string]checkpoint.Position{"f": at(0)}, <-settled)
}

func TestBeginWaitsForTotalRoom(t *testing.T) {
	w := New[int64](4, 2)
	f := begin(t, w, "f", 0)
	g := begin(t, w, "g", 0)
	begun := make(chan *Batch[int64])
	go func() {
		nb, err := w.Begin(context.Background(), "h", at(0), 0)
		assert.NoError(t, err)
		begun <- nb
	}()
	stillWaiting(t, begun, "a third batch began with a total of 2")
	finish(w, g[0], true)
	h := <-begun
	finish(w, f[0], true)
	finish(w, h, true)
	assert.Empty(t, w.Settle())
}

func TestBeginGivesItsFileRoomBackWhenCancelled(t *testing.T) {
	w := New[int64](2, 2)
	begin(t, w, "f", 0)
	g := begin(t, w, "g", 0)
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel) // once it has the file's slot and waits for the total
	_, err := w.Begin(ctx, "f", at(100), 100)
	require.ErrorIs(t, err, context.Canceled, "no room in total: the context ends the wait")
	finish(w, g[0], true)
	within, stop := context.WithTimeout(t.Context(), time.Second)
	defer stop()
	_, err = w.Begin(within, "f", at(100), 100)
	require.NoError(t, err, "the file's second slot is free again")
}
