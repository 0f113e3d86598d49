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
	err := ParseObject(line, lr.Body().SetEmptyMap())
	if err == nil {
		return true
	}
	lr.Body().SetStr(ValidUTF8(string(line)))
	lr.Attributes().PutStr(AttrParseError, err.Error())
	return false
}
