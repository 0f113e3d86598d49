package validate // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/validate"

import (
	"sync"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/mapping"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// activeRule is a rule as compiled for one configuration.
type activeRule struct {
	id    string
	needs []field
	check func(*recordFields) bool
}

// Validator is the compiled validation section; nil when it is off. It is
// read-only but for its pool, so concurrent batches share it.
type Validator struct {
	drop     bool // else annotate or ignore
	annotate bool
	// fieldOf resolves a record's source key to the field it stands for:
	// through the plan (renames included), or as itself.
	fieldOf   mapping.KeyIndex[field]
	numFields int
	rules     []activeRule
	batches   sync.Pool
}

// New compiles a validated configuration for the mapping plan. It returns
// nil when validation is off, or has nothing to check.
func New(cfg *Config, plan *mapping.Plan) *Validator {
	if !cfg.Enabled {
		return nil
	}
	v := &Validator{
		drop:      cfg.OnViolation == OnViolationDrop,
		annotate:  cfg.OnViolation == OnViolationAnnotate,
		numFields: int(numFixedFields),
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
		// A key of another protocol standing for key (Python's created
		// for timestamp) is read only here: it makes key present, but
		// the rules on key's form do not apply to it.
		standIn := field(-1)
		if keys := plan.StandIns(key); len(keys) > 0 {
			standIn = field(v.numFields)
			v.numFields++
			for _, k := range keys {
				fieldByKey[k] = standIn
			}
		}
		present := func(r *recordFields) bool {
			return r.seen[f] || (standIn >= 0 && r.seen[standIn]) ||
				(key == aind.KeyTimestamp && r.recordTime) || (key == aind.KeyLevel && r.recordLevel)
		}
		v.rules = append(v.rules, activeRule{id: requiredRulePrefix + key, check: present})
	}
	for _, r := range rules {
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
	v.fieldOf = sourceFields(plan, fieldByKey)
	v.batches.New = func() any {
		return &Batch{
			v:      v,
			rec:    recordFields{vals: make([]pcommon.Value, v.numFields), seen: make([]bool, v.numFields)},
			counts: make([]int64, len(v.rules)),
		}
	}
	return v
}

// sourceFields indexes the fields by the source keys that stand for them.
func sourceFields(plan *mapping.Plan, fieldByKey map[string]field) mapping.KeyIndex[field] {
	fieldOf := make(map[string]field)
	for src, key := range plan.SourceKeys() {
		if f, ok := fieldByKey[key]; ok {
			fieldOf[src] = f
		}
	}
	for key, f := range fieldByKey {
		if _, mapped := plan.AINDKey(key); !mapped {
			fieldOf[key] = f // a key the mapping leaves alone is itself
		}
	}
	return mapping.NewKeyIndex(fieldOf)
}

// Rules are the ids of the active rules, in the order of
// Counts.Violations: the required fields first, then the rules table's.
func (v *Validator) Rules() []string {
	if v == nil {
		return nil
	}
	ids := make([]string, len(v.rules))
	for i, r := range v.rules {
		ids[i] = r.id
	}
	return ids
}

// Batch is the state of validating one batch: the current record's fields
// and broken rules, and the batch's counts. The methods of a nil Batch do
// nothing, and keep every record.
type Batch struct {
	v       *Validator
	rec     recordFields
	failed  []int // indexes into v.rules
	counts  []int64
	dropped int64
}

// Counts are one batch's counts.
type Counts struct {
	// Violations[i] is the number of records that broke rule i of Rules.
	Violations []int64
	// Dropped is the number of records dropped by on_violation: drop.
	Dropped int64
}

// Begin returns the state for one batch, nil when validation is off.
func (v *Validator) Begin() *Batch {
	if v == nil {
		return nil
	}
	return v.batches.Get().(*Batch)
}

// Check validates a prepared record, whose AIND fields are its attributes
// under their source keys. It reports whether the record is to be kept.
func (b *Batch) Check(lr plog.LogRecord) bool {
	if b == nil {
		return true
	}
	r := &b.rec
	r.reset()
	r.recordTime = lr.Timestamp() != 0
	r.recordLevel = lr.SeverityNumber() != plog.SeverityNumberUnspecified || lr.SeverityText() != ""
	fieldOf := &b.v.fieldOf
	lr.Attributes().Range(func(k string, v pcommon.Value) bool {
		if f, ok := fieldOf.Lookup(k); ok && v.Type() != pcommon.ValueTypeEmpty {
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

// Annotate lists the rules the record broke in aind.validation.errors, after
// the mapping, when on_violation is annotate.
func (b *Batch) Annotate(lr plog.LogRecord) {
	if b == nil || len(b.failed) == 0 || !b.v.annotate {
		return
	}
	s := lr.Attributes().PutEmptySlice(aind.AttrValidationErrors)
	s.EnsureCapacity(len(b.failed))
	for _, i := range b.failed {
		s.AppendEmpty().SetStr(b.v.rules[i].id)
	}
}

// Counts returns the batch's counts so far. They are the batch's own: valid
// until End.
func (b *Batch) Counts() Counts {
	if b == nil {
		return Counts{}
	}
	return Counts{Violations: b.counts, Dropped: b.dropped}
}

// End releases the state.
func (b *Batch) End() {
	if b == nil {
		return
	}
	clear(b.counts)
	b.dropped = 0
	b.failed = b.failed[:0]
	b.v.batches.Put(b)
}
