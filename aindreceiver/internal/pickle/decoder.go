package pickle

import "go.opentelemetry.io/collector/pdata/pcommon"

// Decoder decodes SocketHandler frames. It is reusable: its stacks, memo,
// containers and string intern cache are kept between frames, so a
// connection's steady state allocates only what the pdata map keeps. It is
// not safe for concurrent use: one per connection.
type Decoder struct {
	data    []byte
	pos     int
	stack   []val
	marks   []int // stack heights at each MARK, CPython's metastack
	memo    memo
	conts   []cont
	nconts  int
	scratch []byte // unescaped text, made-up class names, big-int decimals
	proto   byte   // the PROTO opcode's, 0 without one

	// copyLeft bounds what the decoder copies from values already decoded
	// (objects.go): a memo reference is two bytes, what it refers to may
	// be a megabyte. overCopy is set when a copy would exceed it.
	copyLeft int
	overCopy bool

	// conversion state (convert.go)
	report  Report
	budget  int
	intern  map[string]string
	keyBuf  []byte
	keySeen map[string]int
	pairs   []val
}

// Report says what the decoder did beyond plain data.
type Report struct {
	// Objects counts the values in dst that were Python objects (GLOBAL,
	// STACK_GLOBAL, REDUCE, NEWOBJ, NEWOBJ_EX, INST, OBJ, BUILD, PERSID,
	// BINPERSID, EXT1/2/4): never constructed, each kept as the string
	// "<module.Name object>". A value reached twice through the memo counts
	// twice, as it appears twice.
	Objects int
}

// DecodeDict decodes data, one whole pickle of protocol 0-5 whose top
// value should be a dict, into dst, an empty map. data is not kept: every
// string is copied out (or interned).
//
// On error dst holds what could be salvaged and the error is one of the
// package's sentinels (wrapped in an *Error for stream errors): after a
// stream error, the items of the top-level dict decoded so far; after
// ErrTooDeep or ErrTooLarge, every top-level key but the offending ones;
// after ErrNotDict, nothing.
func (d *Decoder) DecodeDict(data []byte, dst pcommon.Map) (Report, error) {
	d.reset(data)
	defer d.release()
	top, err := d.run()
	if err != nil {
		d.salvage(dst)
		return d.report, err
	}
	if top.k != kDict {
		return d.report, ErrNotDict
	}
	err = d.convertTop(d.conts[top.a].items, dst)
	return d.report, err
}

func (d *Decoder) reset(data []byte) {
	d.data, d.pos = data, 0
	d.stack = d.stack[:0]
	d.marks = d.marks[:0]
	d.memo.reset()
	d.nconts = 0
	d.scratch = d.scratch[:0]
	d.proto = 0
	d.report = Report{}
	d.budget = 2*len(data) + budgetSlack
	d.copyLeft = 2*len(data) + budgetSlack
	d.overCopy = false
}

// release lets go of the caller's frame, which the caller reuses, and of
// buffers a hostile frame made large.
func (d *Decoder) release() {
	d.data = nil
	if cap(d.scratch) > 1<<20 {
		d.scratch = nil
	}
	if cap(d.stack) > 1<<16 {
		d.stack = nil
	}
	if cap(d.pairs) > 1<<12 {
		d.pairs = nil
	}
	if cap(d.marks) > 1<<12 {
		d.marks = nil
	}
	if cap(d.memo.dense) > 1<<16 {
		d.memo.dense = nil
	}
	if len(d.conts) > 1<<12 {
		d.conts = nil
	} else {
		for i := range d.nconts {
			c := &d.conts[i]
			if cap(c.items) > 1<<12 {
				c.items = nil
			}
		}
	}
}

// fence is the stack height below which the current opcode must not pop:
// the top mark's (CPython's Pdata fence).
func (d *Decoder) fence() int {
	if len(d.marks) == 0 {
		return 0
	}
	return d.marks[len(d.marks)-1]
}

// have reports whether n values can be popped.
func (d *Decoder) have(n int) bool { return len(d.stack)-d.fence() >= n }

func (d *Decoder) pop() val {
	v := d.stack[len(d.stack)-1]
	d.stack = d.stack[:len(d.stack)-1]
	return v
}

// popMark removes the top mark and returns its stack height: the items
// above it are d.stack[h:].
func (d *Decoder) popMark() (int, bool) {
	if len(d.marks) == 0 {
		return 0, false
	}
	h := d.marks[len(d.marks)-1]
	d.marks = d.marks[:len(d.marks)-1]
	return h, true
}

// take returns the next n bytes of the frame. The length is checked
// against what is left before anything is sliced or allocated, so a hostile
// length costs nothing.
func (d *Decoder) take(n uint64) ([]byte, bool) {
	if n > uint64(len(d.data)-d.pos) {
		return nil, false
	}
	b := d.data[d.pos : d.pos+int(n)]
	d.pos += int(n)
	return b, true
}

// line returns the bytes up to the next '\n', which it consumes.
func (d *Decoder) line() ([]byte, bool) {
	for i := d.pos; i < len(d.data); i++ {
		if d.data[i] == '\n' {
			b := d.data[d.pos:i]
			d.pos = i + 1
			return b, true
		}
	}
	d.pos = len(d.data)
	return nil, false
}

// textVal is a text value of kind k over the frame bytes b.
func (d *Decoder) textVal(k kind, b []byte) val {
	if len(b) == 0 {
		return val{k: k}
	}
	off := cap(d.data) - cap(b) // b is a plain subslice of d.data
	return val{k: k, src: inData, a: int64(off), n: len(b)}
}

