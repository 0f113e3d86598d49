package aind // import "github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"

import (
	"bytes"

	"go.opentelemetry.io/collector/pdata/plog"
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
	return decodeLine(line, lr, false)
}

// DecodeOwnedLine is DecodeLine for a line the caller gives away: the
// record's strings share the line's memory instead of a copy of it, so the
// line must never be modified afterwards. It saves copying every line on
// the file input's hot path, whose lines are fresh copies that fileconsumer
// makes for each line (TestFileInputLinesAreNotReused holds it to that).
func DecodeOwnedLine(line []byte, lr plog.LogRecord) bool {
	return decodeLine(line, lr, true)
}

func decodeLine(line []byte, lr plog.LogRecord, owned bool) bool {
	err := parseObject(line, lr.Body().SetEmptyMap(), owned)
	if err == nil {
		return true
	}
	lr.Body().SetStr(ValidUTF8(string(line)))
	lr.Attributes().PutStr(AttrParseError, err.Error())
	return false
}
