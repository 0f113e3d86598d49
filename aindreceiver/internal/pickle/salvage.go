package pickle

import "go.opentelemetry.io/collector/pdata/pcommon"

// salvage converts what a broken stream leaves of the top-level dict into
// dst. A SocketHandler frame is EMPTY_DICT, BINPUT, MARK, then key/value
// pairs set by SETITEMS in batches of 1000 (protocol 0: one SETITEM per
// pair), so a frame cut short has the dict at the bottom of the stack, its
// earlier items set, and the pending pairs above the dict's MARK, up to the
// next mark (a value being built above it). Conversion errors here are not
// returned: the stream error is.
//
// A flat stack does not say where a value under construction begins, so
// only the pending pairs that are certainly whole are kept, from the first:
// a container value may still be filling (APPEND after APPEND, SETITEM
// without a mark) and a class is a REDUCE waiting for its arguments, so
// the pairs stop before the first of either. From protocol 2 on TUPLE1-3
// build tuples without a mark, so the last three items may be a tuple's
// elements: a pair is kept only if three items follow it.
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
	pending := d.stack[1:end]
	whole := 0
	for i := 0; i+1 < len(pending); i += 2 {
		if v := pending[i+1]; isContainer(v.k) || v.k == kClass {
			break
		}
		if d.proto >= 2 && len(pending)-(i+2) < 3 {
			break
		}
		whole = i + 2
	}
	pairs := append(d.pairs[:0], d.conts[d.stack[0].a].items...)
	pairs = append(pairs, pending[:whole]...)
	d.pairs = pairs[:0]
	_ = d.convertTop(pairs, dst)
}
