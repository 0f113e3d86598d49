package pickle

// Containers: the opcodes that make dicts, lists, tuples and sets, and
// those that add items to them. A container is an index into
// Decoder.conts, so that the memo can share it and it can contain itself.

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

// makeContainer is EMPTY_DICT, EMPTY_LIST, EMPTY_TUPLE, EMPTY_SET, TUPLE1-3
// (of the top one to three values) and DICT, LIST, TUPLE, FROZENSET (of the
// values above the top mark).
func (d *Decoder) makeContainer(op byte) error {
	var h int // the stack height where the items begin
	var k kind
	switch op {
	case opEmptyDict:
		d.pushCont(kDict, nil)
		return nil
	case opEmptyList:
		d.pushCont(kList, nil)
		return nil
	case opEmptyTuple:
		d.pushCont(kTuple, nil)
		return nil
	case opEmptySet:
		d.pushCont(kSet, nil)
		return nil
	case opTuple1, opTuple2, opTuple3:
		n := int(op-opTuple1) + 1
		if !d.have(n) {
			return ErrMalformed
		}
		h, k = len(d.stack)-n, kTuple
	default: // opDict, opList, opTuple, opFrozenSet
		var ok bool
		if h, ok = d.popMark(); !ok {
			return ErrMalformed
		}
		k = markKind(op)
		if k == kDict && (len(d.stack)-h)%2 != 0 {
			return ErrMalformed
		}
	}
	d.pushCont(k, d.stack[h:])
	// pushCont appended after the items: move the new value down.
	d.stack[h] = d.stack[len(d.stack)-1]
	d.stack = d.stack[:h+1]
	return nil
}

// extendContainer is SETITEM and APPEND (of the top one or two values) and
// SETITEMS, APPENDS and ADDITEMS (of the values above the top mark).
func (d *Decoder) extendContainer(op byte) error {
	var h int // the stack height where the items begin, the target below
	var want kind
	switch op {
	case opSetItem, opAppend:
		n := 2
		want = kList
		if op == opSetItem {
			n, want = 3, kDict
		}
		if !d.have(n) {
			return ErrMalformed
		}
		h = len(d.stack) - n + 1
	default: // opSetItems, opAppends, opAddItems
		// The target is the value just below the mark, which must be
		// above the mark below that.
		var ok bool
		h, ok = d.popMark()
		if !ok || h < 1 || h-1 < d.fence() {
			return ErrMalformed
		}
		want = markKind(op)
		if want == kDict && (len(d.stack)-h)%2 != 0 {
			return ErrMalformed
		}
	}
	if !d.addTo(d.stack[h-1], want, d.stack[h:]) {
		return ErrMalformed
	}
	d.stack = d.stack[:h]
	return nil
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
