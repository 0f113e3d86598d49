package pdatajson // import "github.com/AllenNeuralDynamics/otelcol-aind/internal/pdatajson"

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/utf8text"
)

// Reasons a line is not a JSON object. They are fixed strings on purpose: a
// decoder's own messages quote the input, which may carry a secret.
var (
	ErrNotObject    = errors.New("not a JSON object")
	ErrInvalidJSON  = errors.New("invalid JSON")
	ErrTrailingData = errors.New("data after the JSON object")
	ErrTooDeep      = errors.New("JSON nested deeper than 256 levels")
)

// maxDepth bounds the nesting of objects and arrays. Deeper input is hostile
// or broken; it is flagged and kept as raw text rather than recursed into.
const maxDepth = 256

// ParseObject decodes one JSON object into dst, straight into pdata with no
// map[string]any in between. JSON types are kept: object → map, array →
// slice, integer → int (beyond int64 → string), other number → double, bool,
// null → empty. Invalid UTF-8 is replaced. On error dst holds a partial
// result and the error is one of the fixed reasons above.
//
// It is the hot path of the file and HTTP inputs, hence a hand-written
// scanner: the line is converted to a string once and every string without
// escapes (nearly all keys and values) is a slice of it, so a record costs
// one string allocation however many fields it has.
func ParseObject(data []byte, dst pcommon.Map) error {
	return parseObject(data, dst, false)
}

// ParseOwnedObject is ParseObject for data the caller gives away: the
// strings of dst share data's memory instead of a copy of it, so data must
// never be modified afterwards (see jsonlines.DecodeOwnedLine).
func ParseOwnedObject(data []byte, dst pcommon.Map) error {
	return parseObject(data, dst, true)
}

func parseObject(data []byte, dst pcommon.Map, owned bool) error {
	i := 0
	for i < len(data) && isJSONSpace(data[i]) {
		i++
	}
	if i == len(data) || data[i] != '{' {
		return ErrNotObject
	}
	data = data[i:]
	p := parser{validUTF8: utf8.Valid(data)}
	if owned {
		p.s = unsafe.String(unsafe.SliceData(data), len(data))
	} else {
		p.s = string(data)
	}
	dst.EnsureCapacity(topLevelFields)
	p.object(dst)
	if p.err != nil {
		return p.err
	}
	p.space()
	if p.i != len(p.s) {
		return ErrTrailingData
	}
	return nil
}

// topLevelFields is the capacity a record's map starts with: the standard's
// records carry 12–16 fields, and growing the map step by step costs more
// than the few unused slots.
const topLevelFields = 16

// parser is one decoding of one JSON text. The first error stops it.
type parser struct {
	s         string
	i         int
	depth     int
	validUTF8 bool // the whole text is valid UTF-8: no string needs checking
	err       error
}

func (p *parser) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

func (p *parser) space() {
	for p.i < len(p.s) && isJSONSpace(p.s[p.i]) {
		p.i++
	}
}

// next returns the byte at the cursor after white space, or 0 at the end.
func (p *parser) next() byte {
	p.space()
	if p.i == len(p.s) {
		return 0
	}
	return p.s[p.i]
}

// open steps into the object or array at the cursor (on its opening
// byte) and reports whether members follow. An empty one is consumed whole;
// one nested too deep fails the parse.
func (p *parser) open(closing byte) bool {
	p.depth++
	if p.depth > maxDepth {
		p.fail(ErrTooDeep)
		return false
	}
	p.i++
	if p.next() == closing {
		p.i++
		p.depth--
		return false
	}
	return true
}

// more steps past what follows a member and reports whether another member
// follows: after a comma it does; at the closing byte the object or array
// is left; anything else, or an error in the member, ends the parse.
func (p *parser) more(closing byte) bool {
	if p.err != nil {
		return false
	}
	switch p.next() {
	case ',':
		p.i++
		return true
	case closing:
		p.i++
		p.depth--
		return false
	}
	p.fail(ErrInvalidJSON)
	return false
}

// object decodes the object at the cursor (on its '{') into m.
func (p *parser) object(m pcommon.Map) {
	if !p.open('}') {
		return
	}
	var large *largeObject
	for n := 1; ; n++ {
		if p.next() != '"' {
			p.fail(ErrInvalidJSON)
			return
		}
		key := p.str()
		if p.next() != ':' {
			p.fail(ErrInvalidJSON)
			return
		}
		p.i++
		if n == largeObjectKeys+1 {
			large = newLargeObject(m)
		}
		if large != nil {
			p.value(large.put(key))
		} else {
			p.value(m.PutEmpty(key))
		}
		if !p.more('}') {
			if p.err == nil && large != nil {
				large.finish(m)
			}
			return
		}
	}
}

// array decodes the array at the cursor (on its '[') into s.
func (p *parser) array(s pcommon.Slice) {
	if !p.open(']') {
		return
	}
	for {
		p.value(s.AppendEmpty())
		if !p.more(']') {
			return
		}
	}
}

