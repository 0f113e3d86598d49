package aindreceiver // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver"

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/grafana/loki/pkg/push"
	jsoniter "github.com/json-iterator/go"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/utf8text"
)

// Errors of the Loki push API. Fixed strings: the decoders' own messages
// quote the body.
var (
	errLokiJSON     = errors.New("invalid Loki push request: malformed JSON")
	errLokiProtobuf = errors.New("invalid Loki push request: malformed protobuf")
	errLokiSnappy   = errors.New("invalid Loki push request: the protobuf body must be snappy-compressed")
	errLokiLabels   = errors.New("invalid stream labels")
)

// lokiServiceNameLabel is the label Loki makes of the service.name resource
// attribute; the gateway maps it back.
const lokiServiceNameLabel = "service_name"

// lokiStream is one stream of a push request, its labels parsed.
type lokiStream struct {
	labels  []push.LabelAdapter
	entries []push.Entry
}

// handleLoki serves POST loki_path like Loki's own push API: JSON, or
// protobuf compressed with snappy; 204 when accepted.
func (in *httpInput) handleLoki(w http.ResponseWriter, r *http.Request) {
	if !in.checkMethod(w, r) {
		return
	}
	mt, ok := mediaType(r)
	protobuf := false
	switch {
	case !ok:
		in.writeError(w, r, http.StatusUnsupportedMediaType, "unsupported Content-Type: use application/json or application/x-protobuf")
		return
	case mt == "application/json":
	case mt == "" || mt == "application/x-protobuf" || mt == "application/protobuf":
		// Loki reads any body that is not JSON as snappy-compressed
		// protobuf; a missing Content-Type included.
		protobuf = true
	default:
		in.writeError(w, r, http.StatusUnsupportedMediaType, "unsupported Content-Type: use application/json or application/x-protobuf")
		return
	}
	buf, status, err := in.readBody(r)
	if err != nil {
		in.writeError(w, r, status, err.Error())
		return
	}
	defer releaseBody(buf)

	var streams []lokiStream
	format := formatLokiJSON
	if protobuf {
		// The body is a snappy block whether or not Content-Encoding
		// says "snappy" (Loki's behaviour).
		format = formatLokiProtobuf
		streams, status, err = decodeLokiProtobuf(buf.Bytes(), in.maxBodySize)
	} else {
		var body []byte
		body, status, err = in.decodeContentEncoding(r, buf.Bytes())
		if err == nil {
			status = http.StatusBadRequest
			streams, err = decodeLokiJSON(body)
		}
	}
	if err != nil {
		in.writeError(w, r, status, err.Error())
		return
	}
	entries := 0
	for _, s := range streams {
		entries += len(s.entries)
	}
	if entries > in.maxRecords {
		in.writeError(w, r, http.StatusRequestEntityTooLarge, errTooManyRecords.Error())
		return
	}

	ld, count, truncated := in.buildLoki(streams, in.resourceAttrs(r), observedNow())
	if count > 0 {
		if err := in.consume(r.Context(), ld, format); err != nil {
			in.refusal(w, r, count, err)
			return
		}
		in.countLines(r, 0, truncated, 0)
	}
	w.WriteHeader(http.StatusNoContent)
}

// buildLoki makes one resource per stream (the static resource, the
// stream's labels, then the request's attributes) and one record per
// entry: Timestamp from the entry, the line as a string body (the aind
// processor maps a line holding a JSON object), structured metadata as
// record attributes. It returns the logs, the number of records and how
// many were cut to max_log_size.
func (in *httpInput) buildLoki(streams []lokiStream, request [][2]string, observed pcommon.Timestamp) (plog.Logs, int, int) {
	ld := plog.NewLogs()
	count, truncated := 0, 0
	for _, s := range streams {
		if len(s.entries) == 0 {
			continue
		}
		rl := ld.ResourceLogs().AppendEmpty()
		in.putResource(rl.Resource().Attributes(), func(m pcommon.Map) {
			for _, l := range s.labels {
				m.PutStr(lokiLabelAttr(l.Name), utf8text.Repair(l.Value))
			}
		}, request)
		records := rl.ScopeLogs().AppendEmpty().LogRecords()
		records.EnsureCapacity(len(s.entries))
		for i := range s.entries {
			e := &s.entries[i]
			lr := records.AppendEmpty()
			lr.SetObservedTimestamp(observed)
			if ts, ok := lokiTimestamp(e.Timestamp); ok {
				lr.SetTimestamp(ts)
			}
			line := e.Line
			if len(line) > in.maxLogSize {
				line = strings.Clone(utf8text.Cut(line, in.maxLogSize))
				lr.Attributes().PutBool(aind.AttrTruncated, true)
				truncated++
			}
			lr.Body().SetStr(utf8text.Repair(line))
			for _, m := range e.StructuredMetadata {
				if m.Name != "" {
					lr.Attributes().PutStr(utf8text.Repair(m.Name), utf8text.Repair(m.Value))
				}
			}
			count++
		}
	}
	return ld, count, truncated
}

