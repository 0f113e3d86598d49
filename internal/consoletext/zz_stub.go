// TEMPORARY STUB — replaced by the real package from branch console-decoder.
package consoletext

import (
	"bytes"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/pdatajson"
)

type Config struct {
	MaxLogSize     int
	RedrawInterval time.Duration
	HoldInterval   time.Duration
}
type Exception struct{ Type, Message, Stacktrace string }
type Record struct {
	Body         string
	JSON         bool
	Severity     plog.SeverityNumber
	SeverityText string
	Logger       string
	Exception    *Exception
	Truncated    bool
}
type Decoder struct {
	buf      []byte
	consumed int64
}

func NewDecoder(cfg Config) *Decoder { return &Decoder{} }
func (d *Decoder) Write(p []byte, now time.Time, out []Record) []Record {
	d.buf = append(d.buf, p...)
	for {
		i := bytes.IndexByte(d.buf, '\n')
		if i < 0 {
			return out
		}
		line := bytes.TrimSpace(d.buf[:i])
		if len(line) > 0 {
			out = append(out, Record{Body: string(line), JSON: line[0] == '{'})
		}
		d.consumed += int64(i + 1)
		d.buf = d.buf[i+1:]
	}
}
func (d *Decoder) Tick(now time.Time, out []Record) []Record { return out }
func (d *Decoder) Flush(out []Record) []Record {
	if len(d.buf) > 0 {
		out = append(out, Record{Body: string(d.buf)})
		d.consumed += int64(len(d.buf))
		d.buf = nil
	}
	return out
}
func (d *Decoder) Consumed() int64 { return d.consumed }
func (r *Record) CopyTo(lr plog.LogRecord) {
	if r.JSON && pdatajson.ParseObject([]byte(r.Body), lr.Body().SetEmptyMap()) == nil {
		return
	}
	lr.Body().SetStr(r.Body)
}
