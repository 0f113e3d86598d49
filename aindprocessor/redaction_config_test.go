package aindprocessor

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"
)

func TestLoadRedactionConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	tests := []struct {
		name    string
		want    func(*redact.Config)
		wantErr []string
	}{
		{name: "", want: func(*redact.Config) {}}, // the defaults: on, mask
		{name: "redaction", want: func(c *redact.Config) {
			c.Mode = redact.ModeHash
			c.HashKey = "0123456789abcdef0123456789abcdef-config"
			c.BlockedKeys = []string{"lab_pin", "badge"}
			c.AllowedKeys = []string{"session"}
			c.Patterns = []string{`LAB-[0-9]{6}`, `(?i)pin:\s*(?P<secret>\d{4})`}
			c.DisabledPatterns = []string{"jwt"}
			c.ReportKeys = true
		}},
		{name: "redaction_off", want: func(c *redact.Config) {
			c.Enabled = false
			c.Mode = redact.ModeHash // not checked while off
		}},
		{name: "redaction_hash_no_key", wantErr: []string{"redaction: mode hash needs a hash_key"}},
		{name: "redaction_hash_short_key", wantErr: []string{"redaction: hash_key must be at least 32 bytes long"}},
		{name: "redaction_key_without_hash", wantErr: []string{"redaction: hash_key is set but mode is not hash"}},
		{name: "redaction_bad_mode", wantErr: []string{"redaction: mode must be mask or hash"}},
		{name: "redaction_bad_patterns", wantErr: []string{
			"redaction: patterns[1]: invalid regular expression: missing closing )",
			"redaction: patterns[2]: invalid regular expression: invalid character class range",
			"redaction: patterns[3]: empty pattern",
			"redaction: patterns[4]: the pattern matches the empty string",
		}},
		{name: "redaction_bad_keys", wantErr: []string{
			"redaction: blocked_keys[1] has no letters or digits",
			"redaction: allowed_keys[0] has no letters or digits",
		}},
		{name: "redaction_bad_disabled", wantErr: []string{"redaction: disabled_patterns[1] is not a built-in pattern id"}},
	}
	for _, tt := range tests {
		id := component.NewIDWithName(metadata.Type, tt.name)
		if tt.name == "" {
			id = component.NewID(metadata.Type)
		}
		t.Run(id.String(), func(t *testing.T) {
			cfg := NewFactory().CreateDefaultConfig().(*Config)
			sub, err := cm.Sub(id.String())
			require.NoError(t, err)
			err = sub.Unmarshal(cfg)
			if err == nil {
				err = confmap.Validate(cfg)
			}
			if tt.wantErr != nil {
				require.Error(t, err)
				for _, w := range tt.wantErr {
					assert.ErrorContains(t, err, w)
				}
				// Never a pattern, a key or a hash key in a message.
				for _, leak := range []string{"hunter2", "tooShortKey", "z-a", "0123456789abcdef"} {
					assert.NotContains(t, err.Error(), leak)
				}
				return
			}
			require.NoError(t, err)
			want := redact.DefaultConfig()
			tt.want(&want)
			assert.Equal(t, want, cfg.Redaction)
			assert.NotContains(t, fmt.Sprintf("%v %+v %#v", cfg, cfg, cfg.Redaction), "0123456789abcdef0123456789abcdef-config")
		})
	}
}

// TestRedactionFactoryRefusesBadPatterns: a configuration that skipped
// Validate still cannot start with a broken pattern, and the error does not
// quote it.
func TestRedactionFactoryRefusesBadPatterns(t *testing.T) {
	cfg := createDefaultConfig()
	cfg.Redaction.Patterns = []string{"ok", "hunter2("}
	_, err := NewFactory().CreateLogs(context.Background(), processortest.NewNopSettings(metadata.Type), cfg, consumertest.NewNop())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "patterns[1]")
	assert.NotContains(t, err.Error(), "hunter2")
}
