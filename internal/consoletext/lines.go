package consoletext

import (
	"bytes"
	"strings"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/utf8text"
)

// heldKind is what the line machine holds back to see what follows.
type heldKind uint8

const (
	heldNone heldKind = iota
	// heldLogLine is an ERROR or CRITICAL logging line: a traceback may
	// follow it (logging's exception()).
	heldLogLine
	// heldTraceback is a traceback being read.
	heldTraceback
)

// tbState is where a traceback being read is.
type tbState uint8

const (
	tbFrames tbState = iota // after a Traceback header: indented lines, then the exception line
	tbGroup                 // inside an exception group: indented lines
	tbDone                  // after the exception line
	tbBlank                 // a blank line after it: a chain marker may follow
	tbChain                 // after a chain marker: the next section's header follows
)

const (
	tracebackHeader = "Traceback (most recent call last):"
	groupHeader     = "+ Exception Group Traceback (most recent call last):"
	chainContext    = "During handling of the above exception, another exception occurred:"
	chainCause      = "The above exception was the direct cause of the following exception:"
)

// traceback is the traceback being read.
type traceback struct {
	state  tbState
	joined bool // heldLog is the logging line the traceback belongs to
	text   []byte
	over   bool // text was cut
	// blanks counts the blank lines read after the exception line: they
	// are part of the text only if a chained section follows.
	blanks int
	// groupIndent is the indentation of the exception group's "+", whose
	// "|" lines at that indentation are the group's own.
	groupIndent int
	excLine     string
}

// line is the line machine: it takes one line (ANSI escapes removed, not
// trimmed) and decides whether it is a record of its own, part of a
// traceback, or held to see what follows.
func (d *Decoder) line(raw []byte, over bool, now time.Time, out []Record) []Record {
	body := jsonlines.CleanLine(raw)
	indented := false
	if t := bytes.TrimPrefix(raw, utf8BOM); len(body) > 0 && (t[0] == ' ' || t[0] == '\t') {
		indented = true
	}
	switch d.held {
	case heldLogLine:
		if !indented && string(body) == tracebackHeader || indented && isGroupHeader(body) {
			d.startTraceback(raw, body, over, true, now)
			return out
		}
		out = d.release(out)
	case heldTraceback:
		var absorbed bool
		if absorbed, out = d.tracebackLine(raw, body, indented, over, now, out); absorbed {
			return out
		}
	}
	if len(body) == 0 {
		return out
	}
	if !indented && string(body) == tracebackHeader || indented && (isGroupHeader(body) || isSyntaxErrorFrame(body)) {
		d.startTraceback(raw, body, over, false, now)
		return out
	}
	rec := d.textRecord(body, over, indented)
	if !rec.JSON && rec.Severity >= plog.SeverityNumberError {
		d.held, d.heldStart, d.heldAt, d.heldLog = heldLogLine, d.lineStart, now, rec
		return out
	}
	return append(out, rec)
}

// textRecord makes a record of a line (CleanLine'd): repaired, cut, and its logging
// prefix read. Its strings share one allocation.
func (d *Decoder) textRecord(body []byte, over, indented bool) Record {
	s, cut := d.text(body)
	rec := Record{Body: s, Truncated: over || cut}
	if s == "" {
		return rec
	}
	if s[0] == '{' && s[len(s)-1] == '}' {
		rec.JSON = true
		return rec
	}
	// A level is read only at the very start of a line: indented text is
	// a continuation or a table more often than a logging line.
	if p, ok := parsePrefix(s); ok && !indented {
		rec.Body, rec.Severity, rec.SeverityText, rec.Logger = p.msg, p.sev, p.level, p.logger
	}
	return rec
}

// text makes b a string, invalid UTF-8 repaired, cut to MaxLogSize.
func (d *Decoder) text(b []byte) (string, bool) {
	s := utf8text.Repair(string(b))
	if len(s) <= d.maxLogSize {
		return s, false
	}
	return utf8text.Cut(s, d.maxLogSize), true
}

func (d *Decoder) startTraceback(raw, body []byte, over, joined bool, now time.Time) {
	if !joined {
		d.heldStart = d.lineStart
	}
	d.held, d.heldAt = heldTraceback, now
	tb := &d.tb
	tb.text, tb.over, tb.blanks, tb.excLine, tb.joined = tb.text[:0], false, 0, "", joined
	tb.state = tbFrames
	if isGroupHeader(body) {
		tb.state, tb.groupIndent = tbGroup, groupIndent(raw)
	}
	d.appendTraceback(raw, over)
}

