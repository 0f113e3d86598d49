package jsonlines

import (
	"bytes"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/utf8text"
)

// Builder makes log records of lines the same way for every input of the
// receiver: a line is cleaned, skipped when empty, cut to MaxLogSize on a
// UTF-8 boundary, decoded, and flagged aind.truncated (and, by the decoder,
// aind.parse.error); Counts says how many lines were empty, cut or not a
// JSON object.
//
// Building is two steps, Prepare and Append, because inputs do something
// between them (the HTTP input refuses a request with too many records) or
// repeat the second (the file input rebuilds a batch for each delivery
// attempt). A Builder is a small value: copy a configured one to count one
// batch or request.
type Builder struct {
	// MaxLogSize is the longest line kept whole, in bytes; it must be
	// positive.
	MaxLogSize int
	// CutRaw applies MaxLogSize to the line as read, before it is cleaned,
	// so that its byte order mark and white space count. The file input
	// needs it: fileconsumer hands over at most max_log_size+1 raw bytes of
	// a line and drops the rest, so a line was cut exactly when its raw
	// bytes are over the limit, whatever cleaning removes. A CR ending the
	// line is not counted: it is the CRLF ending's, split from its LF when
	// fileconsumer's limit fell between them. Without CutRaw the limit
	// applies to the cleaned line, all of which the HTTP input has.
	CutRaw bool
	// Owned says the lines are given away: the records' strings share
	// their memory (DecodeOwnedLine) instead of copying them. The file
	// input's lines are fresh copies fileconsumer makes for each line; the
	// HTTP input's share a pooled body buffer.
	Owned bool
	// Observed is the ObservedTimestamp of the records.
	Observed pcommon.Timestamp
	// Attributes are put on every record after its body, as key and value
	// (the file input's log.file.name and log.file.path).
	Attributes [][2]string

	counts Counts
}

// Counts are what a Builder did with the lines it was given.
type Counts struct {
	// Empty counts the lines skipped because nothing was left of them
	// once cleaned.
	Empty int
	// Truncated counts the lines cut to MaxLogSize.
	Truncated int
	// ParseErrors counts the records whose line was not a JSON object.
	ParseErrors int
}

// Line is a non-empty line, cleaned and cut, ready for Append.
type Line struct {
	Text []byte
	// Truncated is set when Text was cut to MaxLogSize.
	Truncated bool
}

var cr = []byte{'\r'}

// Prepare cleans a line (see CleanLine) and cuts it to MaxLogSize. It
// returns false, and counts the line as empty, when nothing is left of it.
func (b *Builder) Prepare(raw []byte) (Line, bool) {
	line, cut := raw, false
	if b.CutRaw {
		line, cut = limit(bytes.TrimSuffix(raw, cr), b.MaxLogSize)
	}
	line = CleanLine(line)
	if len(line) == 0 {
		b.counts.Empty++
		return Line{}, false
	}
	if !b.CutRaw {
		line, cut = limit(line, b.MaxLogSize)
	}
	if cut {
		b.counts.Truncated++
	}
	return Line{Text: line, Truncated: cut}, true
}

// Append makes line a new record of records and returns it, with whether
// the line was a JSON object (a map body; else a text body flagged
// aind.parse.error, see DecodeLine).
func (b *Builder) Append(records plog.LogRecordSlice, line Line) (plog.LogRecord, bool) {
	lr := records.AppendEmpty()
	lr.SetObservedTimestamp(b.Observed)
	var parsed bool
	if b.Owned {
		parsed = DecodeOwnedLine(line.Text, lr)
	} else {
		parsed = DecodeLine(line.Text, lr)
	}
	if !parsed {
		b.counts.ParseErrors++
	}
	b.finish(lr, line.Truncated)
	return lr, parsed
}

// AppendText makes a line delivered as it is, undecoded (a Loki push
// entry), a new record of records with a string body, and returns it. The
// line is cut to MaxLogSize and flagged like any line, but neither cleaned
// nor skipped when empty: the body is what the client sent. Invalid UTF-8
// is replaced.
func (b *Builder) AppendText(records plog.LogRecordSlice, text string) plog.LogRecord {
	lr := records.AppendEmpty()
	lr.SetObservedTimestamp(b.Observed)
	text, cut := limit(text, b.MaxLogSize)
	if cut {
		b.counts.Truncated++
		// The cut line is copied so that the long one can be freed.
		text = strings.Clone(text)
	}
	lr.Body().SetStr(utf8text.Repair(text))
	b.finish(lr, cut)
	return lr
}

// Counts returns the counts of the lines given to b so far.
func (b *Builder) Counts() Counts {
	return b.counts
}

// finish puts the attributes every record gets after its body.
func (b *Builder) finish(lr plog.LogRecord, truncated bool) {
	for _, kv := range b.Attributes {
		lr.Attributes().PutStr(kv[0], kv[1])
	}
	if truncated {
		lr.Attributes().PutBool(aind.AttrTruncated, true)
	}
}

// limit cuts s to at most n bytes on a UTF-8 boundary, and reports whether
// it did.
func limit[T ~string | ~[]byte](s T, n int) (T, bool) {
	if len(s) <= n {
		return s, false
	}
	return utf8text.Cut(s, n), true
}
