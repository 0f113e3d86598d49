package pdatajson // import "github.com/AllenNeuralDynamics/otelcol-aind/internal/pdatajson"

import "go.opentelemetry.io/collector/pdata/pcommon"

// largeObjectKeys is the number of keys up to which an object is built with
// pcommon.Map.PutEmpty. PutEmpty searches the keys so far, which makes an
// object of n keys cost n²/2 comparisons: nothing for a log record, but
// minutes of CPU for a hostile megabyte of `"k1":0,"k2":0,…`.
const largeObjectKeys = 64

// largeObject collects the keys of an object beyond largeObjectKeys with a
// Go map for the duplicate check (the last value of a key wins, as for
// smaller objects) and builds the pdata map once, in linear time. The key
// order of such an object is not kept.
type largeObject struct {
	index  map[string]int // key → position of its last value in values
	values pcommon.Slice
}

// newLargeObject takes over the keys m holds so far.
func newLargeObject(m pcommon.Map) *largeObject {
	l := &largeObject{index: make(map[string]int, 4*largeObjectKeys), values: pcommon.NewSlice()}
	m.Range(func(k string, v pcommon.Value) bool {
		v.MoveTo(l.put(k))
		return true
	})
	m.Clear()
	return l
}

// put returns the empty value to decode key's value into. A duplicate key
// leaves its earlier value behind, unused.
func (l *largeObject) put(key string) pcommon.Value {
	l.index[key] = l.values.Len()
	return l.values.AppendEmpty()
}

// finish builds m, which is empty, from the collected keys.
func (l *largeObject) finish(m pcommon.Map) {
	raw := make(map[string]any, len(l.index))
	for k := range l.index {
		raw[k] = nil
	}
	_ = m.FromRaw(raw) // nil values cannot fail
	m.Range(func(k string, v pcommon.Value) bool {
		l.values.At(l.index[k]).MoveTo(v)
		return true
	})
}
