package drainstorage // import "github.com/AllenNeuralDynamics/otelcol-aind/drainstorage"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/extension"

	"github.com/AllenNeuralDynamics/otelcol-aind/drainstorage/internal/metadata"
)

// NewFactory returns the factory of the drain_storage extension.
func NewFactory() extension.Factory {
	return extension.NewFactory(
		metadata.Type,
		createDefaultConfig,
		createExtension,
		metadata.ExtensionStability,
	)
}

func createDefaultConfig() component.Config {
	return &Config{}
}

func createExtension(_ context.Context, set extension.Settings, cfg component.Config) (extension.Extension, error) {
	return newDrainStorage(set, cfg.(*Config)), nil
}
