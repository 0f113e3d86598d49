package drainstorage // import "github.com/AllenNeuralDynamics/otelcol-aind/drainstorage"

import (
	"errors"

	"go.opentelemetry.io/collector/component"
)

// Config is the configuration of the drain_storage extension.
type Config struct {
	// Storage is the storage extension that keeps the data, e.g.
	// file_storage.
	Storage component.ID `mapstructure:"storage"`
}

var _ component.Config = (*Config)(nil)

// Validate checks the configuration.
func (cfg *Config) Validate() error {
	if cfg.Storage.Type().String() == "" {
		return errors.New("'storage' must name the storage extension that keeps the data, e.g. file_storage")
	}
	return nil
}
