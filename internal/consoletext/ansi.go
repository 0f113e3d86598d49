package consoletext

// escByte starts every ANSI escape sequence.
const escByte = 0x1b

// escState is where the decoder is in an ANSI escape sequence; a sequence
// may be cut between two Writes, so the state outlives a Write.
type escState uint8

const (
	escNone   escState = iota
	escStart           // after ESC
	escCSI             // after ESC [: parameter and intermediate bytes until a final byte
	escOSC             // after ESC ]: anything until BEL or ESC \
	escOSCEsc          // an ESC inside an OSC: \ ends it
)

// skipEscape consumes the bytes of p that belong to the escape sequence in
// progress and returns the rest. A byte that cannot be part of the
// sequence ends it and is kept as text, as a terminal would show it.
func (d *Decoder) skipEscape(p []byte) []byte {
	for i, c := range p {
		switch d.esc {
		case escStart:
			switch {
			case c == '[':
				d.esc = escCSI
			case c == ']':
				d.esc = escOSC
			case c >= 0x20 && c <= 0x7e:
				d.esc = escNone // a two-byte sequence (ESC 7, ESC =, ESC M…)
				return p[i+1:]
			default:
				d.esc = escNone
				return p[i:]
			}
		case escCSI:
			switch {
			case c >= 0x20 && c <= 0x3f:
			case c >= 0x40 && c <= 0x7e:
				d.esc = escNone
				return p[i+1:]
			default:
				d.esc = escNone
				return p[i:]
			}
		case escOSC:
			switch c {
			case 0x07:
				d.esc = escNone
				return p[i+1:]
			case escByte:
				d.esc = escOSCEsc
			}
		case escOSCEsc:
			if c == '\\' {
				d.esc = escNone
				return p[i+1:]
			}
			// Any other byte: the ESC began a new sequence.
			d.esc = escStart
			return p[i:]
		}
	}
	return nil
}
