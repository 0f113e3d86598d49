package parallel

import (
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRangesCoverEveryItemOnce(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 100, 101} {
		for workers := 1; workers <= 5; workers++ {
			seen := make([]atomic.Int32, n)
			var calls atomic.Int32
			Ranges(n, workers, func(w, from, to int) {
				calls.Add(1)
				assert.LessOrEqual(t, from, to)
				for i := from; i < to; i++ {
					seen[i].Add(1)
				}
			})
			assert.EqualValues(t, workers, calls.Load(), "n=%d workers=%d", n, workers)
			for i := range seen {
				assert.EqualValues(t, 1, seen[i].Load(), "item %d of %d, %d workers", i, n, workers)
			}
		}
	}
}

func TestWorkers(t *testing.T) {
	procs := runtime.GOMAXPROCS(0)
	assert.Equal(t, 1, Workers(0, 32))
	assert.Equal(t, 1, Workers(63, 64))
	assert.Equal(t, min(procs, 2), Workers(128, 64))
	assert.Equal(t, procs, Workers(1<<20, 1))
}
