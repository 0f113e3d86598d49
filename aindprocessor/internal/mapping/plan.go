package mapping // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/mapping"

import (
	"iter"
	"maps"
	"slices"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// roleResource extends aind.Role for the configurable resource fields.
const roleResource = aind.Role(255)

// action is what the mapping does with one source key. It is resolved once
// from the configuration, so the hot path does one look-up per key.
type action struct {
	role   aind.Role
	target string
	// resource is the index into Plan.resourceAttrs for roleResource.
	resource int
	primary  bool
	// aindKey is the AIND key the source key stands for (its own name, or
	// the target of a rename), so validation can check fields by meaning.
	aindKey string
}

// Plan is the compiled configuration. It is read-only, so the mappers and
// grouper of concurrent batches share it.
type Plan struct {
	actions map[string]action
	// byKey is actions, for the per-record lookups.
	byKey KeyIndex[action]
	// resourceAttrs are the resource attribute names, indexed by
	// action.resource, in a stable order so grouping keys are stable.
	resourceAttrs      []string
	keepOriginal       bool
	defaultServiceName string
	// mapRecords false makes Prepare pass every record through: records
	// already in OpenTelemetry's shape (OTLP) keep their body and attributes.
	mapRecords bool
}

// New compiles a validated configuration.
func New(cfg Config) *Plan {
	p := &Plan{
		actions:            make(map[string]action),
		keepOriginal:       cfg.KeepOriginal,
		defaultServiceName: cfg.DefaultServiceName,
		mapRecords:         cfg.MapRecords,
	}
	for _, f := range aind.Fields {
		p.actions[f.Key] = action{role: f.Role, target: f.Target, primary: f.Primary, aindKey: f.Key}
	}
	attrIndex := map[string]int{}
	for _, key := range slices.Sorted(maps.Keys(cfg.ResourceFields)) {
		attr := cfg.ResourceFields[key]
		if attr == "" {
			continue // turned off: the key stays a record attribute
		}
		idx, ok := attrIndex[attr]
		if !ok {
			idx = len(p.resourceAttrs)
			attrIndex[attr] = idx
			p.resourceAttrs = append(p.resourceAttrs, attr)
		}
		p.actions[key] = action{role: roleResource, target: attr, resource: idx, aindKey: key}
	}
	// Renames resolve against the table above, not against each other, so
	// their order does not matter.
	base := maps.Clone(p.actions)
	for _, src := range slices.Sorted(maps.Keys(cfg.Fields)) {
		target := cfg.Fields[src]
		if a, ok := base[target]; ok {
			p.actions[src] = a // a.aindKey is target's
			continue
		}
		p.actions[src] = action{role: aind.RoleRename, target: target, aindKey: target}
	}
	p.byKey = NewKeyIndex(p.actions)
	return p
}

// AINDKey returns the AIND key a record's source key stands for, and whether
// the mapping has a row for it at all.
func (p *Plan) AINDKey(src string) (string, bool) {
	a, ok := p.actions[src]
	return a.aindKey, ok
}

// StandIns returns the keys of other protocols that stand for the AIND key
// (aind.Field.StandsFor: created for timestamp), unless a rename in the
// configuration gave one of them another meaning.
func (p *Plan) StandIns(key string) []string {
	var keys []string
	for _, f := range aind.Fields {
		if a, ok := p.actions[f.Key]; ok && f.StandsFor == key && a.aindKey == f.Key {
			keys = append(keys, f.Key)
		}
	}
	return keys
}

// SourceKeys yields every source key the mapping has a row for, with the
// AIND key it stands for.
func (p *Plan) SourceKeys() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for src, a := range p.actions {
			if !yield(src, a.aindKey) {
				return
			}
		}
	}
}

// isRecordKey reports whether key names one of the three required fields,
// which is how records whose fields are attributes (filelog's json_parser)
// are recognised.
func (p *Plan) isRecordKey(key string) bool {
	a, ok := p.byKey.Lookup(key)
	if !ok {
		return false
	}
	return a.role == aind.RoleTimestamp || a.role == aind.RoleLevel || a.role == aind.RoleMessage
}
