package mapping // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/mapping"

import "go.opentelemetry.io/collector/pdata/pcommon"

// pendingAttrs holds the values the mapping renames while it walks a
// record's attributes, which cannot grow during the walk. Its value holders
// are reused from record to record: a value moved in and out of one costs
// no allocation.
type pendingAttrs struct {
	keys   []string
	values []pcommon.Value
}

// put returns an empty holder for key's value.
func (p *pendingAttrs) put(key string) pcommon.Value {
	if len(p.keys) == len(p.values) {
		p.values = append(p.values, pcommon.NewValueEmpty())
	}
	p.keys = append(p.keys, key)
	return p.values[len(p.keys)-1]
}

// flushTo moves the held values into attrs (a later key wins) and empties p.
func (p *pendingAttrs) flushTo(attrs pcommon.Map) {
	for i, k := range p.keys {
		p.values[i].MoveTo(attrs.PutEmpty(k))
	}
	p.keys = p.keys[:0]
}
