package aindreceiver // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver"

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/golang/snappy"
	jsoniter "github.com/json-iterator/go"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/utf8text"
)

// bodyKind is how an AIND request body is split into records.
type bodyKind int

const (
	// kindNDJSON: one JSON object per line.
	kindNDJSON bodyKind = iota
	// kindJSON: one JSON object, or an array of them.
	kindJSON
)

// maxLineErrors bounds the errors listed in a response; the rest are
// counted in errors_omitted.
const maxLineErrors = 100

// reasonTruncated is the error of a line cut to max_log_size.
const reasonTruncated = "longer than max_log_size: truncated"

var errInvalidArray = errors.New("the body is not a valid JSON array")

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

// aindDecoder builds one record per line of a request.
type aindDecoder struct {
	maxLogSize int
	maxRecords int
	records    plog.LogRecordSlice
	observed   pcommon.Timestamp

	resp                          aindResponse
	empty, truncated, parseErrors int
}

func newAindDecoder(maxLogSize, maxRecords int, records plog.LogRecordSlice, observed pcommon.Timestamp) *aindDecoder {
	return &aindDecoder{
		maxLogSize: maxLogSize,
		maxRecords: maxRecords,
		records:    records,
		observed:   observed,
		resp:       aindResponse{Errors: []lineError{}},
	}
}

// decode splits body by kind. An error means the request as a whole is
// refused and nothing may be delivered: a JSON array that does not parse,
// or more than maxRecords records (errTooManyRecords). Malformed lines are
// no error, they are delivered flagged.
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
		return errInvalidArray
	}
	it.WhatIsNext()
	if !errors.Is(it.Error, io.EOF) {
		return errInvalidArray
	}
	return nil
}

// add makes one line a record, as the file input does: cleaned, skipped
// when empty, cut to max_log_size, decoded by jsonlines.DecodeLine.
func (d *aindDecoder) add(n int, line []byte) error {
	line = jsonlines.CleanLine(line)
	if len(line) == 0 {
		d.empty++
		return nil
	}
	if d.resp.Accepted >= d.maxRecords {
		return errTooManyRecords
	}
	cut := len(line) > d.maxLogSize
	if cut {
		line = utf8text.Cut(line, d.maxLogSize)
		d.truncated++
	}
	lr := d.records.AppendEmpty()
	lr.SetObservedTimestamp(d.observed)
	ok := jsonlines.DecodeLine(line, lr)
	if cut {
		lr.Attributes().PutBool(aind.AttrTruncated, true)
	}
	d.resp.Accepted++
	if ok && !cut {
		return nil
	}
	d.resp.Flagged++
	var reasons []string
	if cut {
		reasons = append(reasons, reasonTruncated)
	}
	if !ok {
		d.parseErrors++
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

// handleAind serves POST aind_path.
func (in *httpInput) handleAind(w http.ResponseWriter, r *http.Request) {
	if !in.checkMethod(w, r) {
		return
	}
	mt, ok := mediaType(r)
	kind, known := aindBodyKind(mt)
	if !ok || !known {
		in.writeError(w, r, http.StatusUnsupportedMediaType,
			"unsupported Content-Type: use application/x-ndjson, application/jsonl or application/json")
		return
	}
	buf, status, err := in.readBody(r)
	if err != nil {
		in.writeError(w, r, status, err.Error())
		return
	}
	defer releaseBody(buf)
	body, status, err := in.decodeContentEncoding(r, buf.Bytes())
	if err != nil {
		in.writeError(w, r, status, err.Error())
		return
	}

	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	in.putResource(rl.Resource().Attributes(), nil, in.resourceAttrs(r))
	d := newAindDecoder(in.maxLogSize, in.maxRecords, rl.ScopeLogs().AppendEmpty().LogRecords(), observedNow())
	if err := d.decode(kind, body); err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, errTooManyRecords) {
			status = http.StatusRequestEntityTooLarge
		}
		in.writeError(w, r, status, err.Error())
		return
	}
	if d.resp.Accepted > 0 {
		format := formatAindJSONL
		if kind == kindJSON {
			format = formatAindJSON
		}
		if err := in.consume(r.Context(), ld, format); err != nil {
			in.refusal(w, r, d.resp.Accepted, err)
			return
		}
	}
	in.countLines(r, d.empty, d.truncated, d.parseErrors)
	writeJSON(w, http.StatusOK, d.resp)
}

// countLines adds an accepted request's line counts to the receiver's
// telemetry.
func (in *httpInput) countLines(r *http.Request, empty, truncated, parseErrors int) {
	ctx := r.Context()
	if empty > 0 {
		in.telemetry.ReceiverAindEmptyLines.Add(ctx, int64(empty))
	}
	if truncated > 0 {
		in.telemetry.ReceiverAindTruncatedLines.Add(ctx, int64(truncated))
	}
	if parseErrors > 0 {
		in.telemetry.ReceiverAindParseErrors.Add(ctx, int64(parseErrors))
	}
}

// decodeContentEncoding undoes a "snappy" Content-Encoding that confighttp
// left in place (see snappyPassThrough). Any other encoding was undone by
// confighttp, which removed the header.
func (in *httpInput) decodeContentEncoding(r *http.Request, body []byte) ([]byte, int, error) {
	switch r.Header.Get(headerContentEncoding) {
	case "", "identity":
		return body, 0, nil
	case "snappy":
		if !in.snappyPassThrough {
			return nil, http.StatusUnsupportedMediaType, errUnsupportedCE
		}
		return decodeSnappy(body, in.maxBodySize)
	default:
		return nil, http.StatusUnsupportedMediaType, errUnsupportedCE
	}
}

// snappyFramingHeader starts every snappy framed stream.
var snappyFramingHeader = []byte("\xff\x06\x00\x00sNaPpY")

// decodeSnappy decodes a snappy block, or a snappy framed stream (which
// some clients send as "snappy", as confighttp accepts), into at most max
// bytes.
func decodeSnappy(body []byte, limit int64) ([]byte, int, error) {
	if bytes.HasPrefix(body, snappyFramingHeader) {
		out, err := io.ReadAll(io.LimitReader(snappy.NewReader(bytes.NewReader(body)), limit+1))
		if err != nil {
			return nil, http.StatusBadRequest, errBadEncoding
		}
		if int64(len(out)) > limit {
			return nil, http.StatusRequestEntityTooLarge, errBodyTooLarge
		}
		return out, 0, nil
	}
	return decodeSnappyBlock(body, limit, errBadEncoding)
}

// decodeSnappyBlock decodes a snappy block after checking the size it
// declares, so a small body cannot make it allocate more than limit.
func decodeSnappyBlock(body []byte, limit int64, invalid error) ([]byte, int, error) {
	n, err := snappy.DecodedLen(body)
	if err != nil {
		return nil, http.StatusBadRequest, invalid
	}
	if int64(n) > limit {
		return nil, http.StatusRequestEntityTooLarge, errBodyTooLarge
	}
	out, err := snappy.Decode(nil, body)
	if err != nil {
		return nil, http.StatusBadRequest, invalid
	}
	return out, 0, nil
}