// value decodes the value at the cursor into v, which is empty.
func (p *parser) value(v pcommon.Value) {
	switch c := p.next(); {
	case c == '"':
		v.SetStr(p.str())
	case c == '{':
		p.object(v.SetEmptyMap())
	case c == '[':
		p.array(v.SetEmptySlice())
	case c == 't':
		if p.literal("true") {
			v.SetBool(true)
		}
	case c == 'f':
		if p.literal("false") {
			v.SetBool(false)
		}
	case c == 'n':
		p.literal("null") // null stays the empty value
	case c == '-' || isDigit(c):
		p.number(v)
	default:
		p.fail(ErrInvalidJSON)
	}
}

func (p *parser) literal(lit string) bool {
	if !strings.HasPrefix(p.s[p.i:], lit) {
		p.fail(ErrInvalidJSON)
		return false
	}
	p.i += len(lit)
	return true
}

// str decodes the string at the cursor (on its '"'). A string without
// escapes is a slice of the text.
func (p *parser) str() string {
	start := p.i + 1
	for j := start; j < len(p.s); j++ {
		switch c := p.s[j]; {
		case c == '"':
			p.i = j + 1
			return p.checkUTF8(p.s[start:j])
		case c == '\\':
			return p.unescape(start, j)
		case c < 0x20:
			p.fail(ErrInvalidJSON)
			return ""
		}
	}
	p.fail(ErrInvalidJSON)
	return ""
}

func (p *parser) checkUTF8(s string) string {
	if p.validUTF8 {
		return s
	}
	return utf8text.Repair(s)
}

// unescape decodes a string with escapes: start is its first byte, esc the
// first backslash. Escapes of lone surrogates become U+FFFD, as in
// encoding/json.
func (p *parser) unescape(start, esc int) string {
	b := make([]byte, 0, esc-start+16)
	b = append(b, p.s[start:esc]...)
	for j := esc; j < len(p.s); {
		c := p.s[j]
		switch {
		case c == '"':
			p.i = j + 1
			return p.checkUTF8(string(b))
		case c < 0x20:
			p.fail(ErrInvalidJSON)
			return ""
		case c != '\\':
			b = append(b, c)
			j++
			continue
		}
		if j+1 == len(p.s) {
			break
		}
		switch e := p.s[j+1]; e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, n := p.unicodeEscape(j)
			if n == 0 {
				p.fail(ErrInvalidJSON)
				return ""
			}
			b = utf8.AppendRune(b, r)
			j += n
			continue
		default:
			p.fail(ErrInvalidJSON)
			return ""
		}
		j += 2
	}
	p.fail(ErrInvalidJSON)
	return ""
}

// unicodeEscape reads \uXXXX at j, and the second half of a surrogate pair
// after it. It returns the rune and the bytes read, 0 when malformed.
func (p *parser) unicodeEscape(j int) (rune, int) {
	r, ok := hex4(p.s, j+2)
	if !ok {
		return 0, 0
	}
	if !utf16IsSurrogate(r) {
		return r, 6
	}
	if r < 0xDC00 && strings.HasPrefix(p.s[j+6:], `\u`) {
		if r2, ok := hex4(p.s, j+8); ok && r2 >= 0xDC00 && r2 <= 0xDFFF {
			return 0x10000 + (r-0xD800)<<10 + (r2 - 0xDC00), 12
		}
	}
	return utf8.RuneError, 6
}

func utf16IsSurrogate(r rune) bool { return r >= 0xD800 && r <= 0xDFFF }

func hex4(s string, at int) (rune, bool) {
	if at+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[at : at+4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// number decodes the number at the cursor, with JSON's grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *parser) number(v pcommon.Value) {
	s, start, j := p.s, p.i, p.i
	if s[j] == '-' {
		j++
	}
	switch {
	case j < len(s) && s[j] == '0':
		j++
	case j < len(s) && isDigit(s[j]):
		j = digits(s, j)
	default:
		p.fail(ErrInvalidJSON)
		return
	}
	integer := true
	if j < len(s) && s[j] == '.' {
		integer = false
		if j+1 == len(s) || !isDigit(s[j+1]) {
			p.fail(ErrInvalidJSON)
			return
		}
		j = digits(s, j+1)
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		integer = false
		j++
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j == len(s) || !isDigit(s[j]) {
			p.fail(ErrInvalidJSON)
			return
		}
		j = digits(s, j)
	}
	p.i = j
	setNumber(v, s[start:j], integer)
}

func digits(s string, j int) int {
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	return j
}

// setNumber keeps integers as ints; one too large for int64 keeps its digits
// as a string rather than losing precision in a double, and so does a
// number beyond float64's range.
func setNumber(v pcommon.Value, n string, integer bool) {
	if integer {
		if i, err := strconv.ParseInt(n, 10, 64); err == nil {
			v.SetInt(i)
			return
		}
		v.SetStr(n)
		return
	}
	f, err := strconv.ParseFloat(n, 64)
	if err != nil {
		v.SetStr(n)
		return
	}
	v.SetDouble(f)
}

func isJSONSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
