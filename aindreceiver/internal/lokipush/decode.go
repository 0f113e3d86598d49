// Package lokipush reads Loki's push API: a request body, protobuf
// compressed with snappy or JSON, becomes streams (Decode), and streams
// become log records (Logs). The stream labels of a protobuf push are a
// string in Loki's label grammar (ParseLabels, FormatLabels).
package lokipush // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/lokipush"

import (
	"errors"
	"fmt"

	"github.com/grafana/loki/pkg/push"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/decompress"
)

// Format is the encoding of a push body.
type Format int

const (
	// Protobuf is a push.PushRequest compressed as a snappy block.
	Protobuf Format = iota
	// JSON is Loki's JSON push body.
	JSON
)

// FormatOf returns the format of a body of the given media type (lower
// case, without parameters) as Loki reads it: any body that is not JSON is
// protobuf, a missing Content-Type ("") included.
func FormatOf(mediaType string) (Format, bool) {
	switch mediaType {
	case "application/json":
		return JSON, true
	case "", "application/x-protobuf", "application/protobuf":
		return Protobuf, true
	}
	return 0, false
}

// Errors of a push body that cannot be read. Fixed strings: the
// decoders' own messages quote the body.
var (
	// ErrJSON is a JSON body that does not parse as a push request.
	ErrJSON = errors.New("invalid Loki push request: malformed JSON")
	// ErrNotSnappy is a protobuf body that is not a snappy block.
	ErrNotSnappy = errors.New("invalid Loki push request: the protobuf body must be snappy-compressed")
	// ErrProtobuf is a decompressed protobuf body that is not a
	// push.PushRequest.
	ErrProtobuf = errors.New("invalid Loki push request: malformed protobuf")
	// ErrLabels is a stream's label string that does not parse; Decode
	// says which stream ("stream 2: invalid stream labels").
	ErrLabels = errors.New("invalid stream labels")
)

// Stream is one stream of a push request, its labels parsed.
type Stream struct {
	Labels  []push.LabelAdapter
	Entries []push.Entry

	// The label string of a legacy JSON stream, parsed once the body is
	// read (parseLegacyLabels).
	legacyLabels    string
	hasLegacyLabels bool
}

// Entries counts the entries of streams: the records they make.
func Entries(streams []Stream) int {
	n := 0
	for _, s := range streams {
		n += len(s.Entries)
	}
	return n
}

// Decode reads a push body. A protobuf body is a snappy block whether or
// not Content-Encoding says "snappy" (Loki's behaviour); it must not
// decompress to more than limit bytes (decompress.ErrTooLarge). A JSON
// body is read as it is: the caller undoes its Content-Encoding. Errors
// are ErrJSON, ErrProtobuf, ErrNotSnappy, ErrLabels (wrapped, naming the
// stream) and decompress.ErrTooLarge.
func Decode(body []byte, format Format, limit int64) ([]Stream, error) {
	if format == JSON {
		return decodeJSON(body)
	}
	return decodeProtobuf(body, limit)
}

// decodeProtobuf decodes a snappy-compressed push.PushRequest.
func decodeProtobuf(body []byte, limit int64) ([]Stream, error) {
	raw, err := decompress.SnappyBlock(body, limit)
	if errors.Is(err, decompress.ErrCorrupt) {
		return nil, ErrNotSnappy
	}
	if err != nil {
		return nil, err
	}
	var req push.PushRequest
	if err := req.Unmarshal(raw); err != nil {
		return nil, ErrProtobuf
	}
	streams := make([]Stream, 0, len(req.Streams))
	for i := range req.Streams {
		labels, err := ParseLabels(req.Streams[i].Labels)
		if err != nil {
			return nil, fmt.Errorf("stream %d: %w", i+1, err)
		}
		streams = append(streams, Stream{Labels: labels, Entries: req.Streams[i].Entries})
	}
	return streams, nil
}
