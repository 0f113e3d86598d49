// Package consoletext turns what a process prints (its stdout or its
// stderr, as bytes) into log records: one record per line, a Python
// traceback as one record, a line redrawn with carriage returns (a progress
// bar) as one record of its final state, a level where the line starts with
// one in a common logging format. design.md says which rules and why.
package consoletext // import "github.com/AllenNeuralDynamics/otelcol-aind/internal/consoletext"

import (
	"bytes"
	"time"
	"unicode/utf8"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
)

// Config bounds what a Decoder holds.
type Config struct {
	// MaxLogSize is the longest record body in bytes (>0). A longer line,
	// or traceback, is cut on a UTF-8 boundary and flagged Truncated; the
	// decoder never buffers more than about this much per record (bytes
	// past it are consumed and discarded).
	MaxLogSize int
	// RedrawInterval bounds how long a line still in progress (redrawn
	// with carriage returns, like tqdm progress bars, or a partial line
	// with no newline yet) is held: past it, its current state becomes a
	// record (and the line's later state another one). Default 60s when
	// zero.
	RedrawInterval time.Duration
	// HoldInterval bounds how long a complete line is held to see whether
	// what follows belongs to it (an ERROR/CRITICAL logging line that may
	// be followed by its traceback; a traceback's exception line that may
	// be followed by a chained section). Default 1s when zero.
	HoldInterval time.Duration
}

const (
	defaultRedrawInterval = 60 * time.Second
	defaultHoldInterval   = time.Second
)

// Exception is what a Python traceback says: the last exception's type and
// message, and the whole traceback text.
type Exception struct{ Type, Message, Stacktrace string }

// Record is one log record of the stream.
type Record struct {
	// Body is the text (ANSI escapes removed, invalid UTF-8 repaired); for
	// JSON, the cleaned line.
	Body string
	// JSON says the line looks like a JSON object ({...}): the caller
	// decodes it with pdatajson and falls back to text if it is not one.
	JSON         bool
	Severity     plog.SeverityNumber
	SeverityText string // the level name as written, e.g. "WARNING"; "" when unset
	Logger       string // the logger name where the format carries one, else ""
	Exception    *Exception
	Truncated    bool
}

// Decoder decodes one stream. It is not safe for concurrent use.
type Decoder struct {
	maxLogSize int
	redraw     time.Duration
	hold       time.Duration

	written int64 // bytes of the stream seen so far

	// The line in progress. lineStart is the offset of its first byte,
	// lineSince when that byte arrived; lineActive says a byte of it has.
	lineStart  int64
	lineSince  time.Time
	lineActive bool
	// cur is the segment after the line's last carriage return, last the
	// latest non-blank segment before it: a redrawn line's state is cur,
	// or last while cur is still blank. Both hold text with ANSI escapes
	// already removed, so that their bound applies to what is kept.
	cur, last segment
	esc       escState

	// What the line machine holds (lines.go).
	held      heldKind
	heldStart int64     // offset of the first byte of what is held
	heldAt    time.Time // when the held record was last extended
	heldLog   Record    // the held logging line (also a traceback's joined line)
	tb        traceback
}

// NewDecoder returns a decoder of one stream, starting at offset 0.
func NewDecoder(cfg Config) *Decoder {
	if cfg.MaxLogSize <= 0 {
		panic("consoletext: MaxLogSize must be positive")
	}
	d := &Decoder{maxLogSize: cfg.MaxLogSize, redraw: cfg.RedrawInterval, hold: cfg.HoldInterval}
	if d.redraw <= 0 {
		d.redraw = defaultRedrawInterval
	}
	if d.hold <= 0 {
		d.hold = defaultHoldInterval
	}
	return d
}

// Write consumes p, the next bytes of the stream (cut anywhere, even inside
// a UTF-8 character or an escape sequence), at time now, and appends the
// records it completed to out.
func (d *Decoder) Write(p []byte, now time.Time, out []Record) []Record {
	// What was held too long is let go first, as a Tick just before this
	// Write would have: the result must not depend on whether the caller
	// ticks.
	out = d.Tick(now, out)
	for len(p) > 0 {
		if !d.lineActive {
			d.lineActive = true
			d.lineSince = now
		}
		nl := bytes.IndexByte(p, '\n')
		if nl < 0 {
			d.feedLine(p)
			d.written += int64(len(p))
			return out
		}
		line := p[:nl]
		p = p[nl+1:]
		d.written += int64(len(line)) + 1
		// Nearly every line is whole in one Write, short, without escapes
		// and not redrawn: it goes to the line machine without a copy.
		if d.cur.empty() && d.last.empty() && d.esc == escNone && len(line) <= d.bufLimit() {
			plain := line
			if n := len(plain); n > 0 && plain[n-1] == '\r' {
				plain = plain[:n-1] // a CRLF ending, not a redraw
			}
			if bytes.IndexByte(plain, '\r') < 0 && bytes.IndexByte(plain, escByte) < 0 {
				out = d.line(plain, false, now, out)
				d.endLine()
				continue
			}
		}
		d.feedLine(line)
		// A line end ends an escape sequence cut short, as a carriage
		// return does.
		d.esc = escNone
		out = d.finishLine(now, out)
	}
	return out
}

