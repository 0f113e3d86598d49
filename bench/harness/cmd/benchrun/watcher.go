package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/AllenNeuralDynamics/otelcol-aind/bench/harness/internal/procfs"
	"github.com/AllenNeuralDynamics/otelcol-aind/bench/harness/internal/promtext"
)

// watcher polls a collector's records counter.
type watcher struct {
	counter counter
	proc    *child
}

// A counter reads how many records a collector has emitted so far; found
// is false while there is no count yet (the collector is starting).
type counter interface {
	count(ctx context.Context) (n int64, found bool, err error)
	String() string
}

// scrapeCounter reads a counter of the collector's internal telemetry.
type scrapeCounter struct {
	sel    promtext.Selector
	url    string
	client *http.Client
}

func (s scrapeCounter) count(ctx context.Context) (int64, bool, error) {
	n, found, err := s.sel.Scrape(ctx, s.client, s.url)
	return int64(n), found, err
}

func (s scrapeCounter) String() string { return s.sel.String() }

// until polls every poll until the counter reaches expected, and then
// measures the process at once. If the counter stops moving for stall, or
// never appears, the sample is incomplete: wall is then the time of the
// counter's last change, the CPU and memory those of the moment it gave
// up.
func (w watcher) until(ctx context.Context, start time.Time, expected int64, poll, stall time.Duration) (sample, error) {
	tick := time.NewTicker(poll)
	defer tick.Stop()
	var last int64 = -1
	lastChange := start
	var scrapeErr error
	for {
		select {
		case <-w.proc.done:
			return sample{}, fmt.Errorf("collector exited before the records were out (%v)", w.proc.err)
		case <-ctx.Done():
			return sample{}, ctx.Err()
		case <-tick.C:
		}
		count, found, err := w.counter.count(ctx)
		now := time.Now()
		if err != nil {
			scrapeErr = err // not listening yet, or busy: try again
		}
		if found && count != last {
			last, lastChange = count, now
		}
		if found && count >= expected {
			s, err := w.measure()
			s.wall, s.records, s.complete = now.Sub(start), count, true
			return s, err
		}
		if now.Sub(lastChange) > stall {
			s, err := w.measure()
			if last < 0 {
				return s, fmt.Errorf("no %s after %s (last scrape error: %v)", w.counter, stall, scrapeErr)
			}
			s.wall, s.records = lastChange.Sub(start), last
			return s, err
		}
	}
}

func (w watcher) measure() (sample, error) {
	cpu, err := procfs.CPUTime(w.proc.pid())
	if err != nil {
		return sample{}, err
	}
	rss, err := procfs.PeakRSS(w.proc.pid())
	return sample{cpu: cpu, peakRSS: rss}, err
}
