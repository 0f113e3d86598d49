package httpinput

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"

	jsoniter "github.com/json-iterator/go"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/httpstatus"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
)

// bodyKind is how an AIND request body is split into records.
type bodyKind int

const (
	// kindNDJSON: one JSON object per line.
	kindNDJSON bodyKind = iota
	// kindJSON: one JSON object, or an array of them.
	kindJSON
)

// aindMediaTypes names the Content-Types the AIND endpoint reads, for the
// answer to another one.
const aindMediaTypes = "application/x-ndjson, application/jsonl or application/json"

// maxLineErrors bounds the errors listed in a response; the rest are
// counted in errors_omitted.
const maxLineErrors = 100

// reasonTruncated is the error of a line cut to max_log_size.
const reasonTruncated = "longer than max_log_size: truncated"

// aindBodyKind maps a media type to a body kind.
func aindBodyKind(mt string) (bodyKind, bool) {
	switch mt {
	case "application/x-ndjson", "application/jsonl", "application/x-jsonl", "application/jsonlines", "application/x-jsonlines":
		return kindNDJSON, true
	case "application/json":
		return kindJSON, true
	}
	return 0, false
}

// aindResponse is the answer to an accepted AIND request.
type aindResponse struct {
	// Accepted counts the records delivered, flagged ones included.
	Accepted int `json:"accepted"`
	// Flagged counts the records delivered with aind.parse.error or
	// aind.truncated.
	Flagged int `json:"flagged"`
	// Errors lists the first maxLineErrors flagged lines.
	Errors []lineError `json:"errors"`
	// ErrorsOmitted counts the flagged lines not listed in Errors.
	ErrorsOmitted int `json:"errors_omitted,omitempty"`
}

// lineError names a flagged line by its 1-based number (for a JSON array:
// its element's position) and why; never by its content.
type lineError struct {
	Line  int    `json:"line"`
	Error string `json:"error"`
}

// aindDecoder builds one record per line of a request, and the answer.
type aindDecoder struct {
	// lines builds the records, as for the file input; its counts are the
	// request's.
	lines      jsonlines.Builder
	maxRecords int
	records    plog.LogRecordSlice
	resp       aindResponse
}

func newAindDecoder(lines jsonlines.Builder, maxRecords int, records plog.LogRecordSlice) *aindDecoder {
	return &aindDecoder{
		lines:      lines,
		maxRecords: maxRecords,
		records:    records,
		resp:       aindResponse{Errors: []lineError{}},
	}
}

// decode splits body by kind. An error means the request as a whole is
// refused and nothing may be delivered: a JSON array that does not parse
// (httpstatus.ErrInvalidArray), or more than maxRecords records
// (httpstatus.ErrTooManyRecords). Malformed lines are no error, they are
// delivered flagged.
func (d *aindDecoder) decode(kind bodyKind, body []byte) error {
	if kind == kindJSON {
		trimmed := jsonlines.CleanLine(body)
		if len(trimmed) > 0 && trimmed[0] == '[' {
			return d.decodeArray(trimmed)
		}
		return d.add(1, trimmed)
	}
	for n := 1; len(body) > 0; n++ {
		line := body
		if i := bytes.IndexByte(body, '\n'); i >= 0 {
			line, body = body[:i], body[i+1:]
		} else {
			body = nil
		}
		if err := d.add(n, line); err != nil {
			return err
		}
	}
	return nil
}

// decodeArray makes each element of a JSON array a line. Elements are
// decoded as lines are, so one that is not an object is delivered flagged.
func (d *aindDecoder) decodeArray(data []byte) error {
	it := jsoniter.ConfigDefault.BorrowIterator(data)
	defer jsoniter.ConfigDefault.ReturnIterator(it)
	n := 0
	var err error
	it.ReadArrayCB(func(it *jsoniter.Iterator) bool {
		n++
		elem := it.SkipAndReturnBytes()
		if it.Error != nil {
			return false
		}
		err = d.add(n, elem)
		return err == nil
	})
	if err != nil {
		return err
	}
	if it.Error != nil {
		return httpstatus.ErrInvalidArray
	}
	it.WhatIsNext()
	if !errors.Is(it.Error, io.EOF) {
		return httpstatus.ErrInvalidArray
	}
	return nil
}

// add makes line n a record, unless it is empty, and lists it in the
// answer when it was flagged.
func (d *aindDecoder) add(n int, raw []byte) error {
	line, ok := d.lines.Prepare(raw)
	if !ok {
		return nil
	}
	if d.resp.Accepted >= d.maxRecords {
		return httpstatus.ErrTooManyRecords
	}
	lr, parsed := d.lines.Append(d.records, line)
	d.resp.Accepted++
	if parsed && !line.Truncated {
		return nil
	}
	d.resp.Flagged++
	var reasons []string
	if line.Truncated {
		reasons = append(reasons, reasonTruncated)
	}
	if !parsed {
		if v, found := lr.Attributes().Get(aind.AttrParseError); found {
			reasons = append(reasons, v.Str())
		}
	}
	if len(d.resp.Errors) < maxLineErrors {
		d.resp.Errors = append(d.resp.Errors, lineError{Line: n, Error: strings.Join(reasons, "; ")})
	} else {
		d.resp.ErrorsOmitted++
	}
	return nil
}

// handleAind serves POST aind_path: 200 with an aindResponse when accepted.
func (in *Input) handleAind(w http.ResponseWriter, r *http.Request) {
	if !in.checkMethod(w, r) {
		return
	}
	mt, ok := mediaType(r)
	kind, known := aindBodyKind(mt)
	if !ok || !known {
		in.writeError(w, r, httpstatus.UnsupportedMediaType(aindMediaTypes))
		return
	}
	mem := in.openMemory(r.Context())
	defer mem.close()
	raw, err := in.readBody(r, mem)
	if err != nil {
		in.writeError(w, r, err)
		return
	}
	defer raw.release()
	body, err := in.decodeContentEncoding(r, raw.data, mem)
	if err != nil {
		in.writeError(w, r, err)
		return
	}

	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	in.putResource(rl.Resource().Attributes(), nil, in.resourceAttrs(r))
	// The records copy what they keep of the pooled body.
	lines := jsonlines.Builder{MaxLogSize: in.maxLogSize, Observed: observedNow()}
	d := newAindDecoder(lines, in.maxRecords, rl.ScopeLogs().AppendEmpty().LogRecords())
	if err := d.decode(kind, body); err != nil {
		in.writeError(w, r, err)
		return
	}
	if d.resp.Accepted > 0 {
		format := formatAindJSONL
		if kind == kindJSON {
			format = formatAindJSON
		}
		if err := in.consume(r.Context(), ld, format); err != nil {
			in.refused(w, r, d.resp.Accepted, err)
			return
		}
	}
	input.CountLines(r.Context(), in.telemetry, d.lines.Counts())
	writeJSON(w, http.StatusOK, d.resp)
}
