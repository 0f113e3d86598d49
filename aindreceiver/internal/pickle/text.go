package pickle

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/big"
	"strconv"
	"unicode/utf8"
)

// Numbers and literals: the scalar opcodes, binary (protocols 1-5) and
// the text lines of protocol 0 (INT, LONG, FLOAT, STRING, UNICODE, and the
// PUT/GET indices). Text and bytes stay offsets into the frame, or into
// the scratch buffer once unescaped.

// binaryScalar is NONE, NEWTRUE, NEWFALSE, BININT, BININT1, BININT2,
// BINFLOAT, LONG1 and LONG4.
func (d *Decoder) binaryScalar(op byte) error {
	switch op {
	case opNone:
		d.stack = append(d.stack, val{k: kNone})
	case opNewTrue:
		d.stack = append(d.stack, val{k: kBool, a: 1})
	case opNewFalse:
		d.stack = append(d.stack, val{k: kBool})
	case opBinInt, opBinInt1, opBinInt2, opBinFloat:
		b, ok := d.take(scalarWidth(op))
		if !ok {
			return ErrTruncated
		}
		v := val{k: kInt}
		switch op {
		case opBinInt:
			v.a = int64(int32(binary.LittleEndian.Uint32(b)))
		case opBinInt1:
			v.a = int64(b[0])
		case opBinInt2:
			v.a = int64(binary.LittleEndian.Uint16(b))
		default: // opBinFloat, the only big-endian number
			v = val{k: kFloat, a: int64(binary.BigEndian.Uint64(b))}
		}
		d.stack = append(d.stack, v)
	default: // opLong1, opLong4
		width := uint64(1)
		if op == opLong4 {
			width = 4
		}
		n, ok := d.length(width)
		if !ok {
			return ErrTruncated
		}
		if n > math.MaxInt32 {
			return ErrMalformed // LONG4's length is signed
		}
		b, ok := d.take(n)
		if !ok {
			return ErrTruncated
		}
		return d.pushLong(b)
	}
	return nil
}

// scalarWidth is the size of a fixed-width number's payload.
func scalarWidth(op byte) uint64 {
	switch op {
	case opBinInt1:
		return 1
	case opBinInt2:
		return 2
	case opBinInt:
		return 4
	}
	return 8 // opBinFloat
}

// textLine is INT, LONG, FLOAT, STRING and UNICODE: a value written as a
// line of text.
func (d *Decoder) textLine(op byte) error {
	b, ok := d.line()
	if !ok {
		return ErrTruncated
	}
	switch op {
	case opInt:
		return d.pushIntLine(b)
	case opLong:
		return d.pushLongLine(b)
	case opFloat:
		return d.pushFloatLine(b)
	case opString:
		return d.pushStringLine(b)
	}
	return d.pushUnicodeLine(b) // opUnicode
}

// countedText is the str and bytes opcodes with a binary length: BINSTRING,
// SHORT_BINSTRING (Python 2 str), SHORT_BINUNICODE, BINUNICODE8, BINBYTES,
// SHORT_BINBYTES, BINBYTES8 and BYTEARRAY8. BINUNICODE, the hottest, is
// run's own.
func (d *Decoder) countedText(op byte) error {
	width := uint64(4) // BINSTRING, BINBYTES
	switch op {
	case opShortBinString, opShortBinUnicode, opShortBinBytes:
		width = 1
	case opBinUnicode8, opBinBytes8, opByteArray8:
		width = 8
	}
	n, ok := d.length(width)
	if !ok {
		return ErrTruncated
	}
	if op == opBinString && n > math.MaxInt32 {
		return ErrMalformed // Python 2's length is signed
	}
	b, ok := d.take(n)
	if !ok {
		return ErrTruncated
	}
	k := kStr
	switch op {
	case opBinBytes, opShortBinBytes, opBinBytes8, opByteArray8:
		k = kBytes
	}
	d.stack = append(d.stack, d.textVal(k, b))
	return nil
}

// length reads the little-endian length of width bytes (1, 4 or 8) that
// precedes a payload.
func (d *Decoder) length(width uint64) (uint64, bool) {
	b, ok := d.take(width)
	if !ok {
		return 0, false
	}
	switch width {
	case 1:
		return uint64(b[0]), true
	case 4:
		return uint64(binary.LittleEndian.Uint32(b)), true
	}
	return binary.LittleEndian.Uint64(b), true
}

