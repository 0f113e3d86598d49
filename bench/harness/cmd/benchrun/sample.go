package main

import (
	"fmt"
	"time"
)

// A sample is one measured run of one target.
type sample struct {
	// wall is from the process's start to the moment the runner saw the
	// last record out (a collector) or to its exit (the physref).
	wall time.Duration
	// cpu is user+system CPU time over the same span.
	cpu time.Duration
	// peakRSS is the process's peak resident set size (VmHWM), in bytes.
	peakRSS int64
	// records is how many records came out (a collector: the watched
	// counter, read once more after the run; the physref: lines read).
	records int64
	// complete: records reached the expected count before the stall
	// timeout.
	complete bool
	// idleCPU is the CPU time spent over idleWall once all records were
	// out (scaling mode's idle test only).
	idleCPU, idleWall time.Duration
	// harnessCPU is benchrun's own CPU time over the run: the sink's and
	// the gateway clients' (shipped mode only).
	harnessCPU time.Duration
	// retries counts the gateway's 503 answers, exports the requests the
	// sink accepted (shipped mode only).
	retries, exports int64
	// accepted is the time from the start to the gateway's last 200 to
	// its clients (shipped mode, gateway only; 0 when not all were).
	accepted time.Duration
}

func (s sample) linesPerSec() float64 {
	if s.wall <= 0 {
		return 0
	}
	return float64(s.records) / s.wall.Seconds()
}

// cpuPerMillion is CPU seconds per million records.
func (s sample) cpuPerMillion() float64 {
	if s.records == 0 {
		return 0
	}
	return s.cpu.Seconds() / float64(s.records) * 1e6
}

func (s sample) rssMiB() float64 { return float64(s.peakRSS) / (1 << 20) }

func (s sample) String() string {
	status := ""
	if !s.complete {
		status = " INCOMPLETE"
	}
	return fmt.Sprintf("%d records in %.2f s (%.0f lines/s), %.2f CPU-s (%.2f per M lines), peak RSS %.1f MiB%s",
		s.records, s.wall.Seconds(), s.linesPerSec(), s.cpu.Seconds(), s.cpuPerMillion(), s.rssMiB(), status)
}
