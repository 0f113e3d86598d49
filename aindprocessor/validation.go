package aindprocessor // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor"

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/otel/metric"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// ValidationConfig checks every AIND record against the standard's own
// rules (validationRules) and the fields a deployment requires.
type ValidationConfig struct {
	// Enabled turns validation on (the default).
	Enabled bool `mapstructure:"enabled"`
	// Required are the AIND keys a record must have. A source key renamed
	// by `fields` counts as the key it is renamed to.
	Required []string `mapstructure:"required"`
	// Rules switches rules of validationRules on or off by id; rules not
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

func defaultValidation() ValidationConfig {
	return ValidationConfig{
		Enabled:     true,
		Required:    []string{aind.KeyTimestamp, aind.KeyLevel, aind.KeyMessage},
		OnViolation: OnViolationAnnotate,
	}
}

// Validate checks the validation section. The messages name only settings
// and rule ids.
func (c *ValidationConfig) Validate() error {
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
	ids := make([]string, 0, len(c.Rules))
	for id := range c.Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if ruleByID(id) == nil {
			errs = append(errs, fmt.Errorf("validation: rules: unknown rule %q; the rules are %s (required fields are set by `required`)", id, strings.Join(ruleIDs(), ", ")))
		}
	}
	return errors.Join(errs...)
}

func ruleByID(id string) *rule {
	for i := range validationRules {
		if validationRules[i].id == id {
			return &validationRules[i]
		}
	}
	return nil
}

func ruleIDs() []string {
	ids := make([]string, len(validationRules))
	for i, r := range validationRules {
		ids[i] = r.id
	}
	return ids
}

// activeRule is a rule as compiled for one configuration.
type activeRule struct {
	id    string
	needs []field
	check func(*recordFields) bool
	// attr is the rule's measurement attribute, made once.
	attr metric.MeasurementOption
}

// validator is the compiled validation section; nil when it is off.
type validator struct {
	drop     bool // else annotate or ignore
	annotate bool
	// fieldOf resolves a record's source key to the field it stands for:
	// through the plan (renames included), or as itself.
	fieldOf   keyIndex[field]
	numFields int
	rules     []activeRule
	telemetry *metadata.TelemetryBuilder
	batches   sync.Pool
}

func compileValidation(cfg *ValidationConfig, p *plan, telemetry *metadata.TelemetryBuilder) *validator {
	if !cfg.Enabled {
		return nil
	}
	v := &validator{
		drop:      cfg.OnViolation == OnViolationDrop,
		annotate:  cfg.OnViolation == OnViolationAnnotate,
		numFields: int(numFixedFields),
		telemetry: telemetry,
	}
	// The fields the active rules read, by AIND key.
	fieldByKey := map[string]field{}
	for _, key := range cfg.Required {
		f, fixed := fixedField(key)
		if !fixed {
			f = field(v.numFields)
			v.numFields++
		}
		fieldByKey[key] = f
		present := func(r *recordFields) bool { return r.seen[f] }
		if key == aind.KeyTimestamp {
			present = func(r *recordFields) bool { return r.seen[f] || r.recordTime }
		}
		v.rules = append(v.rules, activeRule{id: requiredRulePrefix + key, check: present})
	}
	for _, r := range validationRules {
		if on, set := cfg.Rules[r.id]; set && !on {
			continue
		}
		v.rules = append(v.rules, activeRule{id: r.id, needs: r.needs, check: r.check})
		for _, f := range r.needs {
			fieldByKey[fixedFieldKeys[f]] = f
		}
	}
	if len(v.rules) == 0 {
		return nil // nothing required, every rule off
	}
	for i := range v.rules {
		v.rules[i].attr = metadata.WithRuleAttr(v.rules[i].id)
	}
	fieldOf := make(map[string]field)
	for src, a := range p.actions {
		if f, ok := fieldByKey[a.aindKey]; ok {
			fieldOf[src] = f
		}
	}
	for key, f := range fieldByKey {
		if _, mapped := p.actions[key]; !mapped {
			fieldOf[key] = f // a key the mapping leaves alone is itself
		}
	}
	v.fieldOf = newKeyIndex(fieldOf)
	v.batches.New = func() any {
		return &validationBatch{
			v:      v,
			rec:    recordFields{vals: make([]pcommon.Value, v.numFields), seen: make([]bool, v.numFields)},
			counts: make([]int64, len(v.rules)),
		}
	}
	return v
}

// validationBatch is the state of validating one batch: the current record's
// fields and broken rules, and the batch's counts.
type validationBatch struct {
	v       *validator
	rec     recordFields
	failed  []int // indexes into v.rules
	counts  []int64
	dropped int64
}

// begin returns the state for one batch, nil when validation is off; the
// methods of a nil state do nothing.
func (v *validator) begin() *validationBatch {
	if v == nil {
		return nil
	}
	return v.batches.Get().(*validationBatch)
}

// check validates a prepared record, whose AIND fields are its attributes
// under their source keys. It reports whether the record is to be kept.
func (b *validationBatch) check(lr plog.LogRecord) bool {
	if b == nil {
		return true
	}
	r := &b.rec
	r.reset()
	r.recordTime = lr.Timestamp() != 0
	fieldOf := &b.v.fieldOf
	lr.Attributes().Range(func(k string, v pcommon.Value) bool {
		if f, ok := fieldOf.lookup(k); ok && v.Type() != pcommon.ValueTypeEmpty {
			r.vals[f], r.seen[f] = v, true
		}
		return true
	})
	b.failed = b.failed[:0]
rules:
	for i := range b.v.rules {
		rl := &b.v.rules[i]
		for _, f := range rl.needs {
			if !r.seen[f] {
				continue rules
			}
		}
		if !rl.check(r) {
			b.failed = append(b.failed, i)
			b.counts[i]++
		}
	}
	clear(r.vals) // hold no references into the batch
	if len(b.failed) > 0 && b.v.drop {
		b.dropped++
		return false
	}
	return true
}

// annotate lists the rules the record broke in aind.validation.errors, after
// the mapping, when on_violation is annotate.
func (b *validationBatch) annotate(lr plog.LogRecord) {
	if b == nil || len(b.failed) == 0 || !b.v.annotate {
		return
	}
	s := lr.Attributes().PutEmptySlice(aind.AttrValidationErrors)
	s.EnsureCapacity(len(b.failed))
	for _, i := range b.failed {
		s.AppendEmpty().SetStr(b.v.rules[i].id)
	}
}

// end records the batch's counts and releases the state.
func (b *validationBatch) end(ctx context.Context) {
	if b == nil {
		return
	}
	for i, n := range b.counts {
		if n > 0 {
			b.v.telemetry.ProcessorAindValidationViolations.Add(ctx, n, b.v.rules[i].attr)
		}
	}
	if b.dropped > 0 {
		b.v.telemetry.ProcessorAindValidationDropped.Add(ctx, b.dropped)
	}
	clear(b.counts)
	b.dropped = 0
	b.failed = b.failed[:0]
	b.v.batches.Put(b)
}
