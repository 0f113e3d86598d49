package aindauth // import "github.com/AllenNeuralDynamics/otelcol-aind/aindauth"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/extension"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindauth/internal/metadata"
)

// NewFactory returns the factory of the aindauth extension.
func NewFactory() extension.Factory {
	return extension.NewFactory(
		metadata.Type,
		createDefaultConfig,
		createExtension,
		metadata.ExtensionStability,
	)
}

func createExtension(_ context.Context, set extension.Settings, cfg component.Config) (extension.Extension, error) {
	return newAuthenticator(set, cfg.(*Config))
}
