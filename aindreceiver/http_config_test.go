package aindreceiver

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"
)

// The receiver sections of the shipped configs load and validate (the whole
// configs are validated by `make test` with the built distribution).
func TestShippedConfigs(t *testing.T) {
	load := func(t *testing.T, file string) *Config {
		t.Helper()
		cm, err := confmaptest.LoadConf(filepath.Join("..", "config", file))
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
		assert.Equal(t, "bearertokenauth", h.ServerConfig.Auth.Get().Config.AuthenticatorID.String())
		assert.Equal(t, defaultAindPath, h.AindPath)
		assert.Equal(t, defaultLokiPath, h.LokiPath)
		assert.True(t, h.IncludeClientAddress)
		assert.Equal(t, []headerAttr{
			{header: "X-Capsule-Id", attr: "co.capsule.id"},
			{header: "X-Computation-Id", attr: "co.computation.id"},
			{header: "X-Scope-Orgid", attr: "loki.tenant"},
		}, h.headerAttrs())
	})
	t.Run("capsule-agent", func(t *testing.T) {
		cfg := load(t, "capsule-agent.yaml")
		assert.NotEmpty(t, cfg.Include)
		assert.False(t, cfg.HTTP.HasValue(), "files only")
	})
}
