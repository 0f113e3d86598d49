package redact // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// walker redacts a batch: every resource once, every scope once, and every
// record, down to the strings inside maps and slices at any depth. It is
// one goroutine's at a time (Redactor.walkers).
type walker struct {
	scanner
	keys  keyCache
	paths pathReport
}

func (w *walker) logs(ld plog.Logs) {
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		rl := rls.At(i)
		w.paths.start(&w.paths.resource, "resource")
		resN := w.mapValue(rl.Resource().Attributes(), false)
		sls := rl.ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			sl := sls.At(j)
			scopeN := w.scope(sl.Scope())
			lrs := sl.LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				lr := lrs.At(k)
				if n := w.record(lr) + resN + scopeN; n > 0 {
					w.annotate(lr.Attributes(), n)
				}
			}
		}
	}
}

// annotate adds n to the record's aind.redacted.count, and writes its
// paths when report_keys is on.
func (w *walker) annotate(attrs pcommon.Map, n int) {
	total := int64(n)
	if prev, ok := attrs.Get(aind.AttrRedactedCount); ok && prev.Type() == pcommon.ValueTypeInt {
		total += prev.Int() // an earlier pass redacted too
	}
	attrs.PutInt(aind.AttrRedactedCount, total)
	if w.paths.on {
		w.paths.put(attrs)
	}
}

func (w *walker) scope(sc pcommon.InstrumentationScope) int {
	w.paths.start(&w.paths.scope, "scope")
	n := w.field(sc.Name(), sc.SetName, ".name")
	n += w.field(sc.Version(), sc.SetVersion, ".version")
	w.paths.descend(".attributes")
	return n + w.mapValue(sc.Attributes(), false)
}

func (w *walker) record(lr plog.LogRecord) int {
	w.paths.start(&w.paths.record, "body")
	n := w.value(lr.Body())
	w.paths.set("attributes")
	n += w.mapValue(lr.Attributes(), true)
	w.paths.set("")
	n += w.field(lr.SeverityText(), lr.SetSeverityText, "severity_text")
	return n + w.field(lr.EventName(), lr.SetEventName, "event_name")
}

// field redacts a string field, written back by set, and notes the current
// path plus suffix.
func (w *walker) field(s string, set func(string), suffix string) int {
	out, n := w.redact(s)
	if n > 0 {
		set(out)
		w.paths.note(suffix)
	}
	return n
}

// value redacts a value of any type in place. Bytes are not scanned.
func (w *walker) value(v pcommon.Value) int {
	switch v.Type() {
	case pcommon.ValueTypeStr:
		return w.field(v.Str(), v.SetStr, "")
	case pcommon.ValueTypeMap:
		return w.mapValue(v.Map(), false)
	case pcommon.ValueTypeSlice:
		sl := v.Slice()
		n := 0
		for i := 0; i < sl.Len(); i++ {
			n += w.value(sl.At(i))
		}
		return n
	}
	return 0
}

// mapValue applies the key rule to every key of m and redacts the other
// values. top marks a record's attributes, where the processor's own aind.*
// flags are skipped.
func (w *walker) mapValue(m pcommon.Map, top bool) int {
	n := 0
	m.Range(func(k string, v pcommon.Value) bool {
		if top && strings.HasPrefix(k, "aind.") {
			return true
		}
		mark := w.paths.push(k)
		if w.keys.blocked(w.r.keys, k) {
			if w.replaceWhole(v) {
				n++
				w.counts[kindKey]++
				w.paths.note("")
			}
		} else {
			n += w.value(v)
		}
		w.paths.pop(mark)
		return true
	})
	return n
}

// replaceWhole replaces a value under a blocked key, whatever its type.
// Empty values and markers are left alone.
func (w *walker) replaceWhole(v pcommon.Value) bool {
	switch v.Type() {
	case pcommon.ValueTypeEmpty:
		return false
	case pcommon.ValueTypeStr:
		if s := v.Str(); s == "" || isMarker(s) {
			return false
		}
		v.SetStr(w.marks.whole(v.Str()))
		return true
	case pcommon.ValueTypeMap:
		if v.Map().Len() == 0 {
			return false
		}
	case pcommon.ValueTypeSlice:
		if v.Slice().Len() == 0 {
			return false
		}
	case pcommon.ValueTypeBytes:
		if v.Bytes().Len() == 0 {
			return false
		}
	}
	v.SetStr(w.marks.whole(v.AsString()))
	return true
}
