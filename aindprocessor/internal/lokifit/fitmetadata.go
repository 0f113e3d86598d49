package lokifit // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// metadataFit is one record's structured-metadata fit in progress.
type metadataFit struct {
	// total is the record's structured metadata without what the fit has
	// folded, moved or cut so far.
	total smCost
	// reserve is what the flags the fit has decided to set will add;
	// foldFlag and truncFlag are what aind.folded.count and aind.truncated
	// would add.
	reserve, foldFlag, truncFlag smCost
	// folded is aind.folded.count before the fit.
	folded           int64
	folding, cutting bool
}

// planned is the record's structured metadata once the flags are set.
func (m *metadataFit) planned() smCost {
	c := m.total
	c.add(m.reserve)
	return c
}

// startFolding reserves room for aind.folded.count, once.
func (m *metadataFit) startFolding() {
	if !m.folding {
		m.folding = true
		m.reserve.add(m.foldFlag)
	}
}

// fitMetadata makes the structured metadata fit, in this order:
//  1. attributes whose names Loki refuses are folded into the body;
//  2. exception.stacktrace moves into the body, after the message;
//  3. over the entry count, attributes are folded into the body as JSON,
//     most entries first, the standard's fields last, aind.* flags never;
//  4. over the size, the longest string values are cut to a common length
//     (not below truncateFloor) and aind.truncated is set;
//  5. still over the size, attributes are folded, largest first.
func (f *fitter) fitMetadata(lr plog.LogRecord, fixed smCost) limitMask {
	l := f.lim
	total := f.collect(lr, fixed)
	invalid, sizeOver, entriesOver := f.anyInvalid(), l.sizeOver(total), l.entriesOver(total)
	if !sizeOver && !entriesOver && !invalid {
		return 0
	}
	// Over a limit with what it keeps whatever the fit does, the record
	// cannot be made to fit: leave it as it is.
	if !l.fits(f.keptCost(lr, fixed)) {
		return 0
	}
	m := f.startFit(total)
	f.foldInvalidNames(&m)
	if sizeOver || entriesOver {
		f.moveStacktrace(&m)
	}
	f.foldForEntries(&m)
	f.cutForSize(&m)
	f.foldForSize(&m)
	f.apply(lr, m.folded, m.cutting)
	return bitIf(StructuredMetadataSize, sizeOver) | bitIf(StructuredMetadataEntries, entriesOver) | bitIf(AttributeName, invalid)
}

// keptCost is what the record keeps whatever the fit does: its resource and
// scope, the fields Loki adds, and the aind.* flags.
func (f *fitter) keptCost(lr plog.LogRecord, fixed smCost) smCost {
	kept := fixed
	kept.add(recordFieldsCost(lr))
	for i := range f.items {
		if f.items[i].class == classProtected {
			kept.add(f.items[i].cost)
		}
	}
	return kept
}

// startFit begins a fit from the record's total, with what the flags the
// fit may set would add.
func (f *fitter) startFit(total smCost) metadataFit {
	m := metadataFit{total: total}
	foldIdx := f.find(aind.AttrFoldedCount)
	if foldIdx >= 0 && f.items[foldIdx].v.Type() == pcommon.ValueTypeInt {
		m.folded = f.items[foldIdx].v.Int()
	}
	m.foldFlag = f.flagReserve(foldIdx, smCost{1, f.lim.foldedName + intLen(m.folded+int64(len(f.items)))})
	m.truncFlag = f.flagReserve(f.find(aind.AttrTruncated), f.lim.truncFlag)
	return m
}

// flagReserve is what setting a flag to a value costing want adds to the
// total, given the flag's current item (or -1).
func (f *fitter) flagReserve(idx int, want smCost) smCost {
	if idx < 0 {
		return want
	}
	return smCost{0, max(0, want.size-f.items[idx].cost.size)}
}

// foldInvalidNames is step 1: a name Loki refuses fails the whole request.
// Such an attribute counted nothing in the total.
func (f *fitter) foldInvalidNames(m *metadataFit) {
	for i := range f.items {
		if it := &f.items[i]; !it.valid && it.class != classProtected {
			it.folded = true
			m.startFolding()
		}
	}
}

// moveStacktrace is step 2: the stack trace reads best in the body anyway.
func (f *fitter) moveStacktrace(m *metadataFit) {
	i := f.find(aind.AttrExceptionStack)
	if i >= 0 && f.items[i].valid && f.items[i].v.Type() == pcommon.ValueTypeStr {
		f.items[i].moved = true
		m.total.sub(f.items[i].cost)
	}
}

// foldForEntries is step 3: the entry count, leaving room for the flags,
// aind.truncated's entry included when step 4 is to cut.
func (f *fitter) foldForEntries(m *metadataFit) {
	l := f.lim
	if l.maxEntries == 0 {
		return
	}
	truncE := 0
	if l.sizeOver(m.total) {
		truncE = m.truncFlag.entries
	}
	if m.total.entries+m.reserve.entries+truncE <= l.maxEntries {
		return
	}
	m.startFolding()
	f.fold(&m.total, true, l.maxEntries-m.reserve.entries-truncE)
}

// cutForSize is step 4: over the size, the longest values are cut, and
// aind.truncated is set if anything was.
func (f *fitter) cutForSize(m *metadataFit) {
	l := f.lim
	if !l.sizeOver(m.planned()) {
		return
	}
	if cut, ok := f.truncate(m.total.size + m.reserve.size + m.truncFlag.size - l.maxSize); ok {
		m.cutting = true
		m.total.size -= cut
		m.reserve.add(m.truncFlag)
	}
}

// foldForSize is step 5: still over the size, attributes are folded.
func (f *fitter) foldForSize(m *metadataFit) {
	l := f.lim
	if !l.sizeOver(m.planned()) {
		return
	}
	m.startFolding()
	f.fold(&m.total, false, l.maxSize-m.reserve.size)
}
