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
)

// No input without redaction: every pipeline of every shipped config runs an
// aind processor, and a pipeline fed by the otlp receiver runs one that does
// not map (its records are OpenTelemetry records already) while every other
// pipeline maps. The whole configs are validated by `make test` with the
// built distribution.
func TestShippedConfigsRedactEveryPipeline(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "config", "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			cm, err := confmaptest.LoadConf(file)
			require.NoError(t, err)
			var cfg struct {
				Service struct {
					Pipelines map[string]struct {
						Receivers  []component.ID `mapstructure:"receivers"`
						Processors []component.ID `mapstructure:"processors"`
					} `mapstructure:"pipelines"`
				} `mapstructure:"service"`
			}
			require.NoError(t, cm.Unmarshal(&cfg, confmap.WithIgnoreUnused()))
			require.NotEmpty(t, cfg.Service.Pipelines)
			for name, pipeline := range cfg.Service.Pipelines {
				otlp := false
				for _, r := range pipeline.Receivers {
					otlp = otlp || r.Type().String() == "otlp"
				}
				var aind []component.ID
				for _, p := range pipeline.Processors {
					if p.Type() == metadata.Type {
						aind = append(aind, p)
					}
				}
				if !assert.Len(t, aind, 1, "pipeline %s: one aind processor", name) {
					continue
				}
				sub, err := cm.Sub("processors::" + aind[0].String())
				require.NoError(t, err)
				pc := createDefaultConfig()
				require.NoError(t, sub.Unmarshal(pc))
				assert.Equal(t, !otlp, pc.MapRecords, "pipeline %s: %s map_records", name, aind[0])
			}
		})
	}
}
