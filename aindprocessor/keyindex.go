package aindprocessor // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor"

import "sort"

// keyIndex finds what a record key stands for. The keys are few and known
// at start: indexing them by length and comparing the few of a record key's
// length costs less than hashing every key of every record.
type keyIndex[V any] struct {
	byLen [][]indexEntry[V]
}

type indexEntry[V any] struct {
	key string
	v   V
}

func newKeyIndex[V any](entries map[string]V) keyIndex[V] {
	var x keyIndex[V]
	keys := make([]string, 0, len(entries))
	for k := range entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for len(x.byLen) <= len(k) {
			x.byLen = append(x.byLen, nil)
		}
		x.byLen[len(k)] = append(x.byLen[len(k)], indexEntry[V]{key: k, v: entries[k]})
	}
	return x
}

func (x *keyIndex[V]) lookup(k string) (V, bool) {
	if len(k) < len(x.byLen) {
		for _, e := range x.byLen[len(k)] {
			if e.key == k {
				return e.v, true
			}
		}
	}
	var zero V
	return zero, false
}
