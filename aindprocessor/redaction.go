package aindprocessor // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor"

import (
	"context"
	"slices"
	"strings"
	"sync"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/otel/metric"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// redaction applies the redaction section to output batches.
type redaction struct {
	r         *redactor
	telemetry *metadata.TelemetryBuilder
	kindOpts  []metric.AddOption
	scratch   sync.Pool
	err       error
}

// compileRedaction compiles the redaction section once, at start. It is nil
// when redaction is off.
func compileRedaction(c *RedactionConfig, telemetry *metadata.TelemetryBuilder) *redaction {
	if !c.Enabled {
		return nil
	}
	r, err := newRedactor(c)
	rd := &redaction{r: r, telemetry: telemetry, err: err}
	for _, k := range r.kinds {
		rd.kindOpts = append(rd.kindOpts, metadata.WithKindAttr(k))
	}
	rd.scratch.New = func() any { return r.newScratch() }
	return rd
}

// compileErr is the error of an invalid configuration that bypassed
// Validate; the factory refuses to create the processor with it.
func (rd *redaction) compileErr() error {
	if rd == nil {
		return nil
	}
	return rd.err
}

// redactLogs redacts every record, every resource once and every scope
// once. A record's aind.redacted.count counts what was redacted in it and in
// its resource and scope: all of that is exported with the record.
func (rd *redaction) redactLogs(ctx context.Context, ld plog.Logs) {
	if rd == nil {
		return
	}
	st := rd.scratch.Get().(*redactScratch)
	defer rd.scratch.Put(st)
	clear(st.counts)
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		rl := rls.At(i)
		st.startPath("resource", &st.resPaths)
		resN := st.mapValue(rl.Resource().Attributes(), false)
		sls := rl.ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			sl := sls.At(j)
			scopeN := st.scope(sl.Scope())
			lrs := sl.LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				lr := lrs.At(k)
				n := st.record(lr) + resN + scopeN
				if n == 0 {
					continue
				}
				attrs := lr.Attributes()
				total := int64(n)
				if prev, ok := attrs.Get(aind.AttrRedactedCount); ok && prev.Type() == pcommon.ValueTypeInt {
					total += prev.Int() // an earlier pass redacted too
				}
				attrs.PutInt(aind.AttrRedactedCount, total)
				if st.r.report {
					st.putPaths(attrs)
				}
			}
		}
	}
	for k, n := range st.counts {
		if n > 0 {
			rd.telemetry.ProcessorAindRedactions.Add(ctx, n, rd.kindOpts[k])
		}
	}
}

func (st *redactScratch) scope(sc pcommon.InstrumentationScope) int {
	st.startPath("scope", &st.scpPaths)
	n := 0
	if out, k := st.redactString(sc.Name()); k > 0 {
		sc.SetName(out)
		n += k
		st.note(".name")
	}
	if out, k := st.redactString(sc.Version()); k > 0 {
		sc.SetVersion(out)
		n += k
		st.note(".version")
	}
	if st.r.report {
		st.path = append(st.path, ".attributes"...)
	}
	return n + st.mapValue(sc.Attributes(), false)
}

func (st *redactScratch) record(lr plog.LogRecord) int {
	st.startPath("body", &st.found)
	n := st.value(lr.Body())
	st.setPath("attributes")
	n += st.mapValue(lr.Attributes(), true)
	if out, k := st.redactString(lr.SeverityText()); k > 0 {
		lr.SetSeverityText(out)
		n += k
		st.setPath("severity_text")
		st.note("")
	}
	if out, k := st.redactString(lr.EventName()); k > 0 {
		lr.SetEventName(out)
		n += k
		st.setPath("event_name")
		st.note("")
	}
	return n
}

// value redacts a value of any type in place.
func (st *redactScratch) value(v pcommon.Value) int {
	switch v.Type() {
	case pcommon.ValueTypeStr:
		out, n := st.redactString(v.Str())
		if n > 0 {
			v.SetStr(out)
			st.note("")
		}
		return n
	case pcommon.ValueTypeMap:
		return st.mapValue(v.Map(), false)
	case pcommon.ValueTypeSlice:
		sl := v.Slice()
		n := 0
		for i := 0; i < sl.Len(); i++ {
			n += st.value(sl.At(i))
		}
		return n
	}
	return 0
}