// lokiLabelAttr names the resource attribute of a stream label: the label
// Loki derives from service.name maps back to it, others keep their name.
func lokiLabelAttr(label string) string {
	if label == lokiServiceNameLabel {
		return aind.ResourceServiceName
	}
	return utf8text.Repair(label)
}

// lokiTimestamp converts an entry's time; times pdata cannot hold (before
// 1970, after 2262, or unset) leave Timestamp unset.
func lokiTimestamp(t time.Time) (pcommon.Timestamp, bool) {
	if t.IsZero() || t.Year() >= 2262 || t.Unix() < 0 {
		return 0, false
	}
	ns := t.UnixNano()
	if ns <= 0 {
		return 0, false
	}
	return pcommon.Timestamp(ns), true
}

// decodeLokiProtobuf decodes a snappy-compressed push.PushRequest, whose
// decompressed size must not exceed limit.
func decodeLokiProtobuf(body []byte, limit int64) ([]lokiStream, int, error) {
	raw, status, err := decodeSnappyBlock(body, limit, errLokiSnappy)
	if err != nil {
		return nil, status, err
	}
	var req push.PushRequest
	if err := req.Unmarshal(raw); err != nil {
		return nil, http.StatusBadRequest, errLokiProtobuf
	}
	streams := make([]lokiStream, 0, len(req.Streams))
	for i := range req.Streams {
		labels, err := parseLokiLabels(req.Streams[i].Labels)
		if err != nil {
			return nil, http.StatusBadRequest, fmt.Errorf("stream %d: %w", i+1, err)
		}
		streams = append(streams, lokiStream{labels: labels, entries: req.Streams[i].Entries})
	}
	return streams, 0, nil
}

// decodeLokiJSON decodes Loki's JSON push body:
//
//	{"streams": [{"stream": {"label": "value"},
//	              "values": [["<unix ns>", "<line>", {"key": "value"}]]}]}
//
// where the third element of a value (structured metadata) is optional.
func decodeLokiJSON(body []byte) ([]lokiStream, error) {
	it := jsoniter.ConfigDefault.BorrowIterator(body)
	defer jsoniter.ConfigDefault.ReturnIterator(it)
	var streams []lokiStream
	if it.WhatIsNext() != jsoniter.ObjectValue {
		return nil, errLokiJSON
	}
	it.ReadMapCB(func(it *jsoniter.Iterator, key string) bool {
		if key != "streams" {
			it.Skip()
			return it.Error == nil
		}
		if next := it.WhatIsNext(); next != jsoniter.ArrayValue && next != jsoniter.NilValue {
			it.ReportError("streams", "not an array")
			return false
		}
		it.ReadArrayCB(func(it *jsoniter.Iterator) bool {
			s, ok := readLokiStream(it)
			if ok {
				streams = append(streams, s)
			}
			return ok
		})
		return it.Error == nil
	})
	if it.Error != nil {
		return nil, errLokiJSON
	}
	// Anything but white space after the object is malformed; the
	// iterator reports io.EOF when it finds nothing.
	it.WhatIsNext()
	if !errors.Is(it.Error, io.EOF) {
		return nil, errLokiJSON
	}
	return streams, nil
}

func readLokiStream(it *jsoniter.Iterator) (lokiStream, bool) {
	var s lokiStream
	if it.WhatIsNext() != jsoniter.ObjectValue {
		it.ReportError("stream", "not an object")
		return s, false
	}
	it.ReadMapCB(func(it *jsoniter.Iterator, key string) bool {
		switch key {
		case "stream":
			s.labels = readLokiStringMap(it, s.labels[:0])
		case "values":
			if next := it.WhatIsNext(); next != jsoniter.ArrayValue && next != jsoniter.NilValue {
				it.ReportError("values", "not an array")
				return false
			}
			it.ReadArrayCB(func(it *jsoniter.Iterator) bool {
				e, ok := readLokiEntry(it)
				if ok {
					s.entries = append(s.entries, e)
				}
				return ok
			})
		default:
			it.Skip()
		}
		return it.Error == nil
	})
	return s, it.Error == nil
}

