package lokifit // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"

import (
	"encoding/base64"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// Cheap upper bounds of what Loki counts, without building names or
// formatting values: the common record is checked against them in one walk
// over its attributes, with no allocation, and the exact accounting (cost.go)
// runs only when a bound comes near a limit.

const (
	labelNameGrowth        = len("key_") // the most LabelNamer.Build adds to a name
	doubleStringBound      = 32          // len(AsString()) of any float64 is at most 25
	maxIntLen              = 20
	recordFieldsFixedBound = lenObservedTimestamp + maxIntLen + lenSeverityNumber + maxIntLen +
		lenDroppedAttributes + maxIntLen + lenFlags + maxIntLen + lenTraceID + lenSpanID
)

// valueBound bounds len(v.AsString()) for a value that is not a map,
// without formatting it.
func valueBound(v pcommon.Value) int {
	switch v.Type() {
	case pcommon.ValueTypeDouble:
		return doubleStringBound
	case pcommon.ValueTypeSlice:
		return jsonBound(v)
	}
	return valueLen(v)
}

// jsonBound bounds the length of v as encoding/json writes it (what
// AsString does for maps and slices): a string is at most six bytes per
// byte (\u00XX) plus its quotes.
func jsonBound(v pcommon.Value) int {
	switch v.Type() {
	case pcommon.ValueTypeStr:
		return 2 + 6*len(v.Str())
	case pcommon.ValueTypeInt:
		return maxIntLen
	case pcommon.ValueTypeDouble:
		return doubleStringBound
	case pcommon.ValueTypeBool, pcommon.ValueTypeEmpty:
		return 5
	case pcommon.ValueTypeBytes:
		return 2 + base64.StdEncoding.EncodedLen(v.Bytes().Len())
	case pcommon.ValueTypeSlice:
		s := v.Slice()
		n := 2
		for i := 0; i < s.Len(); i++ {
			n += jsonBound(s.At(i)) + 1
		}
		return n
	case pcommon.ValueTypeMap:
		n := 2
		v.Map().Range(func(k string, v pcommon.Value) bool {
			n += 2 + 6*len(k) + 1 + jsonBound(v) + 1
			return true
		})
		return n
	}
	return len(v.AsString())
}

// lineBound bounds the length of the line Loki makes of a body
// (Body().AsString()); for a string body it is exact.
func lineBound(body pcommon.Value) int {
	switch body.Type() {
	case pcommon.ValueTypeMap:
		return jsonBound(body)
	case pcommon.ValueTypeDouble, pcommon.ValueTypeSlice:
		return valueBound(body)
	}
	return valueLen(body)
}

// attrBound bounds an attribute's cost without building names: Build adds at
// most "key_" to a name, and flattening adds the parent's name and a '_'.
func attrBound(key string, v pcommon.Value) smCost {
	if v.Type() == pcommon.ValueTypeMap {
		return mapBound(len(key)+labelNameGrowth, v.Map())
	}
	return smCost{entries: 1, size: len(key) + labelNameGrowth + valueBound(v)}
}

// mapBound bounds the cost of m's leaves, whose names start with a name of
// at most prefixLen bytes.
func mapBound(prefixLen int, m pcommon.Map) smCost {
	var c smCost
	m.Range(func(k string, v pcommon.Value) bool {
		nameLen := prefixLen + 1 + len(k) + labelNameGrowth
		if v.Type() == pcommon.ValueTypeMap {
			c.add(mapBound(nameLen, v.Map()))
		} else {
			c.add(smCost{entries: 1, size: nameLen + valueBound(v)})
		}
		return true
	})
	return c
}

// recordFieldsBound bounds recordFieldsCost without counting digits.
func recordFieldsBound(lr plog.LogRecord) smCost {
	return smCost{7, recordFieldsFixedBound + lenSeverityText + len(lr.SeverityText())}
}
