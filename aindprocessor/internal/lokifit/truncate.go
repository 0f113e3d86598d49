package lokifit // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"

import (
	"sort"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/utf8text"
)

// truncateFloor is the length below which the guard does not cut an
// attribute value to fit the structured-metadata size; it folds attributes
// into the body instead.
const truncateFloor = 256

// leafRef is a string value the fit may cut.
type leafRef struct {
	item int
	v    pcommon.Value
	n    int
}

// truncate cuts the longest string values (top-level or in maps) of the
// attributes that stay, to one common length, so that together they lose
// at least excess bytes, and returns the bytes cut. It cuts nothing below
// truncateFloor. It reports whether it cut anything.
func (f *fitter) truncate(excess int) (int, bool) {
	f.leaves = f.leaves[:0]
	for i := range f.items {
		it := &f.items[i]
		if !it.gone() && it.valid && it.class != classProtected {
			f.addLeaves(i, it.v)
		}
	}
	sort.Slice(f.leaves, func(a, b int) bool { return f.leaves[a].n > f.leaves[b].n })
	level := max(waterLevel(f.leaves, excess), truncateFloor)
	changed := false
	for _, lf := range f.leaves {
		if lf.n <= level {
			break
		}
		s := lf.v.Str()
		lf.v.SetStr(strings.Clone(utf8text.Cut(s, level)))
		f.items[lf.item].cut = true
		changed = true
	}
	if !changed {
		return 0, false
	}
	// Recount what was cut: a value under Loki's excluded name counted
	// nothing to begin with.
	cut := 0
	for i := range f.items {
		if it := &f.items[i]; it.cut {
			c, _ := f.acct.attrCost(it.key, it.v)
			cut += it.cost.size - c.size
			it.cost = c
		}
	}
	return cut, true
}

// addLeaves adds the string values of v, at any depth of maps, to f.leaves.
func (f *fitter) addLeaves(item int, v pcommon.Value) {
	switch v.Type() {
	case pcommon.ValueTypeStr:
		f.leaves = append(f.leaves, leafRef{item: item, v: v, n: len(v.Str())})
	case pcommon.ValueTypeMap:
		v.Map().Range(func(_ string, child pcommon.Value) bool {
			f.addLeaves(item, child)
			return true
		})
	}
}

// waterLevel is the largest length C such that cutting every leaf (sorted
// longest first) to C removes at least excess bytes; 0 if none does.
func waterLevel(leaves []leafRef, excess int) int {
	sum := 0
	for k := 1; k <= len(leaves); k++ {
		sum += leaves[k-1].n
		if sum < excess {
			continue
		}
		level := (sum - excess) / k
		next := 0
		if k < len(leaves) {
			next = leaves[k].n
		}
		if level >= next {
			return level
		}
	}
	return 0
}
