package lokipush

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/grafana/loki/pkg/push"
	jsoniter "github.com/json-iterator/go"
)

// decodeJSON decodes Loki's JSON push body:
//
//	{"streams": [{"stream": {"label": "value"},
//	              "values": [["<unix ns>", "<line>", {"key": "value"}]]}]}
//
// where the third element of a value (structured metadata) is optional, and
// the legacy body of Loki's /api/prom/push, which python-logging-loki sends
// with version "0":
//
//	{"streams": [{"labels": "{label=\"value\"}",
//	              "entries": [{"ts": "<RFC 3339>", "line": "<line>"}]}]}
//
// Loki tells the two apart by the path; here a stream's keys do, so either
// body is read on any path.
func decodeJSON(body []byte) ([]Stream, error) {
	it := jsoniter.ConfigDefault.BorrowIterator(body)
	defer jsoniter.ConfigDefault.ReturnIterator(it)
	var streams []Stream
	if it.WhatIsNext() != jsoniter.ObjectValue {
		return nil, ErrJSON
	}
	it.ReadMapCB(func(it *jsoniter.Iterator, key string) bool {
		if key != "streams" {
			it.Skip()
			return it.Error == nil
		}
		streams = readArray(it, "streams", streams, readStream)
		return it.Error == nil
	})
	if it.Error != nil {
		return nil, ErrJSON
	}
	// Anything but white space after the object is malformed; the
	// iterator reports io.EOF when it finds nothing.
	it.WhatIsNext()
	if !errors.Is(it.Error, io.EOF) {
		return nil, ErrJSON
	}
	for i := range streams {
		if err := streams[i].parseLegacyLabels(); err != nil {
			return nil, fmt.Errorf("stream %d: %w", i+1, err)
		}
	}
	return streams, nil
}

// readStream reads {"stream": {labels}, "values": [entries]}; other keys
// are skipped.
func readStream(it *jsoniter.Iterator) (Stream, bool) {
	var s Stream
	if it.WhatIsNext() != jsoniter.ObjectValue {
		it.ReportError("stream", "not an object")
		return s, false
	}
	it.ReadMapCB(func(it *jsoniter.Iterator, key string) bool {
		switch key {
		case "stream":
			s.Labels = readStringMap(it, s.Labels[:0])
		case "values":
			s.Entries = readArray(it, "values", s.Entries, readEntry)
		case "labels":
			if it.WhatIsNext() != jsoniter.StringValue {
				it.ReportError("labels", "not a string")
				return false
			}
			s.legacyLabels, s.hasLegacyLabels = it.ReadString(), true
		case "entries":
			s.Entries = readArray(it, "entries", s.Entries, readLegacyEntry)
		default:
			it.Skip()
		}
		return it.Error == nil
	})
	return s, it.Error == nil
}

// readArray appends to dst the elements of an array, each read by read,
// and stops at the first it cannot read. null is an empty array; anything
// else is an error named what.
func readArray[T any](it *jsoniter.Iterator, what string, dst []T, read func(*jsoniter.Iterator) (T, bool)) []T {
	if next := it.WhatIsNext(); next != jsoniter.ArrayValue && next != jsoniter.NilValue {
		it.ReportError(what, "not an array")
		return dst
	}
	it.ReadArrayCB(func(it *jsoniter.Iterator) bool {
		v, ok := read(it)
		if ok {
			dst = append(dst, v)
		}
		return ok
	})
	return dst
}

// readStringMap reads an object whose values are strings (labels,
// structured metadata); a repeated key keeps its last value, as Loki's
// map decoding does.
func readStringMap(it *jsoniter.Iterator, dst []push.LabelAdapter) []push.LabelAdapter {
	next := it.WhatIsNext()
	if next == jsoniter.NilValue {
		it.ReadNil()
		return dst
	}
	if next != jsoniter.ObjectValue {
		it.ReportError("labels", "not an object")
		return dst
	}
	it.ReadMapCB(func(it *jsoniter.Iterator, key string) bool {
		if it.WhatIsNext() != jsoniter.StringValue {
			it.ReportError("labels", "value not a string")
			return false
		}
		value := it.ReadString()
		if i := slices.IndexFunc(dst, func(l push.LabelAdapter) bool { return l.Name == key }); i >= 0 {
			dst[i].Value = value
		} else {
			dst = append(dst, push.LabelAdapter{Name: key, Value: value})
		}
		return it.Error == nil
	})
	return dst
}

// readEntry reads ["<unix ns>", "<line>"] or ["<unix ns>", "<line>",
// {structured metadata}]. The time may also be a JSON integer.
func readEntry(it *jsoniter.Iterator) (push.Entry, bool) {
	var e push.Entry
	if it.WhatIsNext() != jsoniter.ArrayValue {
		it.ReportError("entry", "not an array")
		return e, false
	}
	i := 0
	it.ReadArrayCB(func(it *jsoniter.Iterator) bool {
		switch i {
		case 0:
			var digits string
			switch it.WhatIsNext() {
			case jsoniter.StringValue:
				digits = it.ReadString()
			case jsoniter.NumberValue:
				digits = string(it.ReadNumber())
			default:
				it.ReportError("entry", "timestamp not a string")
				return false
			}
			ns, err := strconv.ParseInt(digits, 10, 64)
			if err != nil {
				it.ReportError("entry", "timestamp not an integer")
				return false
			}
			e.Timestamp = time.Unix(0, ns)
		case 1:
			if it.WhatIsNext() != jsoniter.StringValue {
				it.ReportError("entry", "line not a string")
				return false
			}
			e.Line = it.ReadString()
		case 2:
			e.StructuredMetadata = readStringMap(it, nil)
		default:
			it.ReportError("entry", "more than 3 elements")
			return false
		}
		i++
		return it.Error == nil
	})
	if it.Error == nil && i < 2 {
		it.ReportError("entry", "fewer than 2 elements")
	}
	return e, it.Error == nil
}

// readLegacyEntry reads {"ts": "<RFC 3339>", "line": "<line>"}; other keys
// are skipped.
func readLegacyEntry(it *jsoniter.Iterator) (push.Entry, bool) {
	var e push.Entry
	if it.WhatIsNext() != jsoniter.ObjectValue {
		it.ReportError("entry", "not an object")
		return e, false
	}
	hasLine := false
	it.ReadMapCB(func(it *jsoniter.Iterator, key string) bool {
		switch key {
		case "ts", "timestamp":
			if it.WhatIsNext() != jsoniter.StringValue {
				it.ReportError("entry", "ts not a string")
				return false
			}
			ts, err := time.Parse(time.RFC3339Nano, it.ReadString())
			if err != nil {
				it.ReportError("entry", "ts not RFC 3339")
				return false
			}
			e.Timestamp = ts
		case "line":
			if it.WhatIsNext() != jsoniter.StringValue {
				it.ReportError("entry", "line not a string")
				return false
			}
			e.Line, hasLine = it.ReadString(), true
		default:
			it.Skip()
		}
		return it.Error == nil
	})
	if it.Error == nil && !hasLine {
		it.ReportError("entry", "no line")
	}
	return e, it.Error == nil
}

// parseLegacyLabels parses the label string of a legacy stream into its
// labels; a stream with both forms keeps the object's labels.
func (s *Stream) parseLegacyLabels() error {
	if !s.hasLegacyLabels || len(s.Labels) > 0 {
		return nil
	}
	labels, err := ParseLabels(s.legacyLabels)
	if err != nil {
		return err
	}
	s.Labels = labels
	return nil
}
