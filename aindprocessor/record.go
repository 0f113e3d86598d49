package aindprocessor // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor"

import (
	"math"
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/pdatajson"
)

// mapper maps one record at a time. Its state is reset per record and its
// buffers are reused, so mapping allocates little beyond what pdata needs.
type mapper struct {
	plan *plan

	// Per-record results beyond the record itself.
	resValues []string
	resSet    []bool
	scope     string

	// pending holds renamed values: they cannot be added to the attributes
	// while those are being walked.
	pending   pendingAttrs
	pathDone  bool
	pathKey   string // a non-primary code.file.path source, used if no primary shows up
	stack     string
	scratch   pcommon.Map // a JSON body string decoded into a map
	emptyBody pcommon.Value
}

func newMapper(p *plan) *mapper {
	return &mapper{
		plan:      p,
		resValues: make([]string, len(p.resourceAttrs)),
		resSet:    make([]bool, len(p.resourceAttrs)),
		scratch:   pcommon.NewMap(),
		emptyBody: pcommon.NewValueEmpty(),
	}
}

// prepare finds the AIND fields of a record, whatever shape it came in, and
// moves them into its attributes, next to the attributes it already had (a
// record's own fields win). It reports false for a record that holds no AIND
// record: that one passes through untouched.
func (m *mapper) prepare(lr plog.LogRecord) bool {
	body := lr.Body()
	attrs := lr.Attributes()
	switch {
	case body.Type() == pcommon.ValueTypeMap: // 1: aindreceiver's parsed object
		mergeInto(body.Map(), attrs)
	case m.hasRecordKey(attrs): // 3: filelog's json_parser
	case body.Type() == pcommon.ValueTypeStr && looksLikeObject(body.Str()): // 2: OTLP, Loki push
		m.scratch.Clear()
		if pdatajson.ParseObject([]byte(body.Str()), m.scratch) != nil {
			return false
		}
		mergeInto(m.scratch, attrs)
	default:
		return false
	}
	// The message, if any, becomes the body while the fields are walked.
	m.emptyBody.CopyTo(body)
	return true
}

// mergeInto moves fields into attrs. Attributes attrs already has (such as
// log.file.name from the receiver) are kept unless fields has the same key.
func mergeInto(fields, attrs pcommon.Map) {
	attrs.Range(func(k string, v pcommon.Value) bool {
		if _, clash := fields.Get(k); !clash {
			v.MoveTo(fields.PutEmpty(k))
		}
		return true
	})
	fields.MoveTo(attrs)
}

func (m *mapper) hasRecordKey(attrs pcommon.Map) bool {
	found := false
	attrs.Range(func(k string, _ pcommon.Value) bool {
		found = m.plan.isRecordKey(k)
		return !found
	})
	return found
}

func looksLikeObject(s string) bool {
	s = strings.TrimLeft(s, " \t\r\n")
	return s != "" && s[0] == '{'
}

// mapRecord applies the mapping to a prepared record: every key with a row
// in the mapping moves to its OpenTelemetry place; a key whose value cannot
// be applied stays where it is, so nothing is lost.
func (m *mapper) mapRecord(lr plog.LogRecord) {
	clear(m.resSet)
	m.scope, m.pathDone, m.pathKey, m.stack = "", false, "", ""

	attrs := lr.Attributes()
	attrs.RemoveIf(func(k string, v pcommon.Value) bool {
		a, ok := m.plan.byKey.lookup(k)
		if !ok {
			return false
		}
		return m.apply(lr, k, v, a) && !m.plan.keepOriginal
	})
	if !m.pathDone && m.pathKey != "" {
		if v, ok := attrs.Get(m.pathKey); ok {
			m.take(v, m.pending.put(aind.AttrCodeFilePath))
			if !m.plan.keepOriginal {
				attrs.Remove(m.pathKey)
			}
		}
	}
	m.pending.flushTo(attrs)
	if m.stack != "" {
		if _, given := attrs.Get(aind.AttrExceptionType); !given {
			if typ, msg, ok := pythonException(m.stack); ok {
				attrs.PutStr(aind.AttrExceptionType, typ)
				if _, given := attrs.Get(aind.AttrExceptionMessage); !given && msg != "" {
					attrs.PutStr(aind.AttrExceptionMessage, msg)
				}
			}
		}
	}
}

