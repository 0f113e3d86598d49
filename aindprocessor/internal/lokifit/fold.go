package lokifit // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"

import "sort"

// fold marks attributes as folded, and takes them off total, until total's
// entries (byEntries) or size is at most room. It folds by entries (most
// first) or by size (largest first); other attributes before the standard's
// fields, later ones before earlier ones; aind.* flags never.
func (f *fitter) fold(total *smCost, byEntries bool, room int) {
	f.order = f.order[:0]
	for i := range f.items {
		it := &f.items[i]
		if !it.gone() && it.valid && it.class != classProtected && (it.cost.entries > 0 || it.cost.size > 0) {
			f.order = append(f.order, i)
		}
	}
	sort.Slice(f.order, func(a, b int) bool {
		x, y := &f.items[f.order[a]], &f.items[f.order[b]]
		if x.class != y.class {
			return x.class < y.class
		}
		if byEntries && x.cost.entries != y.cost.entries {
			return x.cost.entries > y.cost.entries
		}
		if x.cost.size != y.cost.size {
			return x.cost.size > y.cost.size
		}
		return f.order[a] > f.order[b]
	})
	for _, i := range f.order {
		if byEntries && total.entries <= room || !byEntries && total.size <= room {
			return
		}
		f.items[i].folded = true
		total.sub(f.items[i].cost)
	}
}
