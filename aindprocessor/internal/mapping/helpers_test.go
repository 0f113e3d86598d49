package mapping

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
)

// defaultConfig is the processor's default mapping configuration.
func defaultConfig() Config {
	return Config{ResourceFields: aind.DefaultResourceFields(), DefaultServiceName: aind.DefaultScopeName}
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
			g.StartScope()
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

// linesToLogs decodes JSON lines as aindreceiver does, into one
// ResourceLogs carrying resource attributes from the receiver's config.
func linesToLogs(resource map[string]string, lines ...string) plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	for k, v := range resource {
		rl.Resource().Attributes().PutStr(k, v)
	}
	records := rl.ScopeLogs().AppendEmpty().LogRecords()
	for _, line := range lines {
		jsonlines.DecodeLine(jsonlines.CleanLine([]byte(line)), records.AppendEmpty())
	}
	return ld
}

// only returns the single record of a batch with its resource and scope.
func only(t *testing.T, ld plog.Logs) (plog.ResourceLogs, plog.ScopeLogs, plog.LogRecord) {
	t.Helper()
	require.Equal(t, 1, ld.LogRecordCount(), "records")
	require.Equal(t, 1, ld.ResourceLogs().Len(), "resources")
	rl := ld.ResourceLogs().At(0)
	require.Equal(t, 1, rl.ScopeLogs().Len(), "scopes")
	sl := rl.ScopeLogs().At(0)
	return rl, sl, sl.LogRecords().At(0)
}

func mapOne(t *testing.T, cfg Config, line string) (plog.ResourceLogs, plog.ScopeLogs, plog.LogRecord) {
	t.Helper()
	return only(t, process(t, cfg, linesToLogs(nil, line)))
}

func assertAttr(t *testing.T, lr plog.LogRecord, key string, want any) {
	t.Helper()
	v, ok := lr.Attributes().Get(key)
	require.True(t, ok, "attribute %q missing from %v", key, lr.Attributes().AsRaw())
	assert.Equal(t, want, v.AsRaw(), key)
}

func assertNoAttr(t *testing.T, lr plog.LogRecord, key string) {
	t.Helper()
	_, ok := lr.Attributes().Get(key)
	assert.False(t, ok, "attribute %q should be gone", key)
}
