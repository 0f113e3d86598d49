package pickle

import (
	"errors"
	"strconv"
)

// Reasons a frame does not decode. They are fixed strings on purpose: a log
// record may carry a secret, so no message ever quotes the data; an *Error
// adds only the opcode byte and its offset.
var (
	// ErrTruncated is a frame that ends inside an opcode or before STOP, or
	// a length that claims more bytes than are left.
	ErrTruncated = errors.New("pickle: truncated")
	// ErrUnsupportedOpcode is a byte that is no opcode of protocols 0-5, or
	// a PROTO above 5.
	ErrUnsupportedOpcode = errors.New("pickle: unsupported opcode")
	// ErrMalformed is a stream no pickler writes: stack underflow, a missing
	// MARK, a memo reference to nothing, a bad text literal, an opcode
	// applied to a value it does not fit, or data after STOP.
	ErrMalformed = errors.New("pickle: malformed")
	// ErrNotDict is a pickle whose top value is not a dict.
	ErrNotDict = errors.New("pickle: top value is not a dict")
	// ErrTooDeep is a value nested in more than maxDepth containers; its
	// top-level key is left out.
	ErrTooDeep = errors.New("pickle: nested too deep")
	// ErrTooLarge is a frame that expands beyond its budget through
	// shared references: in the conversion its top-level key is left out;
	// in the decoder (a constructor copying a shared value again and
	// again) it is a stream error. An int of more than 1024 bytes is one
	// too.
	ErrTooLarge = errors.New("pickle: expands beyond the budget")
	// ErrBuffer is NEXT_BUFFER or READONLY_BUFFER: out-of-band buffers are
	// never supplied over a socket.
	ErrBuffer = errors.New("pickle: out-of-band buffer")
)

// Error is a stream error: the reason (one of the sentinels, for
// errors.Is), the opcode and its offset in the frame. A frame that ends
// where an opcode should be has no opcode (NoOp) and the offset is its
// length.
type Error struct {
	Err    error
	Op     byte
	NoOp   bool
	Offset int
}

func (e *Error) Error() string {
	// Built by hand rather than with fmt so that nothing but the fixed
	// reason and two numbers can reach the message.
	b := make([]byte, 0, 64)
	b = append(b, e.Err.Error()...)
	if e.NoOp {
		b = append(b, " (at offset "...)
	} else {
		const hex = "0123456789abcdef"
		b = append(b, " (opcode 0x"...)
		b = append(b, hex[e.Op>>4], hex[e.Op&0xf])
		b = append(b, " at offset "...)
	}
	b = strconv.AppendInt(b, int64(e.Offset), 10)
	b = append(b, ')')
	return string(b)
}

func (e *Error) Unwrap() error { return e.Err }