// Tick lets time pass without input: what was held longer than its
// interval becomes records.
func (d *Decoder) Tick(now time.Time, out []Record) []Record {
	if d.held != heldNone && now.Sub(d.heldAt) >= d.hold {
		out = d.release(out)
	}
	if d.lineActive && now.Sub(d.lineSince) >= d.redraw {
		// The line's state as it stands becomes a record and the line
		// starts again here, so that a progress bar that never ends still
		// reports and its bytes are checkpointed.
		out = d.finishLine(now, out)
	}
	return out
}

// Flush ends the stream: everything held becomes records.
func (d *Decoder) Flush(out []Record) []Record {
	if d.lineActive {
		out = d.finishLine(d.lineSince, out)
	}
	d.esc = escNone
	return d.release(out)
}

// Consumed is the offset (bytes written so far minus bytes held) of the
// first stream byte not yet in a returned record: the checkpoint of a
// caller that delivered every record returned so far. Bytes that produced
// no record (empty lines, discarded overflow) count as consumed once
// passed.
func (d *Decoder) Consumed() int64 {
	if d.held != heldNone {
		return d.heldStart
	}
	return d.lineStart
}

// bufLimit is how much text a buffer keeps: MaxLogSize, and room to see
// whether the character the limit falls in is whole (utf8text.Cut).
func (d *Decoder) bufLimit() int {
	return d.maxLogSize + utf8.UTFMax
}

// feedLine adds bytes of the line in progress (no newline among them).
func (d *Decoder) feedLine(p []byte) {
	for {
		cr := bytes.IndexByte(p, '\r')
		if cr < 0 {
			d.feed(p)
			return
		}
		d.feed(p[:cr])
		d.endSegment()
		p = p[cr+1:]
	}
}

// endSegment ends the line's current segment at a carriage return: if it
// shows something, it is the line's state until a later segment does.
func (d *Decoder) endSegment() {
	// A carriage return ends an escape sequence cut short: one left open
	// would swallow the redrawn text.
	d.esc = escNone
	if !d.cur.blank() {
		d.cur, d.last = d.last, d.cur
	}
	d.cur.reset()
}

// finishLine hands the line's state to the line machine and starts a new
// line.
func (d *Decoder) finishLine(now time.Time, out []Record) []Record {
	state := &d.cur
	if state.blank() {
		state = &d.last
	}
	out = d.line(state.text, state.over, now, out)
	d.endLine()
	return out
}

// endLine starts a new line at the current offset.
func (d *Decoder) endLine() {
	d.cur.reset()
	d.last.reset()
	d.lineActive = false
	d.lineStart = d.written
}

// feed adds bytes of one segment (no CR or LF among them) to cur, removing
// ANSI escape sequences, which may be cut anywhere between two Writes.
func (d *Decoder) feed(p []byte) {
	for len(p) > 0 {
		if d.esc != escNone {
			p = d.skipEscape(p)
			continue
		}
		i := bytes.IndexByte(p, escByte)
		if i < 0 {
			d.cur.add(p, d.bufLimit())
			return
		}
		d.cur.add(p[:i], d.bufLimit())
		d.esc = escStart
		p = p[i+1:]
	}
}

// segment is a bounded buffer of text.
type segment struct {
	text []byte
	// over says text past the bound was discarded, other than white space
	// (trailing white space would have been trimmed anyway).
	over bool
}

func (s *segment) add(p []byte, limit int) {
	n := min(len(p), limit-len(s.text))
	s.text = append(s.text, p[:n]...)
	if n < len(p) && !s.over {
		s.over = len(bytes.TrimSpace(p[n:])) > 0
	}
}

func (s *segment) reset() {
	s.text = s.text[:0]
	s.over = false
}

func (s *segment) empty() bool { return len(s.text) == 0 && !s.over }

// blank says the segment shows nothing: white space at most.
func (s *segment) blank() bool {
	return !s.over && len(jsonlines.CleanLine(s.text)) == 0
}

// Truncated counts the records cut to MaxLogSize, for the inputs' counter
// of truncated lines.
func Truncated(records []Record) int {
	n := 0
	for i := range records {
		if records[i].Truncated {
			n++
		}
	}
	return n
}

// AppendRecords adds records to rl, as every input that reads console text
// builds them: a scope per run of records of the same logger, named by it,
// and on each record the attributes attrs (key, value), after those CopyTo
// puts. A console line has no time of its own, and Loki keeps one of two
// entries with the same time and text and cannot order entries of the same
// time: the records' observed times are observed, observed+1ns, ... in
// their order.
func AppendRecords(rl plog.ResourceLogs, records []Record, observed pcommon.Timestamp, attrs [][2]string) {
	var sl plog.ScopeLogs
	for i := range records {
		r := &records[i]
		if i == 0 || r.Logger != records[i-1].Logger {
			sl = rl.ScopeLogs().AppendEmpty()
			sl.Scope().SetName(r.Logger)
		}
		lr := sl.LogRecords().AppendEmpty()
		lr.SetObservedTimestamp(observed + pcommon.Timestamp(i))
		r.CopyTo(lr)
		for _, kv := range attrs {
			lr.Attributes().PutStr(kv[0], kv[1])
		}
	}
}