// mapValue applies the key rule to every key of m and redacts the other
// values. top marks a record's attributes, where the processor's own aind.*
// flags are skipped.
func (st *redactScratch) mapValue(m pcommon.Map, top bool) int {
	n := 0
	m.Range(func(k string, v pcommon.Value) bool {
		if top && strings.HasPrefix(k, "aind.") {
			return true
		}
		mark := st.pushPath(k)
		if st.keyBlocked(k) {
			if st.replaceWhole(v) {
				n++
				st.counts[kindKey]++
				st.note("")
			}
		} else {
			n += st.value(v)
		}
		st.popPath(mark)
		return true
	})
	return n
}

// keyCacheSize is the number of key decisions a scratch remembers: the
// same attribute names come back in every record.
const keyCacheSize = 256

type keyDecision struct {
	key     string
	blocked bool
}

// keyBlocked applies the key rule, through a small direct-mapped cache.
func (st *redactScratch) keyBlocked(k string) bool {
	if k == "" {
		return false
	}
	h := (uint(len(k))*131 + uint(k[0])*31 + uint(k[len(k)/2])*7 + uint(k[len(k)-1])) % keyCacheSize
	d := &st.keys[h]
	if d.key == k {
		return d.blocked
	}
	var blocked bool
	_, blocked, st.words = st.r.keys.blocked(k, st.words)
	if len(k) <= 64 {
		// A copy: the key may point into a large decoded buffer.
		*d = keyDecision{key: strings.Clone(k), blocked: blocked}
	}
	return blocked
}

// replaceWhole replaces a value under a blocked key, whatever its type.
// Empty values and markers are left alone.
func (st *redactScratch) replaceWhole(v pcommon.Value) bool {
	switch v.Type() {
	case pcommon.ValueTypeEmpty:
		return false
	case pcommon.ValueTypeStr:
		if s := v.Str(); s == "" || isRedactionMarker(s) {
			return false
		}
		v.SetStr(st.marker(v.Str()))
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
	v.SetStr(st.marker(v.AsString()))
	return true
}

// Paths for report_keys. Nothing is recorded unless it is on.

// startPath starts the paths of a resource, scope or record at root, into
// list.
func (st *redactScratch) startPath(root string, list *[]string) {
	if !st.r.report {
		return
	}
	*list = (*list)[:0]
	st.cur = list
	st.setPath(root)
}

func (st *redactScratch) setPath(root string) {
	if st.r.report {
		st.path = append(st.path[:0], root...)
	}
}

func (st *redactScratch) pushPath(k string) int {
	if !st.r.report {
		return 0
	}
	mark := len(st.path)
	st.path = append(append(st.path, '.'), k...)
	return mark
}

func (st *redactScratch) popPath(mark int) {
	if st.r.report {
		st.path = st.path[:mark]
	}
}

// note records the current path (plus suffix) as redacted.
func (st *redactScratch) note(suffix string) {
	if !st.r.report {
		return
	}
	p := string(st.path) + suffix
	if !slices.Contains(*st.cur, p) {
		*st.cur = append(*st.cur, p)
	}
}

// putPaths writes aind.redacted.keys: the record's, its scope's and its
// resource's redacted paths, sorted.
func (st *redactScratch) putPaths(attrs pcommon.Map) {
	all := make([]string, 0, len(st.found)+len(st.scpPaths)+len(st.resPaths))
	all = append(append(append(all, st.found...), st.scpPaths...), st.resPaths...)
	slices.Sort(all)
	all = slices.Compact(all)
	s := attrs.PutEmptySlice(aind.AttrRedactedKeys)
	s.EnsureCapacity(len(all))
	for _, p := range all {
		s.AppendEmpty().SetStr(p)
	}
}
