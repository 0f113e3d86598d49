package redact // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"

import (
	"slices"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// pathReport collects the paths of what was redacted, for report_keys.
// Nothing is recorded unless it is on.
type pathReport struct {
	on   bool
	path []byte    // of the value being walked
	cur  *[]string // where note records: record, scope or resource
	// The paths redacted in the current record, its scope and its
	// resource.
	record, scope, resource []string
}

// start starts the paths of a resource, scope or record at root, into
// list.
func (p *pathReport) start(list *[]string, root string) {
	if !p.on {
		return
	}
	*list = (*list)[:0]
	p.cur = list
	p.set(root)
}

// set makes root the current path.
func (p *pathReport) set(root string) {
	if p.on {
		p.path = append(p.path[:0], root...)
	}
}

// push descends into key k; pop(mark) comes back.
func (p *pathReport) push(k string) (mark int) {
	if !p.on {
		return 0
	}
	mark = len(p.path)
	p.path = append(append(p.path, '.'), k...)
	return mark
}

func (p *pathReport) pop(mark int) {
	if p.on {
		p.path = p.path[:mark]
	}
}

// descend appends a fixed suffix (.attributes) to the current path.
func (p *pathReport) descend(suffix string) {
	if p.on {
		p.path = append(p.path, suffix...)
	}
}

// note records the current path (plus suffix) as redacted.
func (p *pathReport) note(suffix string) {
	if !p.on {
		return
	}
	s := string(p.path) + suffix
	if !slices.Contains(*p.cur, s) {
		*p.cur = append(*p.cur, s)
	}
}

// put writes aind.redacted.keys: the record's, its scope's and its
// resource's redacted paths, sorted.
func (p *pathReport) put(attrs pcommon.Map) {
	all := make([]string, 0, len(p.record)+len(p.scope)+len(p.resource))
	all = append(append(append(all, p.record...), p.scope...), p.resource...)
	slices.Sort(all)
	all = slices.Compact(all)
	s := attrs.PutEmptySlice(aind.AttrRedactedKeys)
	s.EnsureCapacity(len(all))
	for _, path := range all {
		s.AppendEmpty().SetStr(path)
	}
}
