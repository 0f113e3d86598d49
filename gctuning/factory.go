package gctuning // import "github.com/AllenNeuralDynamics/otelcol-aind/gctuning"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/extension"

	"github.com/AllenNeuralDynamics/otelcol-aind/gctuning/internal/metadata"
)

// defaultGOGC is the distribution's GC target (see doc.go): measured with
// `make bench`, GOGC=400 is where the CPU per line stops falling much
// (bench/RESULTS.md), for about 15 MiB more heap.
const defaultGOGC = 400

// NewFactory returns the factory of the gc_tuning extension.
func NewFactory() extension.Factory {
	return extension.NewFactory(
		metadata.Type,
		createDefaultConfig,
		createExtension,
		metadata.ExtensionStability,
	)
}

func createDefaultConfig() component.Config {
	return &Config{GOGC: defaultGOGC}
}

func createExtension(_ context.Context, set extension.Settings, cfg component.Config) (extension.Extension, error) {
	return newTuning(set.Logger, cfg.(*Config), runtimeGC{}, envSetting), nil
}
