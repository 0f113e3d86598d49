// Package mapping turns AIND JSON records into OpenTelemetry log records, as
// docs/mapping.md says, and regroups them by resource and scope.
package mapping // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/mapping"

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// Config is the mapping's part of the processor's configuration; the
// processor's Config documents each setting.
type Config struct {
	ResourceFields     map[string]string
	Fields             map[string]string
	KeepOriginal       bool
	DefaultServiceName string
	MapRecords         bool
}

// Validate checks the settings. The messages name keys of the
// configuration, never a record's values.
func (c Config) Validate() error {
	var errs []error
	if c.DefaultServiceName == "" {
		errs = append(errs, errors.New("default_service_name must not be empty: Loki would show the stream as unknown_service"))
	}
	for _, key := range slices.Sorted(maps.Keys(c.ResourceFields)) {
		target := c.ResourceFields[key]
		switch {
		case key == "":
			errs = append(errs, errors.New("resource_fields: a key is empty"))
		case aind.IsHighCardinality(key) || aind.IsHighCardinality(target):
			errs = append(errs, fmt.Errorf("resource_fields: %q is a high-cardinality identifier and must stay a record attribute, never a resource attribute (it would become a Loki stream label)", key))
		}
	}
	for _, key := range slices.Sorted(maps.Keys(c.Fields)) {
		target := c.Fields[key]
		switch {
		case key == "" || target == "":
			errs = append(errs, fmt.Errorf("fields: %q → %q: source and target must not be empty", key, target))
		case key == target:
			errs = append(errs, fmt.Errorf("fields: %q is renamed to itself", key))
		}
	}
	return errors.Join(errs...)
}