// apply carries out one action and reports whether it could.
func (m *mapper) apply(lr plog.LogRecord, key string, v pcommon.Value, a action) bool {
	switch a.role {
	case aind.RoleTimestamp:
		ts, _, ok := aind.ParseTimestamp(v)
		if ok {
			// The observed timestamp is the line's own too: a line read
			// again after a crash, or sent again by a client, must be
			// exported identically for Loki to keep one copy, and Loki
			// stores the observed timestamp as structured metadata. The
			// time the line was read is what is given up (README).
			lr.SetTimestamp(ts)
			lr.SetObservedTimestamp(ts)
		}
		return ok
	case aind.RoleLevel:
		return setSeverity(lr, v)
	case aind.RoleMessage:
		m.take(v, lr.Body())
		return true
	case aind.RoleInt:
		n, ok := asInt(v)
		switch {
		case !ok:
		case v.Type() == pcommon.ValueTypeInt:
			m.take(v, m.pending.put(a.target)) // no new value needed
		default:
			m.pending.put(a.target).SetInt(n)
		}
		return ok
	case aind.RoleRename:
		m.take(v, m.pending.put(a.target))
		return true
	case aind.RoleFilePath:
		if v.Type() != pcommon.ValueTypeStr {
			return false
		}
		if a.primary && !m.pathDone {
			m.take(v, m.pending.put(a.target))
			m.pathDone = true
			return true
		}
		if !a.primary && m.pathKey == "" {
			m.pathKey = key // decided after the walk: a primary key may follow
		}
		return false
	case aind.RoleStacktrace:
		if v.Type() != pcommon.ValueTypeStr || m.stack != "" {
			return false
		}
		m.stack = v.Str()
		m.take(v, m.pending.put(a.target))
		return true
	case aind.RoleScope:
		if v.Type() != pcommon.ValueTypeStr {
			return false
		}
		m.scope = v.Str()
		return true
	case aind.RoleID:
		canonicalString(v)
		if key != a.aindKey { // renamed by `fields:`, e.g. mouse → subject_id
			m.take(v, m.pending.put(a.aindKey))
			return true
		}
		return false // stays a record attribute, under its own name
	case roleResource:
		if !isScalar(v) {
			return false
		}
		m.resValues[a.resource] = v.AsString()
		m.resSet[a.resource] = true
		return true
	}
	return false
}

// take puts a source field's value at its OpenTelemetry place: moved, since
// the field is removed after it, or copied when the plan keeps originals.
func (m *mapper) take(v, dst pcommon.Value) {
	if m.plan.keepOriginal {
		v.CopyTo(dst)
		return
	}
	v.MoveTo(dst)
}

// setSeverity keeps a written level as SeverityText. A Python number gets its
// level's name as text: the number alone tells a reader less.
func setSeverity(lr plog.LogRecord, v pcommon.Value) bool {
	if v.Type() == pcommon.ValueTypeStr {
		sev, _ := aind.SeverityFromText(v.Str())
		lr.SetSeverityText(v.Str())
		lr.SetSeverityNumber(sev)
		return true
	}
	n, ok := asInt(v)
	if !ok {
		return false
	}
	if l, known := aind.LevelFromNumber(n); known {
		lr.SetSeverityText(l.Name)
		lr.SetSeverityNumber(l.Severity)
		return true
	}
	lr.SetSeverityText(strconv.FormatInt(n, 10))
	lr.SetSeverityNumber(plog.SeverityNumberUnspecified)
	return true
}

// asInt accepts ints, integral doubles and numeric strings: the standard
// says string where Python writes int.
func asInt(v pcommon.Value) (int64, bool) {
	switch v.Type() {
	case pcommon.ValueTypeInt:
		return v.Int(), true
	case pcommon.ValueTypeDouble:
		f := v.Double()
		if f == math.Trunc(f) && math.Abs(f) < 1<<63 {
			return int64(f), true
		}
	case pcommon.ValueTypeStr:
		n, err := strconv.ParseInt(strings.TrimSpace(v.Str()), 10, 64)
		return n, err == nil
	}
	return 0, false
}

// canonicalString gives identifiers one type: subject_id arrives both as
// "713491" and 714392.
func canonicalString(v pcommon.Value) {
	switch v.Type() {
	case pcommon.ValueTypeInt:
		v.SetStr(strconv.FormatInt(v.Int(), 10))
	case pcommon.ValueTypeDouble, pcommon.ValueTypeBool:
		if n, ok := asInt(v); ok {
			v.SetStr(strconv.FormatInt(n, 10))
		} else {
			v.SetStr(v.AsString())
		}
	}
}

func isScalar(v pcommon.Value) bool {
	switch v.Type() {
	case pcommon.ValueTypeStr, pcommon.ValueTypeInt, pcommon.ValueTypeDouble, pcommon.ValueTypeBool:
		return true
	}
	return false
}

// pythonException reads the type and message from the last line of a Python
// traceback ("ValueError: bad value").
func pythonException(stack string) (typ, msg string, ok bool) {
	if !strings.HasPrefix(stack, "Traceback (most recent call last):") {
		return "", "", false
	}
	last := strings.TrimRight(stack, " \t\r\n")
	if i := strings.LastIndexByte(last, '\n'); i >= 0 {
		last = last[i+1:]
	}
	if last == "" || last[0] == ' ' || last[0] == '\t' {
		return "", "", false
	}
	typ, msg, _ = strings.Cut(last, ":")
	if strings.ContainsAny(typ, " \t") {
		return "", "", false
	}
	return typ, strings.TrimSpace(msg), true
}
