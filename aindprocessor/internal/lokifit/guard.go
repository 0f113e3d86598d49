package lokifit // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"

import (
	"sync"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"
)

// Guard makes every record of a batch fit the limits of a Config. It is safe
// for concurrent use: each Fit takes a fitter, whose buffers are reused
// across batches, from a pool.
type Guard struct {
	lim     *limits
	fitters sync.Pool
}

// New compiles cfg. It returns nil when cfg turns the guard off, so that the
// caller does no guard work at all. alsoKnown are attribute names the guard
// gives up last, like the standard's own fields: the targets of the
// processor's renames.
func New(cfg *Config, alsoKnown []string) (*Guard, error) {
	if !cfg.Enabled {
		return nil, nil
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	g := &Guard{lim: compile(cfg, alsoKnown)}
	g.fitters.New = func() any { return newFitter(g.lim) }
	return g, nil
}

// Fit makes every record of ld fit, in place, with the time window of
// Loki's clock at now, and counts the records by limit.
func (g *Guard) Fit(ld plog.Logs, now time.Time) Result {
	f := g.fitters.Get().(*fitter)
	res := f.fitLogs(ld, now)
	g.fitters.Put(f)
	return res
}

// SkipTimestamps turns the time window off, for callers whose records hold
// fixed instants and that run at any date (the processor's mapping tests).
// Call it before the first Fit.
func (g *Guard) SkipTimestamps() { g.lim.timestamps = false }
