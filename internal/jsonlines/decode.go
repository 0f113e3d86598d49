// Package jsonlines turns one AIND JSON Lines line into one log record. Every
// input of the receiver builds its records with a Builder, so that a line
// is cleaned, cut, decoded, flagged and counted the same way whichever way
// it came; the processor's tests build their records with DecodeLine.
package jsonlines // import "github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"

import (
	"bytes"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/pdatajson"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/utf8text"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// CleanLine strips a UTF-8 byte order mark, a CR left by CRLF endings and
// surrounding white space. An empty result means the line carries nothing.
func CleanLine(line []byte) []byte {
	return bytes.TrimSpace(bytes.TrimPrefix(line, utf8BOM))
}

// DecodeLine makes one JSON Lines line the body of lr. A JSON object becomes
// a map body and DecodeLine returns true. Anything else is still delivered:
// the body is the raw text (invalid UTF-8 replaced) and aind.parse.error
// holds a short reason that never quotes the line.
func DecodeLine(line []byte, lr plog.LogRecord) bool {
	return flagUnparsed(line, lr, pdatajson.ParseObject(line, lr.Body().SetEmptyMap()))
}

// DecodeOwnedLine is DecodeLine for a line the caller gives away: the
// record's strings share the line's memory instead of a copy of it, so the
// line must never be modified afterwards. It saves copying every line on
// the file input's hot path, whose lines are fresh copies that fileconsumer
// makes for each line (TestFileInputLinesAreNotReused holds it to that).
func DecodeOwnedLine(line []byte, lr plog.LogRecord) bool {
	return flagUnparsed(line, lr, pdatajson.ParseOwnedObject(line, lr.Body().SetEmptyMap()))
}

// flagUnparsed makes a line that is not a JSON object a text body, with
// the decoder's fixed reason, and reports whether the line was one.
func flagUnparsed(line []byte, lr plog.LogRecord, err error) bool {
	if err == nil {
		return true
	}
	lr.Body().SetStr(utf8text.Repair(string(line)))
	lr.Attributes().PutStr(aind.AttrParseError, err.Error())
	return false
}
