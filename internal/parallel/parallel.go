// Package parallel splits the records of one batch across the cores.
//
// The collector runs a receiver's batch through the pipeline in the
// receiver's goroutine: fileconsumer reads one file in one goroutine, so
// without this the decoding and mapping of a busy file would use one core
// however many the machine has. Records are independent; the work on a
// batch is split into contiguous ranges, which keeps their order.
package parallel // import "github.com/AllenNeuralDynamics/otelcol-aind/internal/parallel"

import (
	"runtime"
	"sync"
)

// Workers is the number of ranges Ranges splits n items into: one per core,
// at most, and none smaller than minPerWorker (below that, starting a
// goroutine costs more than it saves).
func Workers(n, minPerWorker int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n/minPerWorker))
}

// Ranges splits [0, n) into workers contiguous ranges and runs fn on each
// concurrently, the first in the calling goroutine, and returns when all
// have. fn gets the range's index w and its bounds.
func Ranges(n, workers int, fn func(w, from, to int)) {
	if workers <= 1 {
		fn(0, 0, n)
		return
	}
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for w := 1; w < workers; w++ {
		wg.Go(func() { fn(w, min(w*chunk, n), min((w+1)*chunk, n)) })
	}
	fn(0, 0, min(chunk, n))
	wg.Wait()
}
