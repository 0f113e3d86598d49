package lokifit

import (
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/operator/helper"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/confmap"
)

// unmarshal decodes a loki_limits section over the defaults, as the
// collector does.
func unmarshal(t *testing.T, raw map[string]any) (*Config, error) {
	t.Helper()
	cfg := defaults()
	err := confmap.NewFromStringMap(raw).Unmarshal(cfg)
	return cfg, err
}

// Sizes are read as the receiver's max_log_size: KB and MB in powers of
// 1000, KiB and MiB in powers of 1024, any case, or a plain number of
// bytes; a bare B is not a unit.
func TestSizes(t *testing.T) {
	for _, tt := range []struct {
		in   any
		want helper.ByteSize
	}{
		{"256KiB", 262144},
		{"256KB", 256000},
		{"64kib", 64 << 10},
		{"1MiB", 1 << 20},
		{"1MB", 1_000_000},
		{"1.5KiB", 1536},
		{"300", 300},
		{1048576, 1 << 20},
		{0, 0},
	} {
		cfg, err := unmarshal(t, map[string]any{"max_line_size": tt.in, "max_structured_metadata_size": tt.in})
		require.NoError(t, err, "%v", tt.in)
		assert.Equal(t, tt.want, cfg.MaxLineSize, "%v", tt.in)
		assert.Equal(t, tt.want, cfg.MaxStructuredMetadataSize, "%v", tt.in)
	}
	for _, in := range []string{"", "KB", "300B", "256 kilobytes", "1XB"} {
		_, err := unmarshal(t, map[string]any{"max_line_size": in})
		assert.Error(t, err, in)
	}
}

// The byte-size type takes negative numbers: Validate refuses them.
func TestNegativeSizes(t *testing.T) {
	cfg, err := unmarshal(t, map[string]any{"max_line_size": -1, "max_structured_metadata_size": -1})
	require.NoError(t, err)
	err = cfg.Validate()
	assert.ErrorContains(t, err, "max_line_size must not be negative")
	assert.ErrorContains(t, err, "max_structured_metadata_size must be 0 (unlimited) or at least 1024 bytes")
}

func TestDefaultsAreLokis(t *testing.T) {
	c := DefaultConfig()
	assert.True(t, c.Enabled)
	assert.Equal(t, helper.ByteSize(262144), c.MaxLineSize)
	assert.Equal(t, helper.ByteSize(65536), c.MaxStructuredMetadataSize)
	assert.Equal(t, 128, c.MaxStructuredMetadataEntriesCount)
	assert.True(t, c.RejectOldSamples)
	assert.Equal(t, "168h0m0s", c.RejectOldSamplesMaxAge.String())
	assert.Equal(t, "10m0s", c.CreationGracePeriod.String())
	assert.Contains(t, c.IndexLabels, "service.name")
	assert.Len(t, c.IndexLabels, 18)
	require.NoError(t, c.Validate())
}
