package pickle

import (
	"encoding/binary"
	"math"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

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

// newCont returns the index of an empty container, reusing a slot (and its
// items' memory) of an earlier frame.
func (d *Decoder) newCont() int {
	i := d.nconts
	d.nconts++
	if i < len(d.conts) {
		d.conts[i].items = d.conts[i].items[:0]
	} else {
		d.conts = append(d.conts, cont{})
	}
	return i
}

// pushCont pushes a new container of kind k holding a copy of items.
func (d *Decoder) pushCont(k kind, items []val) {
	i := d.newCont()
	d.conts[i].items = append(d.conts[i].items, items...)
	d.stack = append(d.stack, val{k: k, a: int64(i)})
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

// run executes the opcodes up to STOP and returns the top value.
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
		case opStop:
			if !d.have(1) {
				return d.fail(ErrMalformed, op, at)
			}
			if d.pos != len(d.data) {
				return d.fail(ErrMalformed, op, at) // a frame is exactly one pickle
			}
			return d.pop(), nil
		case opProto:
			b, ok := d.take(1)
			if !ok {
				return d.fail(ErrTruncated, op, at)
			}
			if b[0] > maxProto {
				return d.fail(ErrUnsupportedOpcode, op, at)
			}
			d.proto = b[0]
		case opFrame:
			// Frames only tell a reader how much to buffer. The whole
			// pickle is in memory, nothing is allocated for a frame, and
			// the opcodes in it find a truncation themselves, after the
			// fields before the cut (salvage): the length is not checked.
			if _, ok := d.take(8); !ok {
				return d.fail(ErrTruncated, op, at)
			}
		case opMark:
			d.marks = append(d.marks, len(d.stack))
		case opPop:
			switch {
			case d.have(1):
				d.pop()
			case len(d.marks) > 0:
				d.popMark()
			default:
				return d.fail(ErrMalformed, op, at)
			}
		case opPopMark:
			h, ok := d.popMark()
			if !ok {
				return d.fail(ErrMalformed, op, at)
			}
			d.stack = d.stack[:h]
		case opDup:
			if !d.have(1) {
				return d.fail(ErrMalformed, op, at)
			}
			d.stack = append(d.stack, d.stack[len(d.stack)-1])

		case opNone:
			d.stack = append(d.stack, val{k: kNone})
		case opNewTrue:
			d.stack = append(d.stack, val{k: kBool, a: 1})
		case opNewFalse:
			d.stack = append(d.stack, val{k: kBool})
		case opBinInt:
			b, ok := d.take(4)
			if !ok {
				return d.fail(ErrTruncated, op, at)
			}
			d.stack = append(d.stack, val{k: kInt, a: int64(int32(binary.LittleEndian.Uint32(b)))})
		case opBinInt1:
			b, ok := d.take(1)
			if !ok {
				return d.fail(ErrTruncated, op, at)
			}
			d.stack = append(d.stack, val{k: kInt, a: int64(b[0])})
		case opBinInt2:
			b, ok := d.take(2)
			if !ok {
				return d.fail(ErrTruncated, op, at)
			}
			d.stack = append(d.stack, val{k: kInt, a: int64(binary.LittleEndian.Uint16(b))})
		case opLong1, opLong4:
			var n uint64
			if op == opLong1 {
				b, ok := d.take(1)
				if !ok {
					return d.fail(ErrTruncated, op, at)
				}
				n = uint64(b[0])
			} else {
				b, ok := d.take(4)
				if !ok {
					return d.fail(ErrTruncated, op, at)
				}
				s := int32(binary.LittleEndian.Uint32(b))
				if s < 0 {
					return d.fail(ErrMalformed, op, at)
				}
				n = uint64(s)
			}
			b, ok := d.take(n)
			if !ok {
				return d.fail(ErrTruncated, op, at)
			}
			err = d.pushLong(b)
		case opInt:
			b, ok := d.line()
			if !ok {
				return d.fail(ErrTruncated, op, at)
			}
			err = d.pushIntLine(b)
		case opLong:
			b, ok := d.line()
			if !ok {
				return d.fail(ErrTruncated, op, at)
			}
			err = d.pushLongLine(b)
		case opFloat:
			b, ok := d.line()
			if !ok {
				return d.fail(ErrTruncated, op, at)
			}
			err = d.pushFloatLine(b)
		case opBinFloat:
			b, ok := d.take(8)
			if !ok {
				return d.fail(ErrTruncated, op, at)
			}
			d.stack = append(d.stack, val{k: kFloat, a: int64(binary.BigEndian.Uint64(b))})

		case opString:
			b, ok := d.line()
			if !ok {
				return d.fail(ErrTruncated, op, at)
			}
			err = d.pushStringLine(b)
		case opUnicode:
			b, ok := d.line()
			if !ok {
				return d.fail(ErrTruncated, op, at)
			}
			err = d.pushUnicodeLine(b)
		case opBinString, opBinUnicode, opShortBinString, opShortBinUnicode, opBinUnicode8,
			opBinBytes, opShortBinBytes, opBinBytes8, opByteArray8:
			k := kStr
			if op == opBinBytes || op == opShortBinBytes || op == opBinBytes8 || op == opByteArray8 {
				k = kBytes
			}
			var n uint64
			switch op {
			case opShortBinString, opShortBinUnicode, opShortBinBytes:
				b, ok := d.take(1)
				if !ok {
					return d.fail(ErrTruncated, op, at)
				}
				n = uint64(b[0])
			case opBinString:
				b, ok := d.take(4)
				if !ok {
					return d.fail(ErrTruncated, op, at)
				}
				s := int32(binary.LittleEndian.Uint32(b))
				if s < 0 {
					return d.fail(ErrMalformed, op, at)
				}
				n = uint64(s)
			case opBinUnicode, opBinBytes:
				b, ok := d.take(4)
				if !ok {
					return d.fail(ErrTruncated, op, at)
				}
				n = uint64(binary.LittleEndian.Uint32(b))
			default:
				b, ok := d.take(8)
				if !ok {
					return d.fail(ErrTruncated, op, at)
				}
				n = binary.LittleEndian.Uint64(b)
			}
			b, ok := d.take(n)
			if !ok {
				return d.fail(ErrTruncated, op, at)
			}
			d.stack = append(d.stack, d.textVal(k, b))
		case opNextBuffer, opReadOnlyBuffer:
			return d.fail(ErrBuffer, op, at)

		case opEmptyDict:
			d.pushCont(kDict, nil)
		case opEmptyList:
			d.pushCont(kList, nil)
		case opEmptyTuple:
			d.pushCont(kTuple, nil)
		case opEmptySet:
			d.pushCont(kSet, nil)
		case opTuple1, opTuple2, opTuple3:
			n := int(op-opTuple1) + 1
			if !d.have(n) {
				return d.fail(ErrMalformed, op, at)
			}
			h := len(d.stack) - n
			d.pushCont(kTuple, d.stack[h:])
			// pushCont appended after the items: move the new value down.
			d.stack[h] = d.stack[len(d.stack)-1]
			d.stack = d.stack[:h+1]
		case opDict, opList, opTuple, opFrozenSet:
			h, ok := d.popMark()
			if !ok {
				return d.fail(ErrMalformed, op, at)
			}
			k := markKind(op)
			if k == kDict && (len(d.stack)-h)%2 != 0 {
				return d.fail(ErrMalformed, op, at)
			}
			d.pushCont(k, d.stack[h:])
			d.stack[h] = d.stack[len(d.stack)-1]
			d.stack = d.stack[:h+1]
		case opSetItem, opAppend:
			n := 2
			want := kList
			if op == opSetItem {
				n, want = 3, kDict
			}
			if !d.have(n) {
				return d.fail(ErrMalformed, op, at)
			}
			h := len(d.stack) - n + 1
			if !d.addTo(d.stack[h-1], want, d.stack[h:]) {
				return d.fail(ErrMalformed, op, at)
			}
			d.stack = d.stack[:h]
		case opSetItems, opAppends, opAddItems:
			// The target is the value just below the mark, which must be
			// above the mark below that.
			h, ok := d.popMark()
			if !ok || h < 1 || h-1 < d.fence() {
				return d.fail(ErrMalformed, op, at)
			}
			want := markKind(op)
			if want == kDict && (len(d.stack)-h)%2 != 0 {
				return d.fail(ErrMalformed, op, at)
			}
			if !d.addTo(d.stack[h-1], want, d.stack[h:]) {
				return d.fail(ErrMalformed, op, at)
			}
			d.stack = d.stack[:h]

		case opPut, opBinPut, opLongBinPut, opMemoize:
			if !d.have(1) {
				return d.fail(ErrMalformed, op, at)
			}
			i, e := d.memoIndex(op)
			if e != nil {
				return d.fail(e, op, at)
			}
			d.memo.put(i, d.stack[len(d.stack)-1])
		case opGet, opBinGet, opLongBinGet:
			i, e := d.memoIndex(op)
			if e != nil {
				return d.fail(e, op, at)
			}
			v, ok := d.memo.get(i)
			if !ok {
				return d.fail(ErrMalformed, op, at)
			}
			d.stack = append(d.stack, v)

		case opGlobal, opInst:
			mod, ok1 := d.line()
			name, ok2 := d.line()
			if !ok1 || !ok2 {
				return d.fail(ErrTruncated, op, at)
			}
			start := len(d.scratch)
			d.scratch = append(d.scratch, mod...)
			d.scratch = append(d.scratch, '.')
			d.scratch = append(d.scratch, name...)
			if op == opGlobal {
				d.stack = append(d.stack, d.scratchVal(kClass, start))
				break
			}
			h, ok := d.popMark()
			if !ok {
				return d.fail(ErrMalformed, op, at)
			}
			d.stack = append(d.stack[:h], d.scratchVal(kObject, start))
		case opStackGlobal:
			if !d.have(2) {
				return d.fail(ErrMalformed, op, at)
			}
			name, mod := d.pop(), d.pop()
			if name.k != kStr || mod.k != kStr {
				return d.fail(ErrMalformed, op, at)
			}
			if !d.copying(mod.n + name.n) {
				return d.fail(ErrTooLarge, op, at)
			}
			start := len(d.scratch)
			d.scratch = append(d.scratch, d.text(mod)...)
			d.scratch = append(d.scratch, '.')
			d.scratch = append(d.scratch, d.text(name)...)
			d.stack = append(d.stack, d.scratchVal(kClass, start))
		case opReduce:
			if !d.have(2) {
				return d.fail(ErrMalformed, op, at)
			}
			args, fn := d.pop(), d.pop()
			v, ok := d.reduce(fn, args)
			if d.overCopy {
				return d.fail(ErrTooLarge, op, at)
			}
			if !ok {
				return d.fail(ErrMalformed, op, at)
			}
			d.stack = append(d.stack, v)
		case opNewObj, opNewObjEx:
			n := 2
			if op == opNewObjEx {
				n = 3
			}
			if !d.have(n) {
				return d.fail(ErrMalformed, op, at)
			}
			cls := d.stack[len(d.stack)-n]
			d.stack = d.stack[:len(d.stack)-n]
			v, ok := objectOf(cls)
			if !ok {
				return d.fail(ErrMalformed, op, at)
			}
			d.stack = append(d.stack, v)
		case opObj:
			h, ok := d.popMark()
			if !ok || len(d.stack) == h {
				return d.fail(ErrMalformed, op, at)
			}
			v, ok := objectOf(d.stack[h])
			if !ok {
				return d.fail(ErrMalformed, op, at)
			}
			d.stack = append(d.stack[:h], v)
		case opBuild:
			// The state is dropped whatever the target: nothing is ever
			// set on a value, so an object stays a placeholder and data
			// stays as decoded.
			if !d.have(2) {
				return d.fail(ErrMalformed, op, at)
			}
			d.pop()
		case opPersID:
			if _, ok := d.line(); !ok {
				return d.fail(ErrTruncated, op, at)
			}
			d.stack = append(d.stack, d.placeholder(persistentClass))
		case opBinPersID:
			if !d.have(1) {
				return d.fail(ErrMalformed, op, at)
			}
			d.pop()
			d.stack = append(d.stack, d.placeholder(persistentClass))
		case opExt1, opExt2, opExt4:
			n := uint64(op-opExt1) + 1
			if op == opExt4 {
				n = 4
			}
			if _, ok := d.take(n); !ok {
				return d.fail(ErrTruncated, op, at)
			}
			d.stack = append(d.stack, d.placeholder(extensionClass))
		default:
			return d.fail(ErrUnsupportedOpcode, op, at)
		}
		if err != nil {
			return d.fail(err, op, at)
		}
	}
}

