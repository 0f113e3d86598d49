package mapping // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/mapping"

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/pdatajson"
)

// Mapper maps one record at a time. Its state is reset per record and its
// buffers are reused, so mapping allocates little beyond what pdata needs.
// A Mapper is not safe for concurrent use: pool one per batch.
type Mapper struct {
	plan *Plan

	// Per-record results beyond the record itself, for Grouper.MappedScope.
	resValues []string
	resSet    []bool
	scope     string

	// pending holds renamed values: they cannot be added to the attributes
	// while those are being walked.
	pending  pendingAttrs
	pathDone bool
	pathKey  string // a non-primary code.file.path source, used if no primary shows up
	// fallbacks are the non-primary sources of the timestamp, the level and
	// the message (Python's created, levelname, msg), used after the walk
	// if no primary one (timestamp, level, message) could be applied.
	fallbacks   [numFallbackRoles]string
	primaryDone [numFallbackRoles]bool
	levelNo     int64
	hasLevelNo  bool
	stack       string
	scratch     pcommon.Map // a JSON body string decoded into a map
	emptyBody   pcommon.Value
}

// NewMapper returns a mapper of p.
func (p *Plan) NewMapper() *Mapper {
	return &Mapper{
		plan:      p,
		resValues: make([]string, len(p.resourceAttrs)),
		resSet:    make([]bool, len(p.resourceAttrs)),
		scratch:   pcommon.NewMap(),
		emptyBody: pcommon.NewValueEmpty(),
	}
}

// Prepare finds the AIND fields of a record, whatever shape it came in, and
// moves them into its attributes, next to the attributes it already had (a
// record's own fields win). It reports false for a record that holds no AIND
// record, or for every record when the plan maps none (map_records: false):
// that one passes through untouched.
func (m *Mapper) Prepare(lr plog.LogRecord) bool {
	if !m.plan.mapRecords {
		return false
	}
	body := lr.Body()
	attrs := lr.Attributes()
	switch {
	case body.Type() == pcommon.ValueTypeMap: // 1: aindreceiver's parsed object
		mergeInto(body.Map(), attrs)
	case m.hasRecordKey(attrs): // 3: filelog's json_parser
		if !m.hasMessageKey(attrs) {
			// Nothing replaces the body: it is the record's message (an
			// SDK record with a level attribute), and stays.
			return true
		}
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

func (m *Mapper) hasRecordKey(attrs pcommon.Map) bool {
	found := false
	attrs.Range(func(k string, _ pcommon.Value) bool {
		found = m.plan.isRecordKey(k)
		return !found
	})
	return found
}

// hasMessageKey reports whether attrs hold a message (message, msg, or a
// rename's), which replaces the body: the raw line json_parser or
// regex_parser left there.
func (m *Mapper) hasMessageKey(attrs pcommon.Map) bool {
	found := false
	attrs.Range(func(k string, _ pcommon.Value) bool {
		a, ok := m.plan.byKey.Lookup(k)
		found = ok && a.role == aind.RoleMessage
		return !found
	})
	return found
}

func looksLikeObject(s string) bool {
	s = strings.TrimLeft(s, " \t\r\n")
	return s != "" && s[0] == '{'
}

// Map applies the mapping to a prepared record: every key with a row in the
// mapping moves to its OpenTelemetry place; a key whose value cannot be
// applied stays where it is, so nothing is lost.
func (m *Mapper) Map(lr plog.LogRecord) {
	clear(m.resSet)
	m.scope, m.pathDone, m.pathKey, m.stack = "", false, "", ""
	m.fallbacks, m.primaryDone, m.hasLevelNo = [numFallbackRoles]string{}, [numFallbackRoles]bool{}, false

	attrs := lr.Attributes()
	attrs.RemoveIf(func(k string, v pcommon.Value) bool {
		a, ok := m.plan.byKey.Lookup(k)
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
	m.applyFallbacks(lr, attrs)
	m.pending.flushTo(attrs)
	if m.hasLevelNo {
		// The number is exact where the name may be one no table knows
		// ("Level 33"); the name, if any, stays the text.
		setSeverityNumber(lr, m.levelNo, lr.SeverityText() == "")
	}
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
func (m *Mapper) apply(lr plog.LogRecord, key string, v pcommon.Value, a action) bool {
	if slot, ok := fallbackSlot(a.role); ok {
		if !a.primary {
			if m.fallbacks[slot] == "" {
				m.fallbacks[slot] = key // decided after the walk: a primary key may follow
			}
			return false
		}
		m.primaryDone[slot] = m.applyRecordField(lr, v, a.role)
		return m.primaryDone[slot]
	}
	switch a.role {
	case aind.RoleLevelNumber:
		n, ok := Int(v)
		m.levelNo, m.hasLevelNo = n, ok
		return ok
	case aind.RoleDropped:
		return true
	case aind.RoleInt:
		return m.applyInt(v, a.target)
	case aind.RoleRename:
		m.take(v, m.pending.put(a.target))
		return true
	case aind.RoleFilePath:
		return m.applyFilePath(key, v, a)
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

// slotRoles are the roles whose sources may be primary or fallbacks, by
// slot (the index into Mapper.fallbacks).
var slotRoles = [...]aind.Role{aind.RoleTimestamp, aind.RoleLevel, aind.RoleMessage}

const numFallbackRoles = len(slotRoles)

func fallbackSlot(r aind.Role) (int, bool) {
	for slot, sr := range slotRoles {
		if sr == r {
			return slot, true
		}
	}
	return 0, false
}

// applyRecordField sets the record's timestamp, severity or body.
func (m *Mapper) applyRecordField(lr plog.LogRecord, v pcommon.Value, r aind.Role) bool {
	switch r {
	case aind.RoleTimestamp:
		return setTimestamp(lr, v)
	case aind.RoleLevel:
		return setSeverity(lr, v)
	default: // aind.RoleMessage
		m.take(v, lr.Body())
		return true
	}
}

// applyFallbacks applies, after the walk, the fallback sources of the
// fields no primary source set.
func (m *Mapper) applyFallbacks(lr plog.LogRecord, attrs pcommon.Map) {
	for slot, key := range m.fallbacks {
		if key == "" || m.primaryDone[slot] {
			continue
		}
		v, ok := attrs.Get(key)
		if !ok {
			continue
		}
		if m.applyRecordField(lr, v, slotRoles[slot]) && !m.plan.keepOriginal {
			attrs.Remove(key)
		}
	}
}

func (m *Mapper) applyInt(v pcommon.Value, target string) bool {
	n, ok := Int(v)
	switch {
	case !ok:
	case v.Type() == pcommon.ValueTypeInt:
		m.take(v, m.pending.put(target)) // no new value needed
	default:
		m.pending.put(target).SetInt(n)
	}
	return ok
}

// applyFilePath takes the first primary source of code.file.path; a
// non-primary one is only remembered, as a primary one may follow.
func (m *Mapper) applyFilePath(key string, v pcommon.Value, a action) bool {
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
}

// take puts a source field's value at its OpenTelemetry place: moved, since
// the field is removed after it, or copied when the plan keeps originals.
func (m *Mapper) take(v, dst pcommon.Value) {
	if m.plan.keepOriginal {
		v.CopyTo(dst)
		return
	}
	v.MoveTo(dst)
}
