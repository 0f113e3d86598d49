package aind // import "github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	jsoniter "github.com/json-iterator/go"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

// Reasons a line is not a JSON object. They are fixed strings on purpose:
// the decoder's own messages quote the input, which may carry a secret.
var (
	ErrNotObject    = errors.New("not a JSON object")
	ErrInvalidJSON  = errors.New("invalid JSON")
	ErrTrailingData = errors.New("data after the JSON object")
)

// jsonConfig is shared by every decoder; iterators come from its pool.
var jsonConfig = jsoniter.ConfigDefault

// ParseObject decodes one JSON object into dst, straight into pdata with no
// map[string]any in between. JSON types are kept: object → map, array →
// slice, integer → int (beyond int64 → string), other number → double, bool,
// null → empty. Invalid UTF-8 is replaced. On error dst holds a partial
// result and the error is one of the fixed reasons above.
func ParseObject(data []byte, dst pcommon.Map) error {
	i := 0
	for i < len(data) && isJSONSpace(data[i]) {
		i++
	}
	if i == len(data) || data[i] != '{' {
		return ErrNotObject
	}
	it := jsonConfig.BorrowIterator(data[i:])
	defer jsonConfig.ReturnIterator(it)
	readObject(it, dst)
	if it.Error != nil {
		return ErrInvalidJSON
	}
	// Anything but white space after the object makes the line malformed;
	// the iterator reports io.EOF when it finds nothing.
	it.WhatIsNext()
	if !errors.Is(it.Error, io.EOF) {
		return ErrTrailingData
	}
	return nil
}

func readObject(it *jsoniter.Iterator, m pcommon.Map) {
	it.ReadMapCB(func(it *jsoniter.Iterator, key string) bool {
		readValue(it, m.PutEmpty(ValidUTF8(key)))
		return it.Error == nil
	})
}

func readValue(it *jsoniter.Iterator, v pcommon.Value) {
	switch it.WhatIsNext() {
	case jsoniter.StringValue:
		v.SetStr(ValidUTF8(it.ReadString()))
	case jsoniter.NumberValue:
		setNumber(v, string(it.ReadNumber()))
	case jsoniter.BoolValue:
		v.SetBool(it.ReadBool())
	case jsoniter.NilValue:
		it.ReadNil()
	case jsoniter.ArrayValue:
		s := v.SetEmptySlice()
		it.ReadArrayCB(func(it *jsoniter.Iterator) bool {
			readValue(it, s.AppendEmpty())
			return it.Error == nil
		})
	case jsoniter.ObjectValue:
		readObject(it, v.SetEmptyMap())
	default:
		it.ReportError("readValue", "unexpected token")
	}
}

// setNumber keeps integers as ints; one too large for int64 keeps its digits
// as a string rather than losing precision in a double.
func setNumber(v pcommon.Value, n string) {
	if !strings.ContainsAny(n, ".eE") {
		if i, err := strconv.ParseInt(n, 10, 64); err == nil {
			v.SetInt(i)
			return
		}
		v.SetStr(n)
		return
	}
	f, err := strconv.ParseFloat(n, 64)
	if err != nil { // out of float64 range: keep the digits
		v.SetStr(n)
		return
	}
	v.SetDouble(f)
}

// ValidUTF8 replaces invalid bytes: pdata refuses to marshal invalid strings.
func ValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, string(utf8.RuneError))
}

func isJSONSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}