// scratchVal is a text value of kind k over d.scratch[start:].
func (d *Decoder) scratchVal(k kind, start int) val {
	return val{k: k, src: inScratch, a: int64(start), n: len(d.scratch) - start}
}

// text returns the bytes of a text value.
func (d *Decoder) text(v val) []byte {
	if v.n == 0 {
		return nil
	}
	if v.src == inScratch {
		return d.scratch[v.a : v.a+int64(v.n)]
	}
	return d.data[v.a : v.a+int64(v.n)]
}

// run executes the opcodes up to STOP and returns the top value. Each
// family's method returns a bare sentinel, which run wraps with the opcode
// and its offset.
func (d *Decoder) run() (val, error) {
	for {
		if d.pos >= len(d.data) {
			return val{}, &Error{Err: ErrTruncated, NoOp: true, Offset: d.pos}
		}
		at := d.pos
		op := d.data[at]
		d.pos++
		var err error
		switch op {
		// BINUNICODE and BINPUT (every str, its memo entry) are 59 of a record's
		// 74 opcodes: here, as a call each (not inlinable) cost 10%.
		case opBinUnicode:
			n, ok1 := d.length(4)
			b, ok2 := d.take(n) // n is 0, taking nothing, if !ok1
			if !ok1 || !ok2 {
				return d.fail(ErrTruncated, op, at)
			}
			d.stack = append(d.stack, d.textVal(kStr, b))
		case opBinPut:
			if !d.have(1) {
				return d.fail(ErrMalformed, op, at)
			}
			b, ok := d.take(1)
			if !ok {
				return d.fail(ErrTruncated, op, at)
			}
			d.memo.put(uint32(b[0]), d.stack[len(d.stack)-1])
		case opStop:
			return d.stop(at)
		case opProto, opFrame, opNextBuffer, opReadOnlyBuffer:
			err = d.framing(op)
		case opMark, opPop, opPopMark, opDup:
			err = d.stackOp(op)
		case opNone, opNewTrue, opNewFalse, opBinInt, opBinInt1, opBinInt2, opBinFloat, opLong1, opLong4:
			err = d.binaryScalar(op)
		case opInt, opLong, opFloat, opString, opUnicode:
			err = d.textLine(op)
		case opBinString, opShortBinString, opShortBinUnicode, opBinUnicode8,
			opBinBytes, opShortBinBytes, opBinBytes8, opByteArray8:
			err = d.countedText(op)
		case opEmptyDict, opEmptyList, opEmptyTuple, opEmptySet, opTuple1, opTuple2, opTuple3,
			opDict, opList, opTuple, opFrozenSet:
			err = d.makeContainer(op)
		case opSetItem, opAppend, opSetItems, opAppends, opAddItems:
			err = d.extendContainer(op)
		case opPut, opLongBinPut, opMemoize, opGet, opBinGet, opLongBinGet:
			err = d.memoOp(op)
		case opGlobal, opInst, opStackGlobal:
			err = d.class(op)
		case opReduce, opNewObj, opNewObjEx, opObj, opBuild:
			err = d.instance(op)
		case opPersID, opBinPersID, opExt1, opExt2, opExt4:
			err = d.externalObject(op)
		default:
			err = ErrUnsupportedOpcode
		}
		if err != nil {
			return d.fail(err, op, at)
		}
	}
}

// stop is STOP: the top value is the pickle's, and nothing may follow it,
// as a frame is exactly one pickle.
func (d *Decoder) stop(at int) (val, error) {
	if !d.have(1) || d.pos != len(d.data) {
		return d.fail(ErrMalformed, opStop, at)
	}
	return d.pop(), nil
}

// framing is PROTO, FRAME and protocol 5's out-of-band buffers: how a
// pickle is delivered, not data.
func (d *Decoder) framing(op byte) error {
	switch op {
	case opNextBuffer, opReadOnlyBuffer:
		return ErrBuffer // no buffer can come over a socket
	case opFrame:
		// Frames only tell a reader how much to buffer. The whole pickle
		// is in memory, nothing is allocated for a frame, and the opcodes
		// in it find a truncation themselves, after the fields before the
		// cut (salvage): the length is not checked.
		if _, ok := d.take(8); !ok {
			return ErrTruncated
		}
		return nil
	}
	b, ok := d.take(1)
	if !ok {
		return ErrTruncated
	}
	if b[0] > maxProto {
		return ErrUnsupportedOpcode
	}
	d.proto = b[0]
	return nil
}

// stackOp is MARK, POP, POP_MARK and DUP, which move values and marks
// without looking at them.
func (d *Decoder) stackOp(op byte) error {
	switch op {
	case opMark:
		d.marks = append(d.marks, len(d.stack))
	case opPop:
		switch {
		case d.have(1):
			d.pop()
		case len(d.marks) > 0:
			d.popMark() // CPython's POP takes the top mark if no value is above it
		default:
			return ErrMalformed
		}
	case opPopMark:
		h, ok := d.popMark()
		if !ok {
			return ErrMalformed
		}
		d.stack = d.stack[:h]
	default: // opDup
		if !d.have(1) {
			return ErrMalformed
		}
		d.stack = append(d.stack, d.stack[len(d.stack)-1])
	}
	return nil
}

func (d *Decoder) fail(err error, op byte, at int) (val, error) {
	return val{}, &Error{Err: err, Op: op, Offset: at}
}
