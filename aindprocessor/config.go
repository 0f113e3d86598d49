package aindprocessor // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor"

import (
	"errors"
	"fmt"
	"sort"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// Config is the aind processor's configuration.
type Config struct {
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
	Redaction RedactionConfig `mapstructure:"redaction"`
	// Validation checks records against the AIND standard's rules (on by
	// default, annotating).
	Validation ValidationConfig `mapstructure:"validation"`
}

func createDefaultConfig() *Config {
	return &Config{
		ResourceFields:     aind.DefaultResourceFields(),
		DefaultServiceName: aind.DefaultScopeName,
		LokiLimits:         lokifit.DefaultConfig(),
		Redaction:          defaultRedaction(),
		Validation:         defaultValidation(),
	}
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	var errs []error
	if c.DefaultServiceName == "" {
		errs = append(errs, errors.New("default_service_name must not be empty: Loki would show the stream as unknown_service"))
	}
	for _, key := range sortedKeys(c.ResourceFields) {
		target := c.ResourceFields[key]
		switch {
		case key == "":
			errs = append(errs, errors.New("resource_fields: a key is empty"))
		case aind.IsHighCardinality(key) || aind.IsHighCardinality(target):
			errs = append(errs, fmt.Errorf("resource_fields: %q is a high-cardinality identifier and must stay a record attribute, never a resource attribute (it would become a Loki stream label)", key))
		}
	}
	for _, key := range sortedKeys(c.Fields) {
		target := c.Fields[key]
		switch {
		case key == "" || target == "":
			errs = append(errs, fmt.Errorf("fields: %q → %q: source and target must not be empty", key, target))
		case key == target:
			errs = append(errs, fmt.Errorf("fields: %q is renamed to itself", key))
		}
	}
	// loki_limits, redaction and validation validate themselves: the
	// collector's confmap.Validate calls every section's Validate.
	return errors.Join(errs...)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
