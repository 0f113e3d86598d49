package consoletext

import (
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/pdatajson"
)

// CopyTo sets lr's body (a map body for a JSON record that parses, else a
// string body), severity, exception attributes and aind.truncated. It
// leaves aind.parse.error unset: console text is not a failed JSON record.
// The caller sets the stream attribute and the scope.
func (r *Record) CopyTo(lr plog.LogRecord) {
	if !r.JSON || pdatajson.ParseObject([]byte(r.Body), lr.Body().SetEmptyMap()) != nil {
		lr.Body().SetStr(r.Body)
	}
	if r.Severity != plog.SeverityNumberUnspecified {
		lr.SetSeverityNumber(r.Severity)
	}
	if r.SeverityText != "" {
		lr.SetSeverityText(r.SeverityText)
	}
	if e := r.Exception; e != nil {
		if e.Type != "" {
			lr.Attributes().PutStr(aind.AttrExceptionType, e.Type)
		}
		if e.Message != "" {
			lr.Attributes().PutStr(aind.AttrExceptionMessage, e.Message)
		}
		lr.Attributes().PutStr(aind.AttrExceptionStack, e.Stacktrace)
	}
	if r.Truncated {
		lr.Attributes().PutBool(aind.AttrTruncated, true)
	}
}
