package aind // import "github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/plog"
)

// Level is one row of a level table: the name a producer writes, Python
// logging's number for it, and the OpenTelemetry severity number.
type Level struct {
	Name     string
	Python   int64
	Severity plog.SeverityNumber
}

// Levels is the standard's level table in ascending order, with TRACE below
// DEBUG because real producers write it. Each row's severity is the first of
// the four numbers of its OpenTelemetry range (INFO is 9, INFO2–INFO4 are
// 10–12); a Python number between two rows falls inside the lower row's
// range (see SeverityFromNumber).
var Levels = []Level{
	{Name: "TRACE", Python: 5, Severity: plog.SeverityNumberTrace},
	{Name: "DEBUG", Python: 10, Severity: plog.SeverityNumberDebug},
	{Name: "INFO", Python: 20, Severity: plog.SeverityNumberInfo},
	{Name: "WARNING", Python: 30, Severity: plog.SeverityNumberWarn},
	{Name: "ERROR", Python: 40, Severity: plog.SeverityNumberError},
	{Name: "CRITICAL", Python: 50, Severity: plog.SeverityNumberFatal},
}

// RigLevels are the levels AIND's rig software (mpetk, clabe) adds with
// logging.addLevelName, between WARNING and ERROR: more urgent than a
// warning, not an error. Their severities are what SeverityFromNumber gives
// their numbers (TestRigLevelsFollowTheNumbers): never INFO.
var RigLevels = []Level{
	{Name: "START_STOP", Python: 35, Severity: plog.SeverityNumberWarn3},
	{Name: "ADMIN", Python: 36, Severity: plog.SeverityNumberWarn3},
	{Name: "LIMS", Python: 37, Severity: plog.SeverityNumberWarn3},
	{Name: "MTRAIN", Python: 38, Severity: plog.SeverityNumberWarn4},
	{Name: "SLIMS", Python: 39, Severity: plog.SeverityNumberWarn4},
}

// levelAliases are other spellings producers use for a row of Levels.
var levelAliases = []Level{
	{Name: "WARN", Python: 30, Severity: plog.SeverityNumberWarn},
	{Name: "FATAL", Python: 50, Severity: plog.SeverityNumberFatal},
}

// namedLevels are the tables SeverityFromText and LevelOfNumber look names
// up in, in order.
var namedLevels = [...][]Level{Levels, RigLevels, levelAliases}

// SeverityFromText looks a level name up case-insensitively ("CRITICAl" is in
// the standard's own example). It does not allocate.
func SeverityFromText(s string) (plog.SeverityNumber, bool) {
	for _, table := range namedLevels {
		for _, l := range table {
			if len(l.Name) == len(s) && strings.EqualFold(l.Name, s) {
				return l.Severity, true
			}
		}
	}
	return plog.SeverityNumberUnspecified, false
}

// SeverityFromNumber maps a Python logging number to a severity. A number of
// a row of Levels gets the row's severity; a number between two rows falls
// inside the lower row's range of four, in proportion to where it lies
// between the two (35, half-way from WARNING to ERROR, is WARN3). Numbers
// above CRITICAL's are spread over its range as if ERROR's gap followed it;
// numbers from 1 up to TRACE's are TRACE. 0 (Python's NOTSET) and negative
// numbers are unknown.
func SeverityFromNumber(n int64) (plog.SeverityNumber, bool) {
	if n <= 0 {
		return plog.SeverityNumberUnspecified, false
	}
	i := len(Levels) - 1
	for i > 0 && n < Levels[i].Python {
		i--
	}
	lower := Levels[i]
	if n <= lower.Python {
		return lower.Severity, true // at a row, or below TRACE
	}
	gap := Levels[i].Python - Levels[max(i-1, 0)].Python
	if i+1 < len(Levels) {
		gap = Levels[i+1].Python - lower.Python
	}
	const rangeSize = 4 // e.g. WARN, WARN2, WARN3, WARN4
	step := min((n-lower.Python)*rangeSize/gap, rangeSize-1)
	return lower.Severity + plog.SeverityNumber(step), true
}

// LevelOfNumber names a Python logging number, as a record's SeverityText:
// the name of a level with that number (of Levels or RigLevels), else the
// name of the row of Levels it falls in. ok is false where
// SeverityFromNumber does not know the number.
func LevelOfNumber(n int64) (name string, sev plog.SeverityNumber, ok bool) {
	sev, ok = SeverityFromNumber(n)
	if !ok {
		return "", sev, false
	}
	for _, table := range namedLevels[:2] {
		for _, l := range table {
			if l.Python == n {
				return l.Name, sev, true
			}
		}
	}
	name = Levels[0].Name
	for _, l := range Levels {
		if n >= l.Python {
			name = l.Name
		}
	}
	return name, sev, true
}

// labelLevels are the level names of transports rather than of the
// standard: syslog's (RFC 5424, with the OpenTelemetry data model's mapping,
// where Python's CRITICAL is FATAL but syslog's crit is ERROR2) and the
// abbreviations Loki's own level detection knows. They are read from Loki
// stream labels and structured metadata only (SeverityFromLabel): in an AIND
// record they stay invalid levels.
var labelLevels = []Level{
	{Name: "EMERG", Severity: plog.SeverityNumberFatal},
	{Name: "EMERGENCY", Severity: plog.SeverityNumberFatal},
	{Name: "PANIC", Severity: plog.SeverityNumberFatal},
	{Name: "ALERT", Severity: plog.SeverityNumberError3},
	{Name: "CRIT", Severity: plog.SeverityNumberError2},
	{Name: "ERR", Severity: plog.SeverityNumberError},
	{Name: "EROR", Severity: plog.SeverityNumberError},
	{Name: "WRN", Severity: plog.SeverityNumberWarn},
	{Name: "NOTICE", Severity: plog.SeverityNumberInfo2},
	{Name: "INFORMATIONAL", Severity: plog.SeverityNumberInfo},
	{Name: "INFORMATION", Severity: plog.SeverityNumberInfo},
	{Name: "INF", Severity: plog.SeverityNumberInfo},
	{Name: "DBG", Severity: plog.SeverityNumberDebug},
	{Name: "TRC", Severity: plog.SeverityNumberTrace},
}

// SeverityFromLabel looks up a level as a transport labels it (python-logging-
// loki's severity="error", Promtail's level="warn", syslog's "notice"):
// the standard's names first, as SeverityFromText does, then labelLevels;
// case-insensitive.
func SeverityFromLabel(s string) (plog.SeverityNumber, bool) {
	if sev, ok := SeverityFromText(s); ok {
		return sev, true
	}
	for _, l := range labelLevels {
		if len(l.Name) == len(s) && strings.EqualFold(l.Name, s) {
			return l.Severity, true
		}
	}
	return plog.SeverityNumberUnspecified, false
}
