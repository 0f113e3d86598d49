package consoleinput

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// severityBuckets name OpenTelemetry's six severity ranges, and records
// with none.
var severityBuckets = [...]string{"unset", "trace", "debug", "info", "warn", "error", "fatal"}

// severityCounts count records by bucket.
type severityCounts [len(severityBuckets)]int64

func (c *severityCounts) add(o severityCounts) {
	for i, n := range o {
		c[i] += n
	}
}

// bucketOf is the bucket of a severity number: 1-4 trace ... 21-24 fatal.
func bucketOf(s plog.SeverityNumber) int {
	if s <= plog.SeverityNumberUnspecified || s > plog.SeverityNumberFatal4 {
		return 0
	}
	return 1 + int(s-1)/4
}

// countSeverities counts the records of ld by severity. A JSON line's
// record has none yet (the processor maps its level): its level field
// counts.
func countSeverities(ld plog.Logs) severityCounts {
	var c severityCounts
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		sls := rls.At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				lr := lrs.At(k)
				sev := lr.SeverityNumber()
				if sev == plog.SeverityNumberUnspecified && lr.Body().Type() == pcommon.ValueTypeMap {
					sev = levelOf(lr.Body().Map())
				}
				c[bucketOf(sev)]++
			}
		}
	}
	return c
}

// levelFields are the standard's level fields (internal/aind.Fields): the
// level names first, then Python's levelno.
var levelFields = func() (fields []aind.Field) {
	for _, role := range []aind.Role{aind.RoleLevel, aind.RoleLevelNumber} {
		for _, f := range aind.Fields {
			if f.Role == role {
				fields = append(fields, f)
			}
		}
	}
	return fields
}()

// levelOf reads the level of a JSON record from its level fields: a level
// name, or else Python's levelno.
func levelOf(m pcommon.Map) plog.SeverityNumber {
	for _, f := range levelFields {
		v, ok := m.Get(f.Key)
		if !ok {
			continue
		}
		switch {
		case f.Role == aind.RoleLevel && v.Type() == pcommon.ValueTypeStr:
			if s, ok := aind.SeverityFromText(v.Str()); ok {
				return s
			}
		case f.Role == aind.RoleLevelNumber && v.Type() == pcommon.ValueTypeInt:
			if s, ok := aind.SeverityFromNumber(v.Int()); ok {
				return s
			}
		}
	}
	return plog.SeverityNumberUnspecified
}
