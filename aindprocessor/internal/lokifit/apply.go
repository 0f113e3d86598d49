package lokifit // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"

import (
	"bytes"
	"math"
	"strconv"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// apply carries out what fitMetadata decided: the body becomes the line
// Loki would show, then the stack trace, then the folded attributes as one
// JSON object; those attributes leave, and the flags are set.
func (f *fitter) apply(lr plog.LogRecord, existingFolded int64, cut bool) {
	moved, folded := -1, 0
	for i := range f.items {
		if f.items[i].moved {
			moved = i
		}
		if f.items[i].folded {
			folded++
		}
	}
	attrs := lr.Attributes()
	if moved >= 0 || folded > 0 {
		f.writeBody(lr.Body(), moved, folded > 0)
		i := 0
		attrs.RemoveIf(func(string, pcommon.Value) bool {
			gone := f.items[i].gone()
			i++
			return gone
		})
	}
	if cut {
		attrs.PutBool(aind.AttrTruncated, true)
	}
	if folded > 0 {
		attrs.PutInt(aind.AttrFoldedCount, existingFolded+int64(folded))
	}
}

// writeBody sets body to its text, then the moved item's value (if moved is
// not -1), then the folded attributes, one per line.
func (f *fitter) writeBody(body pcommon.Value, moved int, folded bool) {
	f.body.Reset()
	f.body.WriteString(body.AsString()) // the line Loki shows; a string as is
	if moved >= 0 {
		if f.body.Len() > 0 {
			f.body.WriteByte('\n')
		}
		f.body.WriteString(f.items[moved].v.Str())
	}
	if folded {
		if f.body.Len() > 0 {
			f.body.WriteByte('\n')
		}
		f.writeFolded()
	}
	body.SetStr(f.body.String())
}

// writeFolded writes the folded attributes to f.body as one JSON object, in
// their order, under their own names. It stops once the body is longer than
// the line size: fitLine cuts the rest anyway.
func (f *fitter) writeFolded() {
	f.body.WriteByte('{')
	first := true
	for i := range f.items {
		it := &f.items[i]
		if !it.folded {
			continue
		}
		if f.lim.maxLine > 0 && f.body.Len() > f.lim.maxLine {
			return
		}
		if !first {
			f.body.WriteByte(',')
		}
		first = false
		f.writeJSONString(it.key)
		f.body.WriteByte(':')
		f.writeJSONValue(it.v)
	}
	f.body.WriteByte('}')
}

func (f *fitter) writeJSONString(s string) {
	f.json.Reset()
	_ = f.enc.Encode(s) // a string always encodes
	f.body.Write(bytes.TrimSuffix(f.json.Bytes(), []byte{'\n'}))
}

func (f *fitter) writeJSONValue(v pcommon.Value) {
	switch v.Type() {
	case pcommon.ValueTypeStr:
		f.writeJSONString(v.Str())
	case pcommon.ValueTypeInt:
		f.body.WriteString(strconv.FormatInt(v.Int(), 10))
	case pcommon.ValueTypeBool:
		f.body.WriteString(strconv.FormatBool(v.Bool()))
	case pcommon.ValueTypeDouble:
		if d := v.Double(); math.IsNaN(d) || math.IsInf(d, 0) {
			f.writeJSONString(v.AsString()) // JSON has no NaN or Infinity
		} else {
			f.body.WriteString(v.AsString())
		}
	case pcommon.ValueTypeBytes:
		f.writeJSONString(v.AsString())
	case pcommon.ValueTypeMap, pcommon.ValueTypeSlice:
		if s := v.AsString(); s != "" {
			f.body.WriteString(s)
		} else {
			f.body.WriteString("null") // holds a NaN: encoding/json refuses it
		}
	default:
		f.body.WriteString("null")
	}
}