// readLokiStringMap reads an object whose values are strings (labels,
// structured metadata); a repeated key keeps its last value, as Loki's
// map decoding does.
func readLokiStringMap(it *jsoniter.Iterator, dst []push.LabelAdapter) []push.LabelAdapter {
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

// readLokiEntry reads ["<unix ns>", "<line>"] or ["<unix ns>", "<line>",
// {structured metadata}]. The time may also be a JSON integer.
func readLokiEntry(it *jsoniter.Iterator) (push.Entry, bool) {
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
			e.StructuredMetadata = readLokiStringMap(it, nil)
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

// parseLokiLabels parses a Loki stream selector as pushed in protobuf:
// {name="value", other="value"}. Names are identifiers or, as Prometheus 3
// allows, quoted strings; values are quoted with ", ' or ` and use Go
// escapes. The labels come back sorted by name; a repeated name is an
// error, as in Loki.
func parseLokiLabels(s string) ([]push.LabelAdapter, error) {
	p := labelParser{s: s}
	p.skipSpace()
	if !p.consume('{') {
		return nil, errLokiLabels
	}
	var labels []push.LabelAdapter
	p.skipSpace()
	for !p.consume('}') {
		name, ok := p.name()
		if !ok {
			return nil, errLokiLabels
		}
		p.skipSpace()
		if !p.consume('=') {
			return nil, errLokiLabels
		}
		p.skipSpace()
		value, ok := p.quoted()
		if !ok {
			return nil, errLokiLabels
		}
		labels = append(labels, push.LabelAdapter{Name: name, Value: value})
		p.skipSpace()
		if p.consume(',') {
			p.skipSpace()
			continue
		}
		if p.peek() != '}' {
			return nil, errLokiLabels
		}
	}
	p.skipSpace()
	if p.i != len(p.s) {
		return nil, errLokiLabels
	}
	slices.SortStableFunc(labels, func(a, b push.LabelAdapter) int { return strings.Compare(a.Name, b.Name) })
	for i := 1; i < len(labels); i++ {
		if labels[i].Name == labels[i-1].Name {
			return nil, fmt.Errorf("%w: a label name is repeated", errLokiLabels)
		}
	}
	return labels, nil
}

// formatLokiLabels is the inverse of parseLokiLabels (used by tests and
// benchmarks to build protobuf requests).
func formatLokiLabels(labels []push.LabelAdapter) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, l := range labels {
		if i > 0 {
			b.WriteString(", ")
		}
		if isLabelIdent(l.Name) {
			b.WriteString(l.Name)
		} else {
			b.WriteString(strconv.Quote(l.Name))
		}
		b.WriteByte('=')
		b.WriteString(strconv.Quote(l.Value))
	}
	b.WriteByte('}')
	return b.String()
}

type labelParser struct {
	s string
	i int
}

func (p *labelParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *labelParser) consume(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *labelParser) skipSpace() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// name reads a label name: an identifier, or a quoted non-empty string.
func (p *labelParser) name() (string, bool) {
	switch p.peek() {
	case '"', '\'', '`':
		name, ok := p.quoted()
		return name, ok && name != ""
	}
	start := p.i
	for p.i < len(p.s) && isLabelChar(p.s[p.i], p.i == start) {
		p.i++
	}
	return p.s[start:p.i], p.i > start
}

// quoted reads a string in ", ' or ` quotes; the first two take Go escapes
// (\n, \", \x41, \u00e9, ...). The result is valid UTF-8.
func (p *labelParser) quoted() (string, bool) {
	q := p.peek()
	switch q {
	case '`':
		end := strings.IndexByte(p.s[p.i+1:], '`')
		if end < 0 {
			return "", false
		}
		v := p.s[p.i+1 : p.i+1+end]
		p.i += end + 2
		return utf8text.Repair(v), true
	case '"', '\'':
	default:
		return "", false
	}
	var b strings.Builder
	rest := p.s[p.i+1:]
	for {
		if rest == "" {
			return "", false
		}
		if rest[0] == q {
			p.i = len(p.s) - len(rest) + 1
			return utf8text.Repair(b.String()), true
		}
		if rest[0] == '\n' {
			return "", false
		}
		r, multibyte, tail, err := strconv.UnquoteChar(rest, q)
		if err != nil {
			return "", false
		}
		if r < utf8.RuneSelf || !multibyte {
			b.WriteByte(byte(r))
		} else {
			b.WriteRune(r)
		}
		rest = tail
	}
}

func isLabelChar(c byte, first bool) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9')
}

func isLabelIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isLabelChar(s[i], i == 0) {
			return false
		}
	}
	return true
}
