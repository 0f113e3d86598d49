package aindreceiver

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/httpinput"
)

// The receiver sections of the shipped configs load and validate (the whole
// configs are validated by `make test` with the built distribution).
func TestShippedConfigs(t *testing.T) {
	load := func(t *testing.T, file string) *Config {
		t.Helper()
		// ${env:NAME:-default} is read as its default, as the collector does
		// with NAME unset.
		raw, err := os.ReadFile(filepath.Join("..", "config", file))
		require.NoError(t, err)
		raw = regexp.MustCompile(`\$\{env:[A-Z0-9_]+:-([^}]*)\}`).ReplaceAll(raw, []byte("$1"))
		resolved := filepath.Join(t.TempDir(), file)
		require.NoError(t, os.WriteFile(resolved, raw, 0o600))
		cm, err := confmaptest.LoadConf(resolved)
		require.NoError(t, err)
		sub, err := cm.Sub("receivers::aind")
		require.NoError(t, err)
		cfg := createDefaultConfig().(*Config)
		require.NoError(t, sub.Unmarshal(cfg))
		require.NoError(t, confmap.Validate(cfg))
		return cfg
	}

	t.Run("gateway", func(t *testing.T) {
		cfg := load(t, "gateway.yaml")
		assert.Empty(t, cfg.Include, "HTTP only")
		require.True(t, cfg.HTTP.HasValue())
		h := cfg.HTTP.Get()
		assert.True(t, h.ServerConfig.Auth.HasValue(), "authenticated")
		assert.Equal(t, "aindauth", h.ServerConfig.Auth.Get().Config.AuthenticatorID.String())
		defaults := httpinput.NewDefaultConfig()
		assert.Equal(t, defaults.AindPath, h.AindPath)
		assert.Equal(t, defaults.LokiPath, h.LokiPath)
		assert.True(t, h.IncludeClientAddress)
		assert.Equal(t, map[string]string{
			"X-Capsule-Id":     "co.capsule.id",
			"X-Computation-Id": "co.computation.id",
		}, h.HeadersAsResource)
	})
	for _, file := range []string{"capsule-run.yaml", "capsule-agent.yaml"} {
		t.Run(file, func(t *testing.T) {
			cfg := load(t, file)
			assert.Equal(t, []string{"/results/*.jsonl", "/results/*.jsonl.[0-9]*"}, cfg.Include)
			assert.False(t, cfg.HTTP.HasValue(), "files only")
			assert.NotNil(t, cfg.Storage, "checkpoints after every accepted batch")
			assert.Equal(t, time.Minute, cfg.DrainTimeout)
			assert.Equal(t, StartAtBeginning, cfg.StartAt)
		})
	}
}
