// Package validate checks AIND records against the standard's own rules and
// the fields a deployment requires, before the mapping rewrites them.
package validate // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/validate"

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// Config checks every AIND record against the standard's own rules (the
// rules table) and the fields a deployment requires.
type Config struct {
	// Enabled turns validation on (the default).
	Enabled bool `mapstructure:"enabled"`
	// Required are the AIND keys a record must have. A source key renamed
	// by `fields` counts as the key it is renamed to.
	Required []string `mapstructure:"required"`
	// Rules switches rules of the rules table on or off by id; rules not
	// listed are on.
	Rules map[string]bool `mapstructure:"rules"`
	// OnViolation is what happens to a record that breaks a rule:
	// annotate, drop or ignore. Every mode counts.
	OnViolation string `mapstructure:"on_violation"`
}

// What happens to a record that breaks a rule.
const (
	// OnViolationAnnotate lists the broken rules' ids in the record
	// attribute aind.validation.errors.
	OnViolationAnnotate = "annotate"
	// OnViolationDrop does not deliver the record.
	OnViolationDrop = "drop"
	// OnViolationIgnore only counts.
	OnViolationIgnore = "ignore"
)

// requiredRulePrefix prefixes the id of the rule of one required key.
const requiredRulePrefix = "required."

// DefaultConfig is on, requires the three fields the standard requires, and
// annotates.
func DefaultConfig() Config {
	return Config{
		Enabled:     true,
		Required:    []string{aind.KeyTimestamp, aind.KeyLevel, aind.KeyMessage},
		OnViolation: OnViolationAnnotate,
	}
}

// Validate checks the validation section. The messages name only settings
// and rule ids.
func (c *Config) Validate() error {
	if !c.Enabled {
		return nil
	}
	var errs []error
	switch c.OnViolation {
	case OnViolationAnnotate, OnViolationDrop, OnViolationIgnore:
	default:
		errs = append(errs, fmt.Errorf("validation: on_violation %q is not one of %s, %s, %s", c.OnViolation, OnViolationAnnotate, OnViolationDrop, OnViolationIgnore))
	}
	seen := make(map[string]bool, len(c.Required))
	for i, key := range c.Required {
		switch {
		case key == "":
			errs = append(errs, fmt.Errorf("validation: required[%d] is empty", i))
		case seen[key]:
			errs = append(errs, fmt.Errorf("validation: required lists %q twice", key))
		}
		seen[key] = true
	}
	for _, id := range slices.Sorted(maps.Keys(c.Rules)) {
		if ruleByID(id) == nil {
			errs = append(errs, fmt.Errorf("validation: rules: unknown rule %q; the rules are %s (required fields are set by `required`)", id, strings.Join(RuleIDs(), ", ")))
		}
	}
	return errors.Join(errs...)
}

func ruleByID(id string) *rule {
	for i := range rules {
		if rules[i].id == id {
			return &rules[i]
		}
	}
	return nil
}

// RuleIDs are the ids of the rules table, which `rules` switches; the
// `required.<key>` rules follow `required` instead.
func RuleIDs() []string {
	ids := make([]string, len(rules))
	for i, r := range rules {
		ids[i] = r.id
	}
	return ids
}
