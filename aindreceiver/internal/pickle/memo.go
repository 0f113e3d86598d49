package pickle

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
