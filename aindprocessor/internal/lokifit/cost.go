package lokifit // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"

import (
	"encoding/base64"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// Loki's accounting of one OTLP log record, as Loki v3.7.8 does it before it
// validates the record:
//
//   - pkg/loghttp/push/otlp.go: record attributes, the non-index-label
//     resource attributes, the scope's attributes, name and version, and the
//     fields Loki adds (observed_timestamp, severity_number, severity_text,
//     dropped_attributes_count, flags, trace_id, span_id) become structured
//     metadata; a map attribute is flattened into one entry per leaf named
//     parent_child; every name goes through otlptranslator.LabelNamer{}.Build;
//     a value is pcommon.Value.AsString(); the line is Body().AsString().
//   - pkg/util/entry_size.go: the size is the sum of len(name)+len(value)
//     over the entries, except entries named detected_level, which count
//     nothing.
//   - pkg/distributor/validator.go: the entry count is the number of entries,
//     duplicates included.

// smCost is a record's structured metadata as Loki's validator counts it.
type smCost struct{ entries, size int }

func (c *smCost) add(o smCost) { c.entries += o.entries; c.size += o.size }
func (c *smCost) sub(o smCost) { c.entries -= o.entries; c.size -= o.size }

// An entry of this name counts towards the entries but not the size
// (util.ExcludedStructuredMetadataLabels).
const lokiExcludedLabel = "detected_level"

// Lengths of the names of the entries Loki adds to every record
// (otlpLogToPushEntry) and to every scope's records.
const (
	lenObservedTimestamp = len("observed_timestamp")
	lenSeverityNumber    = len("severity_number")
	lenSeverityText      = len("severity_text")
	lenDroppedAttributes = len("dropped_attributes_count")
	lenFlags             = len("flags")
	lenTraceID           = len("trace_id") + 32
	lenSpanID            = len("span_id") + 16
	lenScopeName         = len("scope_name")
	lenScopeVersion      = len("scope_version")
	lenScopeDroppedAttrs = len("scope_dropped_attributes_count")
)

// intLen is len(strconv.FormatInt(n, 10)).
func intLen(n int64) int {
	l := 1
	if n < 0 {
		l++
		if n == -n { // math.MinInt64
			return 20
		}
		n = -n
	}
	for n >= 10 {
		n /= 10
		l++
	}
	return l
}

// valueLen is len(v.AsString()) for a value that is not a map.
func valueLen(v pcommon.Value) int {
	switch v.Type() {
	case pcommon.ValueTypeStr:
		return len(v.Str())
	case pcommon.ValueTypeInt:
		return intLen(v.Int())
	case pcommon.ValueTypeBool:
		if v.Bool() {
			return 4
		}
		return 5
	case pcommon.ValueTypeBytes:
		return base64.StdEncoding.EncodedLen(v.Bytes().Len())
	case pcommon.ValueTypeEmpty:
		return 0
	}
	return len(v.AsString()) // double, slice: rare enough to format
}

// leafCost is the cost of one entry whose Loki name is name.
func leafCost(name []byte, v pcommon.Value) smCost {
	if string(name) == lokiExcludedLabel {
		return smCost{entries: 1}
	}
	return smCost{entries: 1, size: len(name) + valueLen(v)}
}

// accountant computes exact costs. Its buffer is reused; a map attribute
// allocates its children's names.
type accountant struct{ buf []byte }

// attrCost is the exact cost of one top-level attribute; ok is false when
// Loki refuses its name (and with it the whole request).
func (a *accountant) attrCost(key string, v pcommon.Value) (c smCost, ok bool) {
	a.buf, ok = appendLabelName(a.buf[:0], key)
	if !ok {
		return smCost{}, false
	}
	if v.Type() != pcommon.ValueTypeMap {
		return leafCost(a.buf, v), true
	}
	return mapCost(string(a.buf), v.Map()), true
}

// mapCost flattens m like Loki's attributeToLabels: a child's name is
// Build(parent + "_" + key), where parent is already built. Such a name
// always holds a letter or digit, so it never fails.
func mapCost(prefix string, m pcommon.Map) smCost {
	var c smCost
	var name []byte
	m.Range(func(k string, v pcommon.Value) bool {
		name, _ = appendLabelName(name[:0], prefix+"_"+k)
		if v.Type() == pcommon.ValueTypeMap {
			c.add(mapCost(string(name), v.Map()))
		} else {
			c.add(leafCost(name, v))
		}
		return true
	})
	return c
}

// recordFieldsCost is the exact cost of the entries Loki adds for a record's
// own fields (otlpLogToPushEntry).
func recordFieldsCost(lr plog.LogRecord) smCost {
	var c smCost
	if lr.Timestamp() != 0 && lr.ObservedTimestamp() != 0 {
		c.add(smCost{1, lenObservedTimestamp + intLen(int64(lr.ObservedTimestamp()))})
	}
	if sev := lr.SeverityNumber(); sev != plog.SeverityNumberUnspecified {
		c.add(smCost{1, lenSeverityNumber + intLen(int64(sev))})
	}
	if text := lr.SeverityText(); text != "" {
		c.add(smCost{1, lenSeverityText + len(text)})
	}
	if n := lr.DroppedAttributesCount(); n != 0 {
		c.add(smCost{1, lenDroppedAttributes + intLen(int64(n))})
	}
	if f := lr.Flags(); f != 0 {
		c.add(smCost{1, lenFlags + intLen(int64(f))})
	}
	if !lr.TraceID().IsEmpty() {
		c.add(smCost{1, lenTraceID})
	}
	if !lr.SpanID().IsEmpty() {
		c.add(smCost{1, lenSpanID})
	}
	return c
}

// resourceCost is the exact cost of the resource attributes Loki stores as
// structured metadata of each of the resource's records.
func (a *accountant) resourceCost(res pcommon.Resource, indexLabels map[string]struct{}) smCost {
	var c smCost
	res.Attributes().Range(func(k string, v pcommon.Value) bool {
		if _, indexed := indexLabels[k]; !indexed {
			cc, _ := a.attrCost(k, v)
			c.add(cc)
		}
		return true
	})
	return c
}

// scopeCost is the exact cost of the scope's entries on each of its records.
func (a *accountant) scopeCost(scope pcommon.InstrumentationScope) smCost {
	var c smCost
	scope.Attributes().Range(func(k string, v pcommon.Value) bool {
		cc, _ := a.attrCost(k, v)
		c.add(cc)
		return true
	})
	if name := scope.Name(); name != "" {
		c.add(smCost{1, lenScopeName + len(name)})
	}
	if version := scope.Version(); version != "" {
		c.add(smCost{1, lenScopeVersion + len(version)})
	}
	if n := scope.DroppedAttributesCount(); n != 0 {
		c.add(smCost{1, lenScopeDroppedAttrs + intLen(int64(n))})
	}
	return c
}
