package gctuning

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/AllenNeuralDynamics/otelcol-aind/gctuning/internal/metadata"
)

func TestLoadConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	for name, want := range map[string]struct {
		cfg *Config
		err string
	}{
		"":               {cfg: &Config{GOGC: 400}},
		"limited":        {cfg: &Config{GOGC: -1, MemoryLimitMiB: 512}},
		"low":            {err: "'gogc' must be -1 (off) or between 25 and 10000, not 10"},
		"off_unbounded":  {err: "'gogc: -1' turns the garbage collector off: set 'memory_limit_mib' too, or the heap grows without bound"},
		"negative_limit": {err: "'memory_limit_mib' must be 0 (none) or positive, not -1"},
	} {
		t.Run(name, func(t *testing.T) {
			sub, err := cm.Sub(component.NewIDWithName(metadata.Type, name).String())
			require.NoError(t, err)
			cfg := NewFactory().CreateDefaultConfig()
			require.NoError(t, sub.Unmarshal(cfg))
			if want.err != "" {
				assert.EqualError(t, confmap.Validate(cfg), want.err)
				return
			}
			require.NoError(t, confmap.Validate(cfg))
			assert.Equal(t, want.cfg, cfg)
		})
	}
}
