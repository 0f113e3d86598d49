package aindprocessor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Sizes are read as Loki reads them (flagext.ByteSize on
// c2h5oh/datasize): units in powers of 1024, any case.
func TestByteSize(t *testing.T) {
	for in, want := range map[string]ByteSize{
		"256KB":  256 << 10,
		"64kb":   64 << 10,
		"1 MB":   1 << 20,
		"2g":     2 << 30,
		"300":    300,
		"300b":   300,
		"0":      0,
		" 7KB  ": 7 << 10,
	} {
		var got ByteSize
		require.NoError(t, got.UnmarshalText([]byte(in)), in)
		assert.Equal(t, want, got, in)
		text, err := got.MarshalText()
		require.NoError(t, err)
		var back ByteSize
		require.NoError(t, back.UnmarshalText(text))
		assert.Equal(t, got, back, "round trip of %q", in)
	}
	for _, in := range []string{"", "KB", "-1", "256KiB", "1.5MB", "99999999999GB"} {
		var b ByteSize
		assert.Error(t, b.UnmarshalText([]byte(in)), in)
	}
}

func TestLokiLimitsDefaultsAreLokis(t *testing.T) {
	c := createDefaultConfig().LokiLimits
	assert.True(t, c.Enabled)
	assert.Equal(t, ByteSize(262144), c.MaxLineSize)
	assert.Equal(t, ByteSize(65536), c.MaxStructuredMetadataSize)
	assert.Equal(t, 128, c.MaxStructuredMetadataEntriesCount)
	assert.True(t, c.RejectOldSamples)
	assert.Equal(t, "168h0m0s", c.RejectOldSamplesMaxAge.String())
	assert.Equal(t, "10m0s", c.CreationGracePeriod.String())
	assert.Contains(t, c.IndexLabels, "service.name")
	assert.Len(t, c.IndexLabels, 18)
}
