package aindreceiver // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver"

import (
	"runtime"
	"sync"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// minLinesPerWorker is the smallest share of a batch worth a goroutine of
// its own: below it, starting one costs more than decoding.
const minLinesPerWorker = 32

// decodeLines decodes lines[i] into records.At(i) and returns the number of
// lines that were not a JSON object. Decoding is the costliest step of the
// file input and each record is independent, so a batch is split across the
// available cores: fileconsumer reads one file in one goroutine, and the
// pipeline after the receiver runs in that goroutine too.
func decodeLines(lines []line, records plog.LogRecordSlice) int {
	workers := min(runtime.GOMAXPROCS(0), len(lines)/minLinesPerWorker)
	if workers < 2 {
		return decodeRange(lines, records, 0, len(lines))
	}
	errs := make([]int, workers)
	var wg sync.WaitGroup
	chunk := (len(lines) + workers - 1) / workers
	for w := 1; w < workers; w++ {
		wg.Go(func() {
			errs[w] = decodeRange(lines, records, w*chunk, min((w+1)*chunk, len(lines)))
		})
	}
	errs[0] = decodeRange(lines, records, 0, chunk)
	wg.Wait()
	total := 0
	for _, n := range errs {
		total += n
	}
	return total
}

func decodeRange(lines []line, records plog.LogRecordSlice, from, to int) int {
	parseErrors := 0
	for i := from; i < to; i++ {
		if !aind.DecodeOwnedLine(lines[i].data, records.At(i)) {
			parseErrors++
		}
	}
	return parseErrors
}
