package aindprocessor // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor"

import (
	"sort"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// roleResource extends aind.Role for the configurable resource fields.
const roleResource = aind.Role(255)

// action is what the mapping does with one source key. It is resolved once
// from the configuration, so the hot path does one map lookup per key.
type action struct {
	role   aind.Role
	target string
	// resource is the index into plan.resourceAttrs for roleResource.
	resource int
	primary  bool
	// aindKey is the AIND key the source key stands for (its own name, or
	// the target of a rename), so validation can check fields by meaning.
	aindKey string
}

// plan is the compiled configuration.
type plan struct {
	actions map[string]action
	// byKey is actions, for the per-record lookups.
	byKey keyIndex[action]
	// resourceAttrs are the resource attribute names, indexed by
	// action.resource, in a stable order so grouping keys are stable.
	resourceAttrs      []string
	keepOriginal       bool
	defaultServiceName string
}

func compile(cfg *Config) *plan {
	p := &plan{
		actions:            make(map[string]action),
		keepOriginal:       cfg.KeepOriginal,
		defaultServiceName: cfg.DefaultServiceName,
	}
	for _, f := range aind.Fields {
		p.actions[f.Key] = action{role: f.Role, target: f.Target, primary: f.Primary, aindKey: f.Key}
	}
	attrIndex := map[string]int{}
	for _, key := range sortedKeys(cfg.ResourceFields) {
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
	base := make(map[string]action, len(p.actions))
	for k, a := range p.actions {
		base[k] = a
	}
	renames := make([]string, 0, len(cfg.Fields))
	for k := range cfg.Fields {
		renames = append(renames, k)
	}
	sort.Strings(renames)
	for _, src := range renames {
		target := cfg.Fields[src]
		if a, ok := base[target]; ok {
			p.actions[src] = a // a.aindKey is target's
			continue
		}
		p.actions[src] = action{role: aind.RoleRename, target: target, aindKey: target}
	}
	p.byKey = newKeyIndex(p.actions)
	return p
}

// isRecordKey reports whether key names one of the three required fields,
// which is how records whose fields are attributes (filelog's json_parser)
// are recognised.
func (p *plan) isRecordKey(key string) bool {
	a, ok := p.byKey.lookup(key)
	if !ok {
		return false
	}
	return a.role == aind.RoleTimestamp || a.role == aind.RoleLevel || a.role == aind.RoleMessage
}