func (d *Decoder) fail(err error, op byte, at int) (val, error) {
	return val{}, &Error{Err: err, Op: op, Offset: at}
}

// markKind is the container kind an opcode that works on the items above
// a mark makes or adds to.
func markKind(op byte) kind {
	switch op {
	case opDict, opSetItems:
		return kDict
	case opList, opAppends:
		return kList
	case opTuple:
		return kTuple
	case opFrozenSet:
		return kFrozenSet
	}
	return kSet // opAddItems
}

// addTo adds items to the container target: pairs to a dict (SETITEM,
// SETITEMS), values to a list (APPEND, APPENDS) or a set (ADDITEMS). On an
// object they are absorbed, as its state is. Any other target is an error,
// as in CPython.
func (d *Decoder) addTo(target val, want kind, items []val) bool {
	switch target.k {
	case want:
		c := &d.conts[target.a]
		c.items = append(c.items, items...)
		return true
	case kObject, kClass:
		return true
	}
	return false
}

// memoIndex reads the memo index of a PUT or GET opcode.
func (d *Decoder) memoIndex(op byte) (uint32, error) {
	switch op {
	case opMemoize:
		if d.memo.size() > math.MaxUint32 {
			return 0, ErrTooLarge
		}
		return uint32(d.memo.size()), nil
	case opBinPut, opBinGet:
		b, ok := d.take(1)
		if !ok {
			return 0, ErrTruncated
		}
		return uint32(b[0]), nil
	case opLongBinPut, opLongBinGet:
		b, ok := d.take(4)
		if !ok {
			return 0, ErrTruncated
		}
		return binary.LittleEndian.Uint32(b), nil
	}
	b, ok := d.line()
	if !ok {
		return 0, ErrTruncated
	}
	return parseIndex(b)
}
