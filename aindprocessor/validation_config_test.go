package aindprocessor

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/validate"
)

func TestLoadValidationConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)

	withValidation := func(edit func(*validate.Config)) *Config {
		cfg := createDefaultConfig()
		edit(&cfg.Validation)
		return cfg
	}
	knownRules := strings.Join(validate.RuleIDs(), ", ")

	tests := []struct {
		name    string
		want    *Config
		wantErr []string
	}{
		{
			name: "validation",
			want: withValidation(func(v *validate.Config) {
				v.Required = []string{"timestamp", "level", "message", "acquisition_name"}
				v.Rules = map[string]bool{"timestamp.not_utc": false, "level.number": false, "software_version.format": true}
				v.OnViolation = validate.OnViolationDrop
			}),
		},
		{
			// Off, the section is not checked.
			name: "validation_off",
			want: withValidation(func(v *validate.Config) {
				v.Enabled = false
				v.Rules = map[string]bool{"no_such_rule": false}
			}),
		},
		{name: "validation_unknown_rule", wantErr: []string{`validation: rules: unknown rule "timestamp_utc"; the rules are ` + knownRules + " (required fields are set by `required`)"}},
		{name: "validation_required_rule", wantErr: []string{`unknown rule "required.message"`, "(required fields are set by `required`)"}},
		{name: "validation_bad_mode", wantErr: []string{`validation: on_violation "reject" is not one of annotate, drop, ignore`}},
		{name: "validation_required_empty", wantErr: []string{"validation: required[1] is empty"}},
		{name: "validation_required_twice", wantErr: []string{`validation: required lists "timestamp" twice`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := NewFactory().CreateDefaultConfig()
			sub, err := cm.Sub(component.NewIDWithName(metadata.Type, tt.name).String())
			require.NoError(t, err)
			require.NoError(t, sub.Unmarshal(cfg))
			err = confmap.Validate(cfg)
			if len(tt.wantErr) > 0 {
				for _, want := range tt.wantErr {
					assert.ErrorContains(t, err, want)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, cfg)
		})
	}
}