// maxLongBytes bounds LONG1/LONG4: printing an n-byte int in decimal is
// superlinear, and a log record has no use for a 20 000-digit number.
const maxLongBytes = 1024

// pushLong pushes a LONG1/LONG4 payload: little-endian two's complement.
func (d *Decoder) pushLong(b []byte) error {
	if len(b) > maxLongBytes {
		return ErrTooLarge
	}
	if len(b) <= 8 {
		var u uint64
		for i := len(b) - 1; i >= 0; i-- {
			u = u<<8 | uint64(b[i])
		}
		if len(b) > 0 && len(b) < 8 && b[len(b)-1]&0x80 != 0 {
			u |= math.MaxUint64 << (8 * len(b)) // sign-extend
		}
		d.stack = append(d.stack, val{k: kInt, a: int64(u)})
		return nil
	}
	// Beyond 8 bytes: big.Int from the big-endian magnitude.
	be := make([]byte, len(b))
	for i, c := range b {
		be[len(b)-1-i] = c
	}
	neg := be[0]&0x80 != 0
	var x big.Int
	x.SetBytes(be)
	if neg {
		x.Sub(&x, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	if x.IsInt64() {
		d.stack = append(d.stack, val{k: kInt, a: x.Int64()})
		return nil
	}
	start := len(d.scratch)
	d.scratch = x.Append(d.scratch, 10)
	d.stack = append(d.stack, d.scratchVal(kBigInt, start))
	return nil
}

// pushIntLine pushes an INT line: "01"/"00" are True/False (how protocols 0
// and 1 write bools), anything else a decimal.
func (d *Decoder) pushIntLine(b []byte) error {
	switch string(b) {
	case "01":
		d.stack = append(d.stack, val{k: kBool, a: 1})
		return nil
	case "00":
		d.stack = append(d.stack, val{k: kBool})
		return nil
	}
	return d.pushDecimal(b)
}

// pushLongLine pushes a LONG line, whose trailing 'L' Python 2 writes and
// Python 3 does not.
func (d *Decoder) pushLongLine(b []byte) error {
	b = bytes.TrimSpace(b)
	if n := len(b); n > 0 && b[n-1] == 'L' {
		b = b[:n-1]
	}
	return d.pushDecimal(b)
}

// pushDecimal pushes an integer written in decimal, an optional sign and
// digits, surrounded by optional white space (Python's int() strips it).
// One that does not fit int64 is kept as its normalised decimal text.
func (d *Decoder) pushDecimal(b []byte) error {
	b = bytes.TrimSpace(b)
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 {
		return ErrMalformed
	}
	var u uint64
	overflow := false
	for _, c := range b {
		if c < '0' || c > '9' {
			return ErrMalformed
		}
		if u > (math.MaxUint64-9)/10 {
			overflow = true
		}
		u = u*10 + uint64(c-'0')
	}
	switch {
	case !overflow && !neg && u <= math.MaxInt64:
		d.stack = append(d.stack, val{k: kInt, a: int64(u)})
		return nil
	case !overflow && neg && u <= 1<<63:
		d.stack = append(d.stack, val{k: kInt, a: -int64(u)})
		return nil
	}
	for len(b) > 1 && b[0] == '0' {
		b = b[1:]
	}
	start := len(d.scratch)
	if neg {
		d.scratch = append(d.scratch, '-')
	}
	d.scratch = append(d.scratch, b...)
	d.stack = append(d.stack, d.scratchVal(kBigInt, start))
	return nil
}

// pushFloatLine pushes a FLOAT line, Python's repr of a float ("1.5",
// "1e+100", "inf", "nan").
func (d *Decoder) pushFloatLine(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.IndexByte(b, '_') >= 0 {
		return ErrMalformed
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil && !(isRangeError(err) && math.IsInf(f, 0)) {
		return ErrMalformed // the error quotes the line: not returned
	}
	d.stack = append(d.stack, val{k: kFloat, a: int64(math.Float64bits(f))})
	return nil
}

func isRangeError(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// parseIndex reads the decimal memo index of PUT and GET.
func parseIndex(b []byte) (uint32, error) {
	if len(b) == 0 || len(b) > 10 {
		return 0, ErrMalformed
	}
	var u uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, ErrMalformed
		}
		u = u*10 + uint64(c-'0')
	}
	if u > math.MaxUint32 {
		return 0, ErrMalformed
	}
	return uint32(u), nil
}

// pushStringLine pushes a STRING line: a Python 2 str literal, quoted with
// ' or ", with the escapes of codecs.escape_decode. The bytes become text
// (Python 2 str was mostly text), repaired if not UTF-8.
func (d *Decoder) pushStringLine(line []byte) error {
	b := bytes.TrimRight(line, " \t\r")
	if len(b) < 2 || (b[0] != '\'' && b[0] != '"') || b[len(b)-1] != b[0] {
		return ErrMalformed
	}
	body := b[1 : len(b)-1]
	if bytes.IndexByte(body, '\\') < 0 {
		d.stack = append(d.stack, d.textVal(kStr, body))
		return nil
	}
	start := len(d.scratch)
	var err error
	if d.scratch, err = appendEscapeDecoded(d.scratch, body); err != nil {
		return err
	}
	d.stack = append(d.stack, d.scratchVal(kStr, start))
	return nil
}

// appendEscapeDecoded appends the body of a Python 2 str literal with its
// escapes decoded, as codecs.escape_decode does. On error, dst is returned
// with what was decoded before the bad escape.
func appendEscapeDecoded(dst, body []byte) ([]byte, error) {
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' {
			dst = append(dst, c)
			continue
		}
		i++
		if i == len(body) {
			return dst, ErrMalformed // a trailing backslash
		}
		switch c = body[i]; c {
		case '\\', '\'', '"':
			dst = append(dst, c)
		case 'a':
			dst = append(dst, '\a')
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'v':
			dst = append(dst, '\v')
		case 'x':
			if i+2 >= len(body) {
				return dst, ErrMalformed
			}
			h1, ok1 := unhex(body[i+1])
			h2, ok2 := unhex(body[i+2])
			if !ok1 || !ok2 {
				return dst, ErrMalformed
			}
			dst = append(dst, h1<<4|h2)
			i += 2
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := int(c - '0')
			for j := 0; j < 2 && i+1 < len(body) && body[i+1] >= '0' && body[i+1] <= '7'; j++ {
				i++
				v = v*8 + int(body[i]-'0')
			}
			dst = append(dst, byte(v))
		default:
			dst = append(dst, '\\', c) // unknown escapes stay
		}
	}
	return dst, nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// pushUnicodeLine pushes a UNICODE line, raw-unicode-escape: \uXXXX and
// \UXXXXXXXX (after an odd number of backslashes) are code points, every
// other byte is a Latin-1 character. A surrogate is written as its 3-byte
// form, as surrogatepass writes it in BINUNICODE, so that both protocols
// repair it alike.
func (d *Decoder) pushUnicodeLine(line []byte) error {
	plain := true
	for _, c := range line {
		if c == '\\' || c >= 0x80 {
			plain = false
			break
		}
	}
	if plain {
		d.stack = append(d.stack, d.textVal(kStr, line))
		return nil
	}
	start := len(d.scratch)
	for i := 0; i < len(line); {
		c := line[i]
		if c != '\\' {
			d.scratch = utf8.AppendRune(d.scratch, rune(c))
			i++
			continue
		}
		j := i
		for j < len(line) && line[j] == '\\' {
			j++
		}
		d.scratch = append(d.scratch, line[i:j]...)
		if (j-i)%2 == 0 || j == len(line) || (line[j] != 'u' && line[j] != 'U') {
			i = j
			continue
		}
		d.scratch = d.scratch[:len(d.scratch)-1] // the escaping backslash
		n := 4
		if line[j] == 'U' {
			n = 8
		}
		if j+1+n > len(line) {
			return ErrMalformed
		}
		var r uint32
		for _, h := range line[j+1 : j+1+n] {
			v, ok := unhex(h)
			if !ok {
				return ErrMalformed
			}
			r = r<<4 | uint32(v)
		}
		if r > utf8.MaxRune {
			return ErrMalformed
		}
		d.scratch = appendCodePoint(d.scratch, rune(r))
		i = j + 1 + n
	}
	d.stack = append(d.stack, d.scratchVal(kStr, start))
	return nil
}

// appendCodePoint appends r as UTF-8, a surrogate in the generalised 3-byte
// form (which utf8.AppendRune would turn into U+FFFD on its own).
func appendCodePoint(b []byte, r rune) []byte {
	if r >= 0xd800 && r <= 0xdfff {
		return append(b, 0xe0|byte(r>>12), 0x80|byte(r>>6)&0x3f, 0x80|byte(r)&0x3f)
	}
	return utf8.AppendRune(b, r)
}
