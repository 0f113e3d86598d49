package aindprocessor // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor"

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
)

type logsProcessor struct {
	plan      *plan
	telemetry *metadata.TelemetryBuilder
	// mappers are reused across batches; a pipeline may call concurrently.
	mappers sync.Pool
	// guard is nil when the Loki limits guard is off; guardErr is the error
	// of a loki_limits section that bypassed Validate.
	guard    *lokifit.Guard
	guardErr error
	now      func() time.Time
	// redaction is nil when redaction is off.
	redaction *redaction
	// validation is nil when validation is off.
	validation *validator
}

func newLogsProcessor(cfg *Config, telemetry *metadata.TelemetryBuilder) *logsProcessor {
	p := &logsProcessor{plan: compile(cfg), telemetry: telemetry, now: time.Now}
	// The renames' targets are fields of the standard too: the guard gives
	// them up last.
	p.guard, p.guardErr = lokifit.New(&cfg.LokiLimits, slices.Collect(maps.Values(cfg.Fields)))
	p.validation = compileValidation(&cfg.Validation, p.plan, telemetry)
	p.redaction = compileRedaction(&cfg.Redaction, telemetry)
	p.mappers.New = func() any { return newMapper(p.plan) }
	return p
}

// processLogs maps every AIND record and regroups the batch: into
// ResourceLogs by the resulting resource, and into ScopeLogs by logger name.
// Records that hold no AIND record keep their resource and scope.
func (p *logsProcessor) processLogs(ctx context.Context, ld plog.Logs) (plog.Logs, error) {
	m := p.mappers.Get().(*mapper)
	defer p.mappers.Put(m)
	g := newGrouper(p.plan)
	var mapped, passed int64
	vb := p.validation.begin() // nil when off

	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		rl := rls.At(i)
		g.startResource(rl)
		sls := rl.ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			sl := sls.At(j)
			g.startScope()
			lrs := sl.LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				lr := lrs.At(k)
				var dst plog.ScopeLogs
				if m.prepare(lr) {
					if !vb.check(lr) { // the source fields, before the mapping
						continue // on_violation: drop
					}
					m.mapRecord(lr)
					vb.annotate(lr)
					dst = g.aindScope(m.resValues, m.resSet, m.scope)
					mapped++
				} else {
					dst = g.passthroughScope(sl)
					passed++
				}
				lr.MoveTo(dst.LogRecords().AppendEmpty())
			}
		}
	}
	vb.end(ctx)
	p.telemetry.ProcessorAindRecordsMapped.Add(ctx, mapped)
	p.telemetry.ProcessorAindRecordsPassthrough.Add(ctx, passed)
	// Secrets go before the guard: it sizes and folds the redacted values.
	p.redaction.redactLogs(ctx, g.out)
	if p.guard != nil {
		res := p.guard.Fit(g.out, p.now())
		for l := range lokifit.NumLimits {
			if n := res.Fixes[l]; n > 0 {
				p.telemetry.ProcessorAindLokiLimitFixes.Add(ctx, n, metadata.WithLimitAttr(l.String()))
			}
			if n := res.Unfixable[l]; n > 0 {
				p.telemetry.ProcessorAindLokiLimitUnfixable.Add(ctx, n, metadata.WithLimitAttr(l.String()))
			}
		}
	}
	return g.out, nil
}
