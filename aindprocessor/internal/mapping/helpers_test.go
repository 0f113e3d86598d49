package mapping

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/plogtest"
)

// defaultConfig is the processor's default mapping configuration.
func defaultConfig() Config {
	return Config{ResourceFields: aind.DefaultResourceFields(), DefaultServiceName: aind.DefaultScopeName, MapRecords: true}
}

// process maps and regroups ld as the processor's loop does, without the
// steps that are not the mapping's (validation, redaction, Loki limits).
func process(t *testing.T, cfg Config, ld plog.Logs) plog.Logs {
	t.Helper()
	require.NoError(t, cfg.Validate())
	p := New(cfg)
	m, g := p.NewMapper(), p.NewGrouper()
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		g.StartResource(rls.At(i))
		sls := rls.At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			sl := sls.At(j)
			g.StartScope(sl)
			lrs := sl.LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				lr := lrs.At(k)
				var dst plog.ScopeLogs
				if m.Prepare(lr) {
					m.Map(lr)
					dst = g.MappedScope(m)
				} else {
					dst = g.PassthroughScope(sl)
				}
				lr.MoveTo(dst.LogRecords().AppendEmpty())
			}
		}
	}
	return g.Logs()
}

func mapOne(t *testing.T, cfg Config, line string) (plog.ResourceLogs, plog.ScopeLogs, plog.LogRecord) {
	t.Helper()
	return plogtest.Only(t, process(t, cfg, plogtest.LinesToLogs(nil, line)))
}
