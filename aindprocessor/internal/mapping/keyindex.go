package mapping // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/mapping"

import (
	"maps"
	"slices"
)

// KeyIndex finds what a record key stands for. The keys are few and known
// at start: indexing them by length and comparing the few of a record key's
// length costs less than hashing every key of every record.
type KeyIndex[V any] struct {
	byLen [][]indexEntry[V]
}

type indexEntry[V any] struct {
	key string
	v   V
}

// NewKeyIndex indexes entries.
func NewKeyIndex[V any](entries map[string]V) KeyIndex[V] {
	var x KeyIndex[V]
	for _, k := range slices.Sorted(maps.Keys(entries)) {
		for len(x.byLen) <= len(k) {
			x.byLen = append(x.byLen, nil)
		}
		x.byLen[len(k)] = append(x.byLen[len(k)], indexEntry[V]{key: k, v: entries[k]})
	}
	return x
}

// Lookup returns what k stands for, and whether it is indexed.
func (x *KeyIndex[V]) Lookup(k string) (V, bool) {
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
