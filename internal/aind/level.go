package aind // import "github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/plog"
)

// Level is one row of the level table: the name a producer writes, Python
// logging's number for it, and the OpenTelemetry severity number.
type Level struct {
	Name     string
	Python   int64
	Severity plog.SeverityNumber
}

// Levels is the standard's level table in ascending order, with TRACE below
// DEBUG because real producers write it. Python numbers between two rows map
// to the lower row.
var Levels = []Level{
	{Name: "TRACE", Python: 5, Severity: plog.SeverityNumberTrace},
	{Name: "DEBUG", Python: 10, Severity: plog.SeverityNumberDebug},
	{Name: "INFO", Python: 20, Severity: plog.SeverityNumberInfo},
	{Name: "WARNING", Python: 30, Severity: plog.SeverityNumberWarn},
	{Name: "ERROR", Python: 40, Severity: plog.SeverityNumberError},
	{Name: "CRITICAL", Python: 50, Severity: plog.SeverityNumberFatal},
}

// levelAliases are other spellings producers use for a row of Levels.
var levelAliases = []Level{
	{Name: "WARN", Python: 30, Severity: plog.SeverityNumberWarn},
	{Name: "FATAL", Python: 50, Severity: plog.SeverityNumberFatal},
}

// SeverityFromText looks a level name up case-insensitively ("CRITICAl" is in
// the standard's own example). It does not allocate.
func SeverityFromText(s string) (plog.SeverityNumber, bool) {
	for _, table := range [2][]Level{Levels, levelAliases} {
		for _, l := range table {
			if len(l.Name) == len(s) && strings.EqualFold(l.Name, s) {
				return l.Severity, true
			}
		}
	}
	return plog.SeverityNumberUnspecified, false
}

// LevelFromNumber maps a Python logging number to the row at or below it.
// Numbers below TRACE's (0 is Python's NOTSET) are unknown.
func LevelFromNumber(n int64) (Level, bool) {
	for i := len(Levels) - 1; i >= 0; i-- {
		if n >= Levels[i].Python {
			return Levels[i], true
		}
	}
	return Level{}, false
}
