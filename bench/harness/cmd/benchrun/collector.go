package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/AllenNeuralDynamics/otelcol-aind/bench/harness/internal/procfs"
	"github.com/AllenNeuralDynamics/otelcol-aind/bench/harness/internal/promtext"
)

// collectorRun runs a collector distribution on a corpus and measures it.
// A collector never exits by itself, so the runner watches a counter of
// records on its internal telemetry's Prometheus endpoint, and takes the
// wall time, CPU time and peak RSS the moment the counter reaches the
// number of lines. Then it stops the collector.
type collectorRun struct {
	bin string
	// configs are merged in order (--config each), as the collector does.
	configs []string
	// sel is the counter of log records leaving the pipeline's last
	// processor.
	sel      promtext.Selector
	include  string // BENCH_INCLUDE
	expected int64
	poll     time.Duration // scrape interval: the wall time's resolution
	// stall: give up when the counter has not moved for this long (the
	// run is then incomplete and reports the shortfall).
	stall time.Duration
	// idle: once all records are out, measure CPU over this much quiet
	// time (scaling mode's idle test); 0 for none.
	idle time.Duration
	keep bool // keep the run's directory (its log) for a look
}

func (c collectorRun) run(ctx context.Context) (sample, error) {
	rd, err := newRunDirectory("benchrun-", c.keep)
	if err != nil {
		return sample{}, err
	}
	defer rd.close()
	dir := rd.path
	port, err := freePort()
	if err != nil {
		return sample{}, err
	}

	cmd := exec.Command(c.bin, configArgs(c.configs)...)
	cmd.Dir = dir // whatever the config writes relative to ./ lands here
	cmd.Stdout, cmd.Stderr = rd.log, rd.log
	cmd.Env = append(os.Environ(),
		"BENCH_INCLUDE="+c.include,
		"BENCH_EXPORTER=nop",
		"BENCH_OUT="+filepath.Join(dir, "out.json"),
		"BENCH_METRICS_PORT="+strconv.Itoa(port),
	)
	start := time.Now()
	ch, err := startChild(cmd)
	if err != nil {
		return sample{}, err
	}
	defer ch.stop()

	w := watcher{
		counter: scrapeCounter{
			sel:    c.sel,
			url:    fmt.Sprintf("http://127.0.0.1:%d/metrics", port),
			client: &http.Client{Timeout: 2 * time.Second},
		},
		proc: ch,
	}
	s, err := w.until(ctx, start, c.expected, c.poll, c.stall)
	if err != nil {
		return s, rd.failure(err)
	}
	if c.idle > 0 && s.complete {
		if s.idleCPU, s.idleWall, err = idleCPU(ctx, ch, c.idle); err != nil {
			return s, err
		}
	}
	// Read the counter once more: a collector that emits more records
	// than lines must not pass the records check.
	time.Sleep(3 * c.poll)
	if n, ok, err := w.counter.count(ctx); err == nil && ok {
		s.records = n
	}
	return s, nil
}

// idleCPU measures the CPU time the process spends over d. Nothing
// scrapes it meanwhile, so the figure is the collector's own idle cost
// (polling its files).
func idleCPU(ctx context.Context, ch *child, d time.Duration) (cpu, wall time.Duration, err error) {
	c0, err := procfs.CPUTime(ch.pid())
	if err != nil {
		return 0, 0, err
	}
	t0 := time.Now()
	select {
	case <-time.After(d):
	case <-ch.done:
		return 0, 0, fmt.Errorf("collector exited while idle: %v", ch.err)
	case <-ctx.Done():
		return 0, 0, ctx.Err()
	}
	c1, err := procfs.CPUTime(ch.pid())
	return c1 - c0, time.Since(t0), err
}
