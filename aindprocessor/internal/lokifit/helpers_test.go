package lokifit

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit/lokifittest"
)

// fitBatch runs the guard, as the processor does after the mapping.
func fitBatch(t *testing.T, cfg *Config, ld plog.Logs) Result {
	t.Helper()
	g, err := New(cfg, nil)
	require.NoError(t, err)
	return g.Fit(ld, lokifittest.Now)
}

// requireLokiAccepts checks the batch against the reference port of Loki.
func requireLokiAccepts(t *testing.T, c *Config, ld plog.Logs) []refEntry {
	t.Helper()
	entries, err := refPush(ld, c.IndexLabels, lokifittest.Now)
	require.NoError(t, err, "Loki would refuse the whole request")
	for i, e := range entries {
		require.Empty(t, refValidate(e, c, lokifittest.Now), "record %d", i)
	}
	return entries
}

// defaults is Loki's defaults, for a test to change.
func defaults() *Config {
	cfg := DefaultConfig()
	return &cfg
}

func smallLimits() *Config {
	cfg := defaults()
	cfg.MaxLineSize = 4 << 10
	cfg.MaxStructuredMetadataSize = 2 << 10
	cfg.MaxStructuredMetadataEntriesCount = 20
	return cfg
}
