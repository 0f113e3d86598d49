package aindprocessor

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/validate"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

func TestLoadConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)

	python := aind.DefaultResourceFields()
	python["hostname"] = ""
	python["co_capsule"] = "co.capsule.id"

	withLimits := func(edit func(*lokifit.Config)) *Config {
		cfg := createDefaultConfig()
		edit(&cfg.LokiLimits)
		return cfg
	}

	tests := []struct {
		id      component.ID
		want    *Config
		wantErr string
	}{
		{id: component.NewID(metadata.Type), want: createDefaultConfig()},
		{
			id: component.NewIDWithName(metadata.Type, "python"),
			want: &Config{
				MapRecords:         true,
				ResourceFields:     python,
				Fields:             map[string]string{"levelname": "level", "asctime": "timestamp", "msg": "message", "event": "message"},
				KeepOriginal:       true,
				DefaultServiceName: "capsule",
				LokiLimits:         lokifit.DefaultConfig(),
				Validation:         validate.DefaultConfig(),
				Redaction:          redact.DefaultConfig(),
			},
		},
		{
			id: component.NewIDWithName(metadata.Type, "otlp"),
			want: func() *Config {
				cfg := createDefaultConfig()
				cfg.MapRecords = false
				return cfg
			}(),
		},
		{
			id: component.NewIDWithName(metadata.Type, "loki_limits"),
			want: withLimits(func(l *lokifit.Config) {
				l.MaxLineSize = 128_000 // KB are powers of 1000, as in max_log_size
				l.MaxStructuredMetadataSize = 32 << 10
				l.MaxStructuredMetadataEntriesCount = 64
				l.RejectOldSamples = false
				l.RejectOldSamplesMaxAge = 72 * time.Hour
				l.CreationGracePeriod = 5 * time.Minute
				l.MaxDeliveryDelay = 2 * time.Minute
				l.IndexLabels = []string{"service.name", "rig_id", "instrument_id"}
			}),
		},
		{
			id: component.NewIDWithName(metadata.Type, "loki_limits_bytes"),
			want: withLimits(func(l *lokifit.Config) {
				l.MaxLineSize = 1 << 20
				l.MaxStructuredMetadataSize = 0
			}),
		},
		{
			// Off, the limits are not checked.
			id: component.NewIDWithName(metadata.Type, "loki_limits_off"),
			want: withLimits(func(l *lokifit.Config) {
				l.Enabled = false
				l.MaxStructuredMetadataSize = 1
			}),
		},
		{id: component.NewIDWithName(metadata.Type, "loki_limits_too_small"), wantErr: "max_structured_metadata_size must be 0 (unlimited) or at least 1024 bytes"},
		{id: component.NewIDWithName(metadata.Type, "loki_limits_too_small"), wantErr: "max_structured_metadata_entries_count must be 0 (unlimited) or at least 16"},
		{id: component.NewIDWithName(metadata.Type, "loki_limits_delay"), wantErr: "max_delivery_delay (1h0m0s) must be shorter than reject_old_samples_max_age (1h0m0s)"},
		{id: component.NewIDWithName(metadata.Type, "loki_limits_empty_label"), wantErr: "loki_limits: index_labels[1] is empty"},
		{id: component.NewIDWithName(metadata.Type, "loki_limits_negative"), wantErr: "loki_limits: max_line_size must not be negative"},
		{id: component.NewIDWithName(metadata.Type, "high_cardinality_resource"), wantErr: `"subject_id" is a high-cardinality identifier`},
		{id: component.NewIDWithName(metadata.Type, "empty_service_name"), wantErr: "default_service_name must not be empty"},
		{id: component.NewIDWithName(metadata.Type, "empty_rename"), wantErr: `fields: "levelname" → "": source and target must not be empty`},
	}
	for _, tt := range tests {
		t.Run(tt.id.String(), func(t *testing.T) {
			cfg := NewFactory().CreateDefaultConfig()
			sub, err := cm.Sub(tt.id.String())
			require.NoError(t, err)
			err = sub.Unmarshal(cfg)
			if err == nil {
				err = confmap.Validate(cfg)
			}
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, cfg)
		})
	}
}
