package corpus

import (
	"fmt"
	"math/rand/v2"
	"strconv"
)

// shape holds the knobs that move the corpus away from the realistic mix,
// one at a time, for the benchmark's cost curves (benchrun -mode curves):
// the line size, the number of fields and the fraction of lines with a
// secret. Its buffers are reused from line to line.
type shape struct {
	lineBytes         int // 0: as the message templates make them
	fields            int // 0: the realistic 12 to 17
	secretsPerMillion int

	marks  []int  // the object's field marks, reused
	msg    []byte // the current line's message, unquoted
	filler []byte // text a message grows by
	tail   []byte // the rest of a line while its message is replaced
}

// minMessage is the shortest a message is cut to when the line must
// shrink to lineBytes.
const minMessage = 8

func newShape(opt Options) (shape, error) {
	switch {
	case opt.LineBytes < 0:
		return shape{}, fmt.Errorf("corpus: line bytes must be ≥ 0")
	case opt.Fields != 0 && opt.Fields < 3:
		// timestamp, level and message are the standard's required fields.
		return shape{}, fmt.Errorf("corpus: fields must be 0 or ≥ 3")
	case opt.Secrets < 0 || opt.Secrets > 1:
		return shape{}, fmt.Errorf("corpus: secrets must be a fraction in [0, 1]")
	}
	sh := shape{lineBytes: opt.LineBytes, fields: opt.Fields, secretsPerMillion: int(opt.Secrets*1e6 + 0.5)}
	for k := 0; len(sh.filler) < opt.LineBytes; k++ {
		sh.filler = appendFiller(sh.filler, k)
	}
	return sh, nil
}

// appendFiller appends the k-th piece of the text a message grows by: a
// rig's per-channel readout, as a formatted log call dumps a buffer.
// Nothing in it is a secret.
func appendFiller(b []byte, k int) []byte {
	b = append(b, "; channel "...)
	b = strconv.AppendInt(b, int64(k%384), 10)
	b = append(b, " rms "...)
	b = strconv.AppendInt(b, int64(k*37%2000)/100, 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(10+k*53%90), 10)
	return append(b, " uV"...)
}

// secretKinds are the kinds a planted secret is drawn from. A line cut to
// fewer fields could lose a secret planted as a custom field, so with a
// fields count secrets all go in the message.
func (sh *shape) secretKinds() int {
	if sh.fields > 0 {
		return secretURL + 1
	}
	return numSecretKinds
}

// messageSpan is where a line's message value (quoted) lies in the line.
type messageSpan struct{ start, end int }

// message notes the line's message, unquoted, when the line size is set:
// fit may then replace it.
func (sh *shape) message(start int, msg []byte) messageSpan {
	if sh.lineBytes > 0 {
		sh.msg = append(sh.msg[:0], msg...)
	}
	return messageSpan{start: start}
}

// fit cuts the line that starts at off in b to its first sh.fields
// fields, then grows or shrinks its message so that the line with its
// newline is sh.lineBytes long (a message with a secret only grows, so
// that the secret stays whole). It returns the line and its fields.
func (sh *shape) fit(b []byte, o *object, off int, msg messageSpan, secretInMessage bool) ([]byte, int) {
	kept := o.n
	if sh.fields > 0 && o.n > sh.fields {
		b, kept = append(b[:o.marks[sh.fields]], '}'), sh.fields
	}
	if sh.lineBytes == 0 {
		return b, kept
	}
	want := len(sh.msg) + sh.lineBytes - (len(b) - off + 1)
	switch {
	case want > len(sh.msg):
		sh.msg = append(sh.msg, sh.filler[:want-len(sh.msg)]...)
	case want < len(sh.msg) && !secretInMessage:
		sh.msg = sh.msg[:max(want, minMessage)]
	default:
		return b, kept
	}
	sh.tail = append(sh.tail[:0], b[msg.end:]...)
	b = appendQuotedBytes(b[:msg.start], sh.msg)
	return append(b, sh.tail...), kept
}

var channelStates = []string{"ok", "ok", "ok", "noisy", "saturated"}

// channelField writes the k-th of the numbered custom fields that bring a
// line to more fields than its program logs: per-channel figures, as a
// rig logs a probe's channels in one record.
func channelField(o *object, k int, r *rand.Rand) {
	name := fmt.Sprintf("ch%03d", k/3)
	switch k % 3 {
	case 0:
		o.float(name+"_rms_uv", r.Float64()*20, 2)
	case 1:
		o.int(name+"_spikes", r.Int64N(5000))
	default:
		o.str(name+"_state", channelStates[r.IntN(len(channelStates))])
	}
}
