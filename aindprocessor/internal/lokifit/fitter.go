package lokifit // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// Classes of attributes, in the order the guard gives them up.
const (
	classOther     uint8 = iota // folded first
	classKnown                  // the standard's fields: folded last
	classProtected              // aind.* flags: never folded or cut
)

// attrItem is one top-level record attribute during an exact fit.
type attrItem struct {
	key   string
	v     pcommon.Value
	cost  smCost
	valid bool // Loki accepts its name
	class uint8
	// what the fit does with it
	folded, moved, cut bool
}

func (it *attrItem) gone() bool { return it.folded || it.moved }

// fitter applies the limits to batches, one at a time; its buffers are
// reused across batches.
type fitter struct {
	lim  *limits
	acct accountant

	items  []attrItem
	leaves []leafRef
	order  []int
	body   bytes.Buffer
	json   bytes.Buffer
	enc    *json.Encoder
}

func newFitter(l *limits) *fitter {
	f := &fitter{lim: l}
	f.enc = json.NewEncoder(&f.json)
	f.enc.SetEscapeHTML(false)
	return f
}

// fitLogs fits every record of ld.
func (f *fitter) fitLogs(ld plog.Logs, now time.Time) Result {
	var res Result
	w := f.lim.window(now)
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		rl := rls.At(i)
		resource := f.acct.resourceCost(rl.Resource(), f.lim.indexLabels)
		sls := rl.ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			sl := sls.At(j)
			fixed := resource
			fixed.add(f.acct.scopeCost(sl.Scope()))
			lrs := sl.LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				res.add(f.fitRecord(lrs.At(k), fixed, w))
			}
		}
	}
	f.release()
	return res
}

// release readies the fitter for its pool: it keeps no reference to the
// batch, and no buffer grown by an outsized record.
func (f *fitter) release() {
	clear(f.items[:cap(f.items)])
	clear(f.leaves[:cap(f.leaves)])
	if f.body.Cap() > 1<<20 {
		f.body = bytes.Buffer{}
	}
	if f.json.Cap() > 1<<20 {
		f.json = bytes.Buffer{} // f.enc writes to &f.json, which stays
	}
}

// fitRecord makes one record fit. fixed is what its resource and scope add
// to its structured metadata.
func (f *fitter) fitRecord(lr plog.LogRecord, fixed smCost, w window) (fixes, unfixable limitMask) {
	if w.check && w.fit(lr) {
		fixes.set(Timestamp)
	}
	if f.quickFits(lr, fixed) {
		return fixes, 0
	}
	// A cut line adds aind.truncated, which may push the structured
	// metadata over; the second round makes room for it.
	for round := 0; round < 2; round++ {
		fixes.or(f.fitMetadata(lr, fixed))
		cut, flagged := f.fitLine(lr)
		if cut {
			fixes.set(LineSize)
		}
		if !flagged {
			break
		}
	}
	return fixes, f.check(lr, fixed)
}

// quickFits checks cheap upper bounds: the common small record costs one
// walk over its attributes and no allocation.
func (f *fitter) quickFits(lr plog.LogRecord, fixed smCost) bool {
	l := f.lim
	if l.maxLine > 0 && lineBound(lr.Body()) > l.maxLine {
		return false
	}
	c := fixed
	c.add(recordFieldsBound(lr))
	ok := true
	lr.Attributes().Range(func(k string, v pcommon.Value) bool {
		if len(k) == 0 || !labelNameKeeps(rune(k[0])) && !validLabelName(k) {
			ok = false
			return false
		}
		c.add(attrBound(k, v))
		return true
	})
	return ok && l.fits(c)
}

// collect does the exact accounting of a record's attributes into f.items
// and returns the record's total, resource and scope included.
func (f *fitter) collect(lr plog.LogRecord, fixed smCost) smCost {
	total := fixed
	total.add(recordFieldsCost(lr))
	f.items = f.items[:0]
	lr.Attributes().Range(func(k string, v pcommon.Value) bool {
		c, ok := f.acct.attrCost(k, v)
		class := classOther
		if strings.HasPrefix(k, "aind.") {
			class = classProtected
		} else if _, known := f.lim.known[k]; known {
			class = classKnown
		}
		f.items = append(f.items, attrItem{key: k, v: v, cost: c, valid: ok, class: class})
		if ok {
			total.add(c)
		}
		return true
	})
	return total
}

// find is the index of the item of key, or -1.
func (f *fitter) find(key string) int {
	for i := range f.items {
		if f.items[i].key == key {
			return i
		}
	}
	return -1
}

// anyInvalid reports whether Loki refuses the name of one of f.items.
func (f *fitter) anyInvalid() bool {
	for i := range f.items {
		if !f.items[i].valid {
			return true
		}
	}
	return false
}

// check returns the limits the record still breaks after the fit.
func (f *fitter) check(lr plog.LogRecord, fixed smCost) (broken limitMask) {
	l := f.lim
	total := f.collect(lr, fixed)
	if f.anyInvalid() {
		broken.set(AttributeName)
	}
	if l.sizeOver(total) {
		broken.set(StructuredMetadataSize)
	}
	if l.entriesOver(total) {
		broken.set(StructuredMetadataEntries)
	}
	if l.maxLine > 0 && lineBound(lr.Body()) > l.maxLine && len(lr.Body().AsString()) > l.maxLine {
		broken.set(LineSize)
	}
	return broken
}
