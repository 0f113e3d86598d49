package corpus

import (
	"strconv"
	"unicode/utf8"
)

// object appends one JSON object to a byte slice, field by field. The
// generator writes ~2M lines per run, so it builds them by appending
// instead of going through encoding/json's reflection (about 5× slower
// here), and it writes keys in a fixed order, as Python's json formatters
// do.
type object struct {
	b []byte
	// spaced selects Python json.dumps' default separators (", " and ": ")
	// over the compact ones: real producers use both.
	spaced bool
	n      int // fields written
	// marks are where each field begins in b (before its comma), so
	// that a line can be cut to its first fields (shape.fit).
	marks []int
}

func (o *object) begin(b []byte, spaced bool) {
	o.b, o.spaced, o.n = append(b, '{'), spaced, 0
}

func (o *object) end() []byte { return append(o.b, '}') }

func (o *object) key(k string) {
	o.marks = append(o.marks, len(o.b))
	if o.n > 0 {
		o.b = append(o.b, ',')
		if o.spaced {
			o.b = append(o.b, ' ')
		}
	}
	o.n++
	o.b = appendQuoted(o.b, k)
	o.b = append(o.b, ':')
	if o.spaced {
		o.b = append(o.b, ' ')
	}
}

func (o *object) str(k, v string) {
	o.key(k)
	o.b = appendQuoted(o.b, v)
}

// strBytes is str for a value built in a scratch buffer.
func (o *object) strBytes(k string, v []byte) {
	o.key(k)
	o.b = appendQuotedBytes(o.b, v)
}

func (o *object) int(k string, v int64) {
	o.key(k)
	o.b = strconv.AppendInt(o.b, v, 10)
}

// float writes v with prec decimals, as a measurement is usually logged.
func (o *object) float(k string, v float64, prec int) {
	o.key(k)
	o.b = strconv.AppendFloat(o.b, v, 'f', prec, 64)
}

// raw writes v, already valid JSON (a nested object or array), as is.
func (o *object) raw(k, v string) {
	o.key(k)
	o.b = append(o.b, v...)
}

// appendQuoted appends s as a JSON string. Python's json.dumps escapes
// non-ASCII by default (ensure_ascii), so this does too.
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\\' {
			b = append(b, c)
			i++
			continue
		}
		switch c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			if c < 0x20 {
				b = append(b, '\\', 'u', '0', '0', hexDigit(c>>4), hexDigit(c&0xf))
				break
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			b = appendUnicodeEscape(b, r)
			i += size
			continue
		}
		i++
	}
	return append(b, '"')
}

func appendQuotedBytes(b, s []byte) []byte {
	// The scratch values are short; the conversion does not escape.
	return appendQuoted(b, string(s))
}

// appendUnicodeEscape writes r as \uXXXX, as a surrogate pair above the BMP.
func appendUnicodeEscape(b []byte, r rune) []byte {
	if r > 0xffff {
		r -= 0x10000
		b = appendU16(b, 0xd800+(r>>10))
		return appendU16(b, 0xdc00+(r&0x3ff))
	}
	return appendU16(b, r)
}

func appendU16(b []byte, r rune) []byte {
	return append(b, '\\', 'u',
		hexDigit(byte(r>>12)), hexDigit(byte(r>>8)&0xf),
		hexDigit(byte(r>>4)&0xf), hexDigit(byte(r)&0xf))
}

func hexDigit(n byte) byte { return "0123456789abcdef"[n&0xf] }
