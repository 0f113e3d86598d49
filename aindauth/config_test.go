package aindauth

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindauth/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindauth/internal/tokens"
)

func loadConfig(t *testing.T, name string) *Config {
	t.Helper()
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	sub, err := cm.Sub(component.NewIDWithName(metadata.Type, name).String())
	require.NoError(t, err)
	cfg := NewFactory().CreateDefaultConfig().(*Config)
	require.NoError(t, sub.Unmarshal(cfg))
	return cfg
}

func TestLoadConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		want *Config
	}{
		{"", &Config{Header: "Authorization", Scheme: "Bearer", BasicAuth: true, TokensFile: "testdata/tokens.yaml", ReloadInterval: 2 * time.Second}},
		{"custom", &Config{Header: "X-Api-Key", Scheme: "", TokensFile: "/etc/otelcol-aind/tokens.yaml", ReloadInterval: 10 * time.Second}},
		{"inline", &Config{Header: "Authorization", Scheme: "Bearer", BasicAuth: true, ReloadInterval: 2 * time.Second,
			Clients: []tokens.Client{{Name: "team-ephys", Token: "example-token-team-ephys-0123456789"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := loadConfig(t, tc.name)
			require.NoError(t, confmap.Validate(cfg))
			assert.Equal(t, tc.want, cfg)
		})
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"none", "set 'tokens_file' (or 'clients') to say who may write"},
		{"both", "set one of 'tokens_file' and 'clients', not both"},
		{"bad", "'header' must not be empty\n'scheme' must be one word, got \"Bearer token\"\n'reload_interval' must be positive, got 0s"},
		{"bad_clients", "'clients': clients[0] (\"team-ephys\"): 'token' must be at least 16 bytes\n" +
			"clients[1] (\"team-ephys\"): 'token_sha256' must be 64 hex digits, a SHA-256 digest\n" +
			"clients[0] and clients[1] have the same name \"team-ephys\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := confmap.Validate(loadConfig(t, tc.name))
			require.EqualError(t, err, tc.want)
			assert.NotContains(t, err.Error(), "short-token")
		})
	}
}
