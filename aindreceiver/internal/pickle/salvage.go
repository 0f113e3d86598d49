package pickle

import "go.opentelemetry.io/collector/pdata/pcommon"

// salvage converts what a broken stream leaves of the top-level dict into
// dst. A SocketHandler frame is EMPTY_DICT, BINPUT, MARK, then key/value
// pairs set by SETITEMS in batches of 1000 (protocol 0: one SETITEM per
// pair), so a frame cut short has the dict at the bottom of the stack, its
// earlier items set, and the pending pairs above the dict's MARK. Those
// that are complete are kept, up to the next mark (a value still being
// built above it, e.g. a tuple, is not); a key without its value is left
// out. Conversion errors here are not returned: the stream error is.
func (d *Decoder) salvage(dst pcommon.Map) {
	if len(d.stack) == 0 || d.stack[0].k != kDict {
		return
	}
	end := len(d.stack)
	for _, h := range d.marks {
		if h > 1 {
			end = min(end, h)
			break
		}
	}
	pairs := append(d.pairs[:0], d.conts[d.stack[0].a].items...)
	pending := d.stack[1:end]
	pairs = append(pairs, pending[:len(pending)&^1]...)
	d.pairs = pairs[:0]
	_ = d.convertTop(pairs, dst)
}
