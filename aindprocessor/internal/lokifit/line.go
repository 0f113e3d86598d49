package lokifit // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/utf8text"
)

// fitLine cuts the body to the line size, on a UTF-8 boundary. A non-string
// body is cut as the JSON text Loki would show and becomes a string. It
// reports whether it cut and whether it had to add aind.truncated.
func (f *fitter) fitLine(lr plog.LogRecord) (cut, flagged bool) {
	limit := f.lim.maxLine
	body := lr.Body()
	if limit == 0 || lineBound(body) <= limit {
		return false, false
	}
	s := body.AsString() // a string body as is
	if len(s) <= limit {
		return false, false
	}
	body.SetStr(strings.Clone(utf8text.Cut(s, limit)))
	attrs := lr.Attributes()
	if v, ok := attrs.Get(aind.AttrTruncated); ok && v.Type() == pcommon.ValueTypeBool && v.Bool() {
		return true, false
	}
	attrs.PutBool(aind.AttrTruncated, true)
	return true, true
}
