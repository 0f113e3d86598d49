package pickle

import (
	"encoding/binary"
	"math"
)

// memo holds the values PUT, BINPUT, LONG_BINPUT and MEMOIZE store. Picklers
// number them 0, 1, 2... so a dense slice serves nearly every frame; an
// index that is not the next one goes to a map, so a hostile LONG_BINPUT
// 4294967295 costs one map entry rather than 4 G slots. Either way the
// memo grows by at most one entry per opcode.
type memo struct {
	dense  []val
	sparse map[uint32]val
}

func (m *memo) reset() {
	m.dense = m.dense[:0]
	if len(m.sparse) > 1024 {
		m.sparse = nil // drop a hostile frame's map rather than keep it
	} else {
		clear(m.sparse)
	}
}

func (m *memo) put(i uint32, v val) {
	switch {
	case uint64(i) < uint64(len(m.dense)):
		m.dense[i] = v
	case uint64(i) == uint64(len(m.dense)):
		m.dense = append(m.dense, v)
		if len(m.sparse) > 0 {
			delete(m.sparse, i) // the dense slot is now the value
		}
	default:
		if m.sparse == nil {
			m.sparse = make(map[uint32]val)
		}
		m.sparse[i] = v
	}
}

func (m *memo) get(i uint32) (val, bool) {
	if uint64(i) < uint64(len(m.dense)) {
		return m.dense[i], true
	}
	v, ok := m.sparse[i]
	return v, ok
}

// size is the number of entries, the index MEMOIZE stores at (CPython's
// len(memo)).
func (m *memo) size() int { return len(m.dense) + len(m.sparse) }

// memoOp is PUT, LONG_BINPUT and MEMOIZE, which store the top value (left
// on the stack), and GET, BINGET and LONG_BINGET, which push one. BINPUT,
// the hottest, is run's own.
func (d *Decoder) memoOp(op byte) error {
	store := op == opPut || op == opLongBinPut || op == opMemoize
	if store && !d.have(1) {
		return ErrMalformed
	}
	i, err := d.memoIndex(op)
	if err != nil {
		return err
	}
	if store {
		d.memo.put(i, d.stack[len(d.stack)-1])
		return nil
	}
	v, ok := d.memo.get(i)
	if !ok {
		return ErrMalformed
	}
	d.stack = append(d.stack, v)
	return nil
}

// memoIndex reads the memo index of a PUT or GET opcode but BINPUT.
func (d *Decoder) memoIndex(op byte) (uint32, error) {
	switch op {
	case opMemoize:
		if d.memo.size() > math.MaxUint32 {
			return 0, ErrTooLarge
		}
		return uint32(d.memo.size()), nil // CPython's len(memo)
	case opBinGet:
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
