package validate // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/validate"

import (
	"bytes"
	"math"
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/mapping"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// rule is one rule of the AIND standard. A rule runs on a record that has
// all the fields it needs; check reports whether the record passes. The
// README's table of rules is this table (TestRulesDocumented).
type rule struct {
	id          string
	description string
	needs       []field
	check       func(*recordFields) bool
}

// rules are the standard's rules, in the order their ids are listed in
// aind.validation.errors (after the required fields).
var rules = []rule{
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
	// recordLevel: the record came with its severity set (a Loki push
	// stream's level label), which satisfies a required level.
	recordLevel bool

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
	return mapping.Int(v)
}

func isJSONNumber(v pcommon.Value) bool {
	return v.Type() == pcommon.ValueTypeInt || v.Type() == pcommon.ValueTypeDouble
}

// isIntegerValue accepts what the mapping turns into an int attribute.
func isIntegerValue(v pcommon.Value) bool {
	_, ok := mapping.Int(v)
	return ok
}

func isAcquisitionNameValue(v pcommon.Value) bool {
	return v.Type() == pcommon.ValueTypeStr && isAcquisitionName(v.Str())
}
