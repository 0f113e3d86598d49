package mapping // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/mapping"

import (
	"encoding/binary"
	"sort"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// Grouper builds the output batch. A resource group is identified by the
// input resource's content plus the record's resource field values, so equal
// resources from different input ResourceLogs (e.g. after batching) merge.
// One Grouper builds one batch.
type Grouper struct {
	plan   *Plan
	out    plog.Logs
	groups map[string]int
	scopes map[scopeKey]plog.ScopeLogs

	in         plog.ResourceLogs
	prefix     []byte // canonical form of the current input resource
	key        []byte // scratch for one record's group key
	inputScope int    // counts input ScopeLogs, for passthrough scopes
	// inputScopeName names the current input scope: a transport's logger
	// (a Loki push's logger label), the scope of mapped records whose own
	// fields name none.
	inputScopeName string
}

type scopeKey struct {
	group int
	// input is -1 for scopes named by logger; else the input ScopeLogs a
	// passthrough record came from.
	input int
	name  string
}

// NewGrouper returns a grouper for one output batch.
func (p *Plan) NewGrouper() *Grouper {
	return &Grouper{
		plan:   p,
		out:    plog.NewLogs(),
		groups: make(map[string]int),
		scopes: make(map[scopeKey]plog.ScopeLogs),
	}
}

// Logs returns the output batch.
func (g *Grouper) Logs() plog.Logs { return g.out }

// StartResource is called before the records of each input ResourceLogs: it
// computes the canonical form of the input resource once, not once per
// record.
func (g *Grouper) StartResource(rl plog.ResourceLogs) {
	g.in = rl
	attrs := rl.Resource().Attributes()
	keys := make([]string, 0, attrs.Len())
	attrs.Range(func(k string, _ pcommon.Value) bool {
		keys = append(keys, k)
		return true
	})
	sort.Strings(keys)
	g.prefix = appendField(g.prefix[:0], rl.SchemaUrl())
	for _, k := range keys {
		v, _ := attrs.Get(k)
		g.prefix = appendField(appendField(g.prefix, k), v.AsString())
	}
}

// StartScope is called before the records of each input ScopeLogs.
func (g *Grouper) StartScope(sl plog.ScopeLogs) {
	g.inputScope++
	g.inputScopeName = sl.Scope().Name()
}

// MappedScope returns the ScopeLogs for the record m has just mapped: named
// by the record's logger, else by its input scope, else aind.DefaultScopeName.
func (g *Grouper) MappedScope(m *Mapper) plog.ScopeLogs {
	values, set := m.resValues, m.resSet
	g.key = append(g.key[:0], g.prefix...)
	for i, v := range values {
		if set[i] {
			g.key = appendField(append(g.key, 1), v)
		} else {
			g.key = append(g.key, 0)
		}
	}
	group := g.group(values, set)
	name := m.scope
	if name == "" {
		name = g.inputScopeName
	}
	if name == "" {
		name = aind.DefaultScopeName
	}
	k := scopeKey{group: group, input: -1, name: name}
	sl, ok := g.scopes[k]
	if !ok {
		sl = g.out.ResourceLogs().At(group).ScopeLogs().AppendEmpty()
		sl.Scope().SetName(name)
		g.scopes[k] = sl
	}
	return sl
}

// PassthroughScope returns a copy of the record's own scope, under its own
// resource.
func (g *Grouper) PassthroughScope(in plog.ScopeLogs) plog.ScopeLogs {
	g.key = append(g.key[:0], g.prefix...)
	for range g.plan.resourceAttrs {
		g.key = append(g.key, 0)
	}
	group := g.group(nil, nil)
	k := scopeKey{group: group, input: g.inputScope}
	sl, ok := g.scopes[k]
	if !ok {
		sl = g.out.ResourceLogs().At(group).ScopeLogs().AppendEmpty()
		in.Scope().CopyTo(sl.Scope())
		sl.SetSchemaUrl(in.SchemaUrl())
		g.scopes[k] = sl
	}
	return sl
}

// group finds or creates the output ResourceLogs for g.key.
func (g *Grouper) group(values []string, set []bool) int {
	if idx, ok := g.groups[string(g.key)]; ok {
		return idx
	}
	idx := g.out.ResourceLogs().Len()
	g.groups[string(g.key)] = idx
	rl := g.out.ResourceLogs().AppendEmpty()
	rl.SetSchemaUrl(g.in.SchemaUrl())
	g.in.Resource().CopyTo(rl.Resource())
	attrs := rl.Resource().Attributes()
	for i, v := range values {
		if set[i] {
			attrs.PutStr(g.plan.resourceAttrs[i], v)
		}
	}
	if _, ok := attrs.Get(aind.ResourceServiceName); !ok {
		attrs.PutStr(aind.ResourceServiceName, g.plan.defaultServiceName)
	}
	return idx
}

// appendField appends a length-prefixed string, so that no two different
// field sequences share an encoding.
func appendField(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}
