package aindprocessor // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor"

import (
	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/mapping"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/validate"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// Config is the aind processor's configuration.
type Config struct {
	// MapRecords maps records of the AIND standard (on by default). Off, no
	// record is mapped or validated: for records already in OpenTelemetry's
	// shape (OTLP from a capsule agent or an OpenTelemetry SDK), which the
	// mapping would take apart when a body string starts with "{". Redaction,
	// the Loki limits guard and default_service_name still apply.
	MapRecords bool `mapstructure:"map_records"`
	// ResourceFields maps AIND keys to resource attributes. It is merged over
	// the mapping's defaults; an empty target turns a default off, leaving
	// that key a record attribute.
	ResourceFields map[string]string `mapstructure:"resource_fields"`
	// Fields renames a producer's keys to AIND keys (or to any attribute
	// name), so that e.g. Python's levelname/asctime/msg map by YAML alone.
	Fields map[string]string `mapstructure:"fields"`
	// KeepOriginal keeps the keys that were mapped (timestamp, level,
	// message, lineno, …) as record attributes under their own names too.
	KeepOriginal bool `mapstructure:"keep_original"`
	// DefaultServiceName is service.name for resources that get none from
	// the record or the receiver, so Loki never shows "unknown_service".
	DefaultServiceName string `mapstructure:"default_service_name"`
	// LokiLimits makes every record fit a Loki's per-record limits (on by
	// default, with Loki's defaults).
	LokiLimits lokifit.Config `mapstructure:"loki_limits"`
	// Redaction replaces secrets in every output record, resource and scope
	// (on by default).
	Redaction redact.Config `mapstructure:"redaction"`
	// Validation checks records against the AIND standard's rules (on by
	// default, annotating).
	Validation validate.Config `mapstructure:"validation"`
}

func createDefaultConfig() *Config {
	return &Config{
		MapRecords:         true,
		ResourceFields:     aind.DefaultResourceFields(),
		DefaultServiceName: aind.DefaultScopeName,
		LokiLimits:         lokifit.DefaultConfig(),
		Redaction:          redact.DefaultConfig(),
		Validation:         validate.DefaultConfig(),
	}
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	// loki_limits, redaction and validation validate themselves: the
	// collector's confmap.Validate calls every section's Validate.
	return c.mappingConfig().Validate()
}

// mappingConfig is the mapping's part of the configuration: the top-level
// keys.
func (c *Config) mappingConfig() mapping.Config {
	return mapping.Config{
		ResourceFields:     c.ResourceFields,
		Fields:             c.Fields,
		KeepOriginal:       c.KeepOriginal,
		DefaultServiceName: c.DefaultServiceName,
		MapRecords:         c.MapRecords,
	}
}
