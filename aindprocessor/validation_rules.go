package aindprocessor // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor"

import (
	"bytes"
	"math"
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// rule is one rule of the AIND standard. A rule runs on a record that has
// all the fields it needs; check reports whether the record passes. The
// README's table of rules is this table (TestValidationRulesDocumented).
type rule struct {
	id          string
	description string
	needs       []field
	check       func(*recordFields) bool
}

// validationRules are the standard's rules, in the order their ids are
// listed in aind.validation.errors (after the required fields).
var validationRules = []rule{
	{
		id:          "timestamp.unparseable",
		description: "`timestamp` is not a time: neither ISO 8601 text nor anything else the mapping reads.",
		needs:       []field{fTimestamp},
		check: func(r *recordFields) bool {
			_, ok := r.timestamp()
			return ok
		},
	},
	{
		id:          "timestamp.not_utc",
		description: "`timestamp` has a UTC offset other than `Z`/`+00:00` (the time is converted exactly, but the standard asks for UTC).",
		needs:       []field{fTimestamp},
		check:       func(r *recordFields) bool { return !r.zoneIs(aind.ZoneOffset) },
	},
	{
		id:          "timestamp.no_zone",
		description: "`timestamp` has no zone (e.g. Python's `2026-02-09 21:19:24,061`): it is read as UTC, which is wrong if it was local time.",
		needs:       []field{fTimestamp},
		check:       func(r *recordFields) bool { return !r.zoneIs(aind.ZoneNone) },
	},
	{
		id:          "timestamp.epoch",
		description: "`timestamp` is a number since the epoch (s, ms, µs or ns) instead of ISO 8601 text.",
		needs:       []field{fTimestamp},
		check:       func(r *recordFields) bool { return !r.zoneIs(aind.ZoneEpoch) },
	},
	{
		id:          "level.unknown",
		description: "`level` is not in the standard's table: `DEBUG`, `INFO`, `WARNING`, `ERROR`, `CRITICAL` in any case, or their Python numbers 10, 20, 30, 40, 50. `WARN`, `FATAL` and `TRACE` (which the mapping still reads) are not in it.",
		needs:       []field{fLevel},
		check:       func(r *recordFields) bool { return standardLevel(r.vals[fLevel]) },
	},
	{
		id:          "level.number",
		description: "`level` is a number (Python's `levelno`) where the standard logs the level's name. Switch this rule off to accept the table's numbers.",
		needs:       []field{fLevel},
		check:       func(r *recordFields) bool { return !isJSONNumber(r.vals[fLevel]) },
	},
	{
		id:          "lineno.not_integer",
		description: "`lineno` is not an integer (an int, or a string holding one).",
		needs:       []field{fLineno},
		check:       func(r *recordFields) bool { return isIntegerValue(r.vals[fLineno]) },
	},
	{
		id:          "process.not_integer",
		description: "`process` (the process id) is not an integer (an int, or a string holding one).",
		needs:       []field{fProcess},
		check:       func(r *recordFields) bool { return isIntegerValue(r.vals[fProcess]) },
	},
	{
		id:          "thread.not_integer",
		description: "`thread` (the thread id) is not an integer (an int, or a string holding one).",
		needs:       []field{fThread},
		check:       func(r *recordFields) bool { return isIntegerValue(r.vals[fThread]) },
	},
	{
		id:          "acquisition_name.format",
		description: "`acquisition_name` is not `<subject_id>_<YYYY-MM-DD>_<HH-MM-SS>` with a real date and time; the subject part is letters, digits, `_`, `-` or `.`.",
		needs:       []field{fAcquisitionName},
		check:       func(r *recordFields) bool { return isAcquisitionNameValue(r.vals[fAcquisitionName]) },
	},
	{
		id:          "acquisition_name.subject_mismatch",
		description: "`acquisition_name` does not begin with the record's `subject_id` followed by `_` (`714392` and `\"714392\"` are the same subject).",
		needs:       []field{fAcquisitionName, fSubjectID},
		check: func(r *recordFields) bool {
			return r.idTexts(fAcquisitionName, fSubjectID) && bytes.HasPrefix(r.a, r.b) && len(r.a) > len(r.b) && r.a[len(r.b)] == '_'
		},
	},
	{
		id:          "specimen_id.subject_mismatch",
		description: "`specimen_id` does not contain the record's `subject_id`.",
		needs:       []field{fSpecimenID, fSubjectID},
		check: func(r *recordFields) bool {
			return r.idTexts(fSpecimenID, fSubjectID) && bytes.Contains(r.a, r.b)
		},
	},
	{
		id:          "software_version.format",
		description: "`software_version` is not a version string in PEP 440 (`1.0.4`, `1.0.4.dev0`, `2.1.0rc1`, `1!2.0.post1+local`) or SemVer (`1.2.3`, `v1.2.3-beta.1+build`) form.",
		needs:       []field{fSoftwareVersion},
		check: func(r *recordFields) bool {
			v := r.vals[fSoftwareVersion]
			return v.Type() == pcommon.ValueTypeStr && isVersion(v.Str())
		},
	},
}

// field is an AIND field the rules read. The fixed ones are below; keys
// only listed in `required` get numbers after them.
type field int

const (
	fTimestamp field = iota
	fLevel
	fMessage
	fLineno
	fProcess
	fThread
	fSubjectID
	fAcquisitionName
	fSpecimenID
	fSoftwareVersion
	numFixedFields
)

var fixedFieldKeys = [numFixedFields]string{
	fTimestamp:       aind.KeyTimestamp,
	fLevel:           aind.KeyLevel,
	fMessage:         aind.KeyMessage,
	fLineno:          "lineno",
	fProcess:         "process",
	fThread:          "thread",
	fSubjectID:       aind.KeySubjectID,
	fAcquisitionName: aind.KeyAcquisitionName,
	fSpecimenID:      aind.KeySpecimenID,
	fSoftwareVersion: "software_version",
}

func fixedField(key string) (field, bool) {
	for f, k := range fixedFieldKeys {
		if k == key {
			return field(f), true
		}
	}
	return 0, false
}

// recordFields are one record's fields as the rules see them. A null value
// counts as absent. Where several source keys stand for one field (a
// renamed key and the key itself), the last one is checked, as the last
// one wins in the mapping.
type recordFields struct {
	vals []pcommon.Value
	seen []bool

	// The timestamp is parsed once for all its rules.
	tsParsed bool
	tsOK     bool
	tsZone   aind.Zone
	// recordTime: the record came with its Timestamp set (a Loki push
	// entry's time, an OTLP producer's), which satisfies a required
	// timestamp.
	recordTime bool

	// a and b hold two identifiers' texts for the cross-field rules;
	// reused, so numbers are formatted without allocating.
	a, b []byte
}

func (r *recordFields) reset() {
	clear(r.seen)
	r.tsParsed = false
}

func (r *recordFields) timestamp() (aind.Zone, bool) {
	if !r.tsParsed {
		_, r.tsZone, r.tsOK = aind.ParseTimestamp(r.vals[fTimestamp])
		r.tsParsed = true
	}
	return r.tsZone, r.tsOK
}

// zoneIs reports whether the timestamp parses and its zone is z; an
// unparseable timestamp is timestamp.unparseable's alone.
func (r *recordFields) zoneIs(z aind.Zone) bool {
	zone, ok := r.timestamp()
	return ok && zone == z
}

// idTexts puts the texts of two identifiers into r.a and r.b and reports
// whether both have one.
func (r *recordFields) idTexts(a, b field) bool {
	var okA, okB bool
	r.a, okA = appendID(r.a[:0], r.vals[a])
	r.b, okB = appendID(r.b[:0], r.vals[b])
	return okA && okB
}

// appendID appends an identifier's text as the mapping canonicalises it:
// subject_id arrives both as "713491" and 714392.
func appendID(dst []byte, v pcommon.Value) ([]byte, bool) {
	switch v.Type() {
	case pcommon.ValueTypeStr:
		return append(dst, v.Str()...), true
	case pcommon.ValueTypeInt:
		return strconv.AppendInt(dst, v.Int(), 10), true
	case pcommon.ValueTypeDouble:
		f := v.Double()
		if f == math.Trunc(f) && math.Abs(f) < 1<<63 {
			return strconv.AppendInt(dst, int64(f), 10), true
		}
		return strconv.AppendFloat(dst, f, 'f', -1, 64), true
	}
	return dst, false
}

// pythonDebug is DEBUG's number: the standard's table runs from DEBUG to
// CRITICAL; aind.Levels adds TRACE below it for the mapping's sake.
const pythonDebug = 10

// standardLevel reports whether v names a row of the standard's level
// table, by name in any case or by its exact Python number.
func standardLevel(v pcommon.Value) bool {
	if v.Type() == pcommon.ValueTypeStr {
		s := v.Str()
		for _, l := range aind.Levels {
			if l.Python >= pythonDebug && len(l.Name) == len(s) && strings.EqualFold(l.Name, s) {
				return true
			}
		}
		return false
	}
	n, ok := levelNumber(v)
	if !ok {
		return false
	}
	for _, l := range aind.Levels {
		if l.Python >= pythonDebug && l.Python == n {
			return true
		}
	}
	return false
}

// levelNumber reads an int or an integral double, not a string.
func levelNumber(v pcommon.Value) (int64, bool) {
	if v.Type() != pcommon.ValueTypeInt && v.Type() != pcommon.ValueTypeDouble {
		return 0, false
	}
	return asInt(v)
}

func isJSONNumber(v pcommon.Value) bool {
	return v.Type() == pcommon.ValueTypeInt || v.Type() == pcommon.ValueTypeDouble
}

// isIntegerValue accepts what the mapping turns into an int attribute.
func isIntegerValue(v pcommon.Value) bool {
	_, ok := asInt(v)
	return ok
}

func isAcquisitionNameValue(v pcommon.Value) bool {
	return v.Type() == pcommon.ValueTypeStr && isAcquisitionName(v.Str())
}

// acquisitionTail is what follows the subject in an acquisition name.
const acquisitionTail = "_YYYY-MM-DD_HH-MM-SS"

// isAcquisitionName reports whether s is <subject_id>_<YYYY-MM-DD>_<HH-MM-SS>
// with a real date and time (no leap second). The subject part may itself
// hold "_": the date and time are the fixed-width tail.
func isAcquisitionName(s string) bool {
	if len(s) <= len(acquisitionTail) {
		return false
	}
	subject, t := s[:len(s)-len(acquisitionTail)], s[len(s)-len(acquisitionTail):]
	for i := 0; i < len(subject); i++ {
		c := subject[i]
		if !alnumASCII(c) && c != '_' && c != '-' && c != '.' {
			return false
		}
	}
	// t is "_YYYY-MM-DD_HH-MM-SS".
	if t[0] != '_' || t[5] != '-' || t[8] != '-' || t[11] != '_' || t[14] != '-' || t[17] != '-' {
		return false
	}
	year, ok1 := aind.Digits(t[1:5])
	month, ok2 := aind.Digits(t[6:8])
	day, ok3 := aind.Digits(t[9:11])
	hour, ok4 := aind.Digits(t[12:14])
	minute, ok5 := aind.Digits(t[15:17])
	sec, ok6 := aind.Digits(t[18:20])
	return ok1 && ok2 && ok3 && ok4 && ok5 && ok6 &&
		year >= 1 && aind.ValidDate(year, month, day) &&
		hour <= 23 && minute <= 59 && sec <= 59
}

func alnumASCII(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func digitASCII(c byte) bool { return c >= '0' && c <= '9' }

// isVersion accepts the version forms producers write: PEP 440 (Python
// packages) and SemVer 2.0.0 with an optional "v". ASCII only, no white
// space.
func isVersion(s string) bool {
	return isPEP440(s) || isSemVer(s)
}

// versionScanner reads a version string left to right; each optional part
// rolls back when it does not match.
type versionScanner struct {
	s string
	i int
}

func (p *versionScanner) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *versionScanner) digits() bool {
	start := p.i
	for p.i < len(p.s) && digitASCII(p.s[p.i]) {
		p.i++
	}
	return p.i > start
}

// sep eats one optional PEP 440 separator.
func (p *versionScanner) sep() bool {
	if p.i < len(p.s) && (p.s[p.i] == '-' || p.s[p.i] == '_' || p.s[p.i] == '.') {
		p.i++
		return true
	}
	return false
}

// label eats the first of labels (longest first where one is a prefix of
// another) that follows, in any case.
func (p *versionScanner) label(labels ...string) bool {
	for _, l := range labels {
		if len(p.s)-p.i >= len(l) && strings.EqualFold(p.s[p.i:p.i+len(l)], l) {
			p.i += len(l)
			return true
		}
	}
	return false
}

func (p *versionScanner) alnums() bool {
	start := p.i
	for p.i < len(p.s) && alnumASCII(p.s[p.i]) {
		p.i++
	}
	return p.i > start
}

// isPEP440 follows PEP 440's appendix regular expression (as the packaging
// library has it), case-insensitive, without the surrounding white space:
//
//	v? ([0-9]+!)? [0-9]+(\.[0-9]+)*
//	([-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?[0-9]*)?
//	(-[0-9]+|[-_.]?(post|rev|r)[-_.]?[0-9]*)?
//	([-_.]?dev[-_.]?[0-9]*)?
//	(\+[a-z0-9]+([-_.][a-z0-9]+)*)?
func isPEP440(s string) bool {
	p := versionScanner{s: s}
	if p.i < len(s) && (s[0] == 'v' || s[0] == 'V') {
		p.i++
	}
	if save := p.i; !(p.digits() && p.eat('!')) {
		p.i = save // no epoch
	}
	if !p.digits() {
		return false
	}
	for {
		save := p.i
		if !p.eat('.') || !p.digits() {
			p.i = save
			break
		}
	}
	// Pre-release. No label is a prefix of a longer one that could still
	// follow, so the first label that matches, longest first, is the one.
	save := p.i
	p.sep()
	if p.label("alpha", "a", "beta", "b", "preview", "pre", "c", "rc") {
		p.sep()
		p.digits()
	} else {
		p.i = save
	}
	// Post-release.
	save = p.i
	if !p.eat('-') || !p.digits() {
		p.i = save
		p.sep()
		if p.label("post", "rev", "r") {
			p.sep()
			p.digits()
		} else {
			p.i = save
		}
	}
	// Development release.
	save = p.i
	p.sep()
	if p.label("dev") {
		p.sep()
		p.digits()
	} else {
		p.i = save
	}
	// Local version label.
	if p.eat('+') {
		if !p.alnums() {
			return false
		}
		for p.i < len(s) {
			if !p.sep() || !p.alnums() {
				return false
			}
		}
	}
	return p.i == len(s)
}

// isSemVer follows SemVer 2.0.0's grammar, with an optional "v":
// MAJOR.MINOR.PATCH without leading zeros, then -pre.release identifiers
// (numeric ones without leading zeros) and +build identifiers.
func isSemVer(s string) bool {
	p := versionScanner{s: s}
	p.eat('v')
	for n := 0; n < 3; n++ {
		if n > 0 && !p.eat('.') {
			return false
		}
		start := p.i
		if !p.digits() || (p.i-start > 1 && s[start] == '0') {
			return false
		}
	}
	if p.eat('-') {
		for {
			start := p.i
			numeric := true
			for p.i < len(s) && (alnumASCII(s[p.i]) || s[p.i] == '-') {
				numeric = numeric && digitASCII(s[p.i])
				p.i++
			}
			n := p.i - start
			if n == 0 || (numeric && n > 1 && s[start] == '0') {
				return false
			}
			if !p.eat('.') {
				break
			}
		}
	}
	if p.eat('+') {
		for {
			start := p.i
			for p.i < len(s) && (alnumASCII(s[p.i]) || s[p.i] == '-') {
				p.i++
			}
			if p.i == start {
				return false
			}
			if !p.eat('.') {
				break
			}
		}
	}
	return p.i == len(s)
}
