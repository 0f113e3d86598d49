package aindreceiver // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver"

import (
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/parallel"
)

// minLinesPerWorker is the smallest share of a batch worth a goroutine.
const minLinesPerWorker = 32

// decodeLines decodes lines[i] into records.At(i) and returns the number of
// lines that were not a JSON object. Decoding is the costliest step of the
// file input, so a batch is split across the cores (see package parallel).
func decodeLines(lines []line, records plog.LogRecordSlice) int {
	workers := parallel.Workers(len(lines), minLinesPerWorker)
	errs := make([]int, workers)
	parallel.Ranges(len(lines), workers, func(w, from, to int) {
		for i := from; i < to; i++ {
			if !aind.DecodeOwnedLine(lines[i].data, records.At(i)) {
				errs[w]++
			}
		}
	})
	total := 0
	for _, n := range errs {
		total += n
	}
	return total
}
