package aindprocessor

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

func TestLoadConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)

	python := aind.DefaultResourceFields()
	python["hostname"] = ""
	python["co_capsule"] = "co.capsule.id"

	tests := []struct {
		id      component.ID
		want    *Config
		wantErr string
	}{
		{id: component.NewID(metadata.Type), want: createDefaultConfig()},
		{
			id: component.NewIDWithName(metadata.Type, "python"),
			want: &Config{
				ResourceFields:     python,
				Fields:             map[string]string{"levelname": "level", "asctime": "timestamp", "msg": "message", "event": "message"},
				KeepOriginal:       true,
				DefaultServiceName: "capsule",
			},
		},
		{id: component.NewIDWithName(metadata.Type, "high_cardinality_resource"), wantErr: `"subject_id" is a high-cardinality identifier`},
		{id: component.NewIDWithName(metadata.Type, "empty_service_name"), wantErr: "default_service_name must not be empty"},
		{id: component.NewIDWithName(metadata.Type, "empty_rename"), wantErr: `fields: "levelname" → "": source and target must not be empty`},
	}
	for _, tt := range tests {
		t.Run(tt.id.String(), func(t *testing.T) {
			cfg := NewFactory().CreateDefaultConfig()
			sub, err := cm.Sub(tt.id.String())
			require.NoError(t, err)
			require.NoError(t, sub.Unmarshal(cfg))
			err = confmap.Validate(cfg)
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, cfg)
		})
	}
}