// tracebackLine reads a line while a traceback is held; it says whether the
// line was the traceback's. A line that is not ends the traceback, which
// becomes a record before the line is read on its own.
func (d *Decoder) tracebackLine(raw, body []byte, indented, over bool, now time.Time, out []Record) (bool, []Record) {
	tb := &d.tb
	blank := len(body) == 0
	switch tb.state {
	case tbFrames, tbGroup:
		switch {
		case blank:
			tb.state, tb.blanks = tbBlank, 1
		case tb.state == tbGroup && !indented:
			return false, d.release(out)
		case indented:
			if isGroupHeader(body) {
				tb.state, tb.groupIndent = tbGroup, groupIndent(raw)
			}
			d.appendTraceback(raw, over)
			if tb.state == tbGroup {
				if exc, ok := groupException(raw, tb.groupIndent); ok {
					tb.excLine, _ = d.text(exc)
				}
			}
		default:
			// The first line that is not indented is the exception line.
			d.appendTraceback(raw, over)
			tb.excLine, _ = d.text(body)
			tb.state = tbDone
		}
	case tbDone:
		if !blank {
			return false, d.release(out)
		}
		tb.state, tb.blanks = tbBlank, 1
	case tbBlank:
		s := string(body)
		if indented || s != chainContext && s != chainCause {
			// A second blank line ends it too: Python prints one.
			return blank, d.release(out)
		}
		d.appendTraceback(raw, over)
		tb.state = tbChain
	case tbChain:
		switch {
		case blank:
			tb.blanks++
		case !indented && string(body) == tracebackHeader:
			d.appendTraceback(raw, over)
			tb.state = tbFrames
		case indented && isGroupHeader(body):
			d.appendTraceback(raw, over)
			tb.state, tb.groupIndent = tbGroup, groupIndent(raw)
		default:
			return false, d.release(out)
		}
	}
	d.heldAt = now
	return true, out
}

// appendTraceback adds a line to the traceback's text, after the blank
// lines before it, within the bound.
func (d *Decoder) appendTraceback(raw []byte, over bool) {
	tb := &d.tb
	line := bytes.TrimRight(bytes.TrimPrefix(raw, utf8BOM), " \t\r\v\f")
	limit := d.bufLimit()
	for i := 0; i < tb.blanks; i++ {
		tb.appendBounded([]byte{'\n'}, limit)
	}
	tb.blanks = 0
	if len(tb.text) > 0 {
		tb.appendBounded([]byte{'\n'}, limit)
	}
	tb.appendBounded(line, limit)
	tb.over = tb.over || over
}

func (tb *traceback) appendBounded(p []byte, limit int) {
	n := min(len(p), limit-len(tb.text))
	tb.text = append(tb.text, p[:n]...)
	if n < len(p) {
		tb.over = true
	}
}

// release makes what is held a record.
func (d *Decoder) release(out []Record) []Record {
	switch d.held {
	case heldLogLine:
		out = append(out, d.heldLog)
	case heldTraceback:
		out = append(out, d.tracebackRecord())
	}
	d.held, d.heldLog = heldNone, Record{}
	return out
}

func (d *Decoder) tracebackRecord() Record {
	tb := &d.tb
	stack, cut := d.text(tb.text)
	exc := &Exception{Stacktrace: stack}
	body := tb.excLine
	if body == "" {
		// Cut short before its exception line: the header says what it is.
		body, _, _ = strings.Cut(stack, "\n")
		body = strings.TrimSpace(body)
	} else {
		exc.Type, exc.Message = exceptionLine(body)
	}
	rec := Record{Body: body, Severity: plog.SeverityNumberError, SeverityText: "ERROR", Exception: exc, Truncated: tb.over || cut}
	if tb.joined {
		rec.Body, rec.Severity, rec.SeverityText, rec.Logger = d.heldLog.Body, d.heldLog.Severity, d.heldLog.SeverityText, d.heldLog.Logger
		rec.Truncated = rec.Truncated || d.heldLog.Truncated
	}
	tb.joined, tb.excLine = false, ""
	return rec
}

// exceptionLine splits Python's "Type: message" (or "Type" alone); a line
// that does not start with a dotted name is all message.
func exceptionLine(s string) (typ, msg string) {
	n := 0
	for n < len(s) {
		c := s[n]
		if c == '_' || c == '.' || isUpper(c) || c >= 'a' && c <= 'z' || n > 0 && isDigit(c) || c >= 0x80 {
			n++
			continue
		}
		break
	}
	switch {
	case n == 0:
		return "", s
	case n == len(s):
		return s, ""
	case s[n] == ':':
		return s[:n], strings.TrimLeft(s[n+1:], " ")
	}
	return "", s
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

func isGroupHeader(body []byte) bool {
	return string(body) == groupHeader
}

// isSyntaxErrorFrame recognises the first line of the SyntaxError Python
// prints without a Traceback header (the main script does not compile):
// `  File "x.py", line 1`.
func isSyntaxErrorFrame(body []byte) bool {
	return bytes.HasPrefix(body, []byte(`File "`)) && bytes.Contains(body, []byte(`", line `)) && !bytes.Contains(body, []byte(", in "))
}

func groupIndent(raw []byte) int {
	return len(raw) - len(bytes.TrimLeft(raw, " \t"))
}

// groupException returns the exception line of an exception group's own
// "| Type: message" line, at the group's indentation (its sub-exceptions'
// are further in).
func groupException(raw []byte, indent int) ([]byte, bool) {
	if len(raw) < indent+3 || len(bytes.TrimLeft(raw[:indent], " \t")) != 0 {
		return nil, false
	}
	r := raw[indent:]
	if r[0] != '|' || r[1] != ' ' || r[2] == ' ' || r[2] == '\t' {
		return nil, false
	}
	return bytes.TrimRight(r[2:], " \t\r"), true
}
