package redact // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"

// anchorLit is one literal of an anchor set, and the detector it starts.
type anchorLit struct {
	lit  string // lower-case ASCII when fold
	fold bool   // ASCII case-insensitive
	det  detector
	arg  uint16 // detCustom: the pattern's index; detGitHub: the minimum length
}

// anchorSet finds its literals in a string. A bit per pair of bytes says
// whether a literal may start there; only then are the literals of the
// first byte compared. Most bytes of text cost one table look-up.
type anchorSet struct {
	lits   []anchorLit
	start  [257]uint16 // lits of first byte b: order[start[b]:start[b+1]]
	order  []uint16
	pairs  *[1 << 16 / 64]uint64 // bit b0<<8|b1: a literal may start with b0 b1
	single [256]bool             // a one-byte literal is b
}

func newAnchorSet(lits []anchorLit) anchorSet {
	a := anchorSet{lits: lits, pairs: new([1 << 16 / 64]uint64)}
	var byByte [256][]uint16
	for i, l := range lits {
		for _, b0 := range cases(l.lit[0], l.fold) {
			byByte[b0] = append(byByte[b0], uint16(i))
			if len(l.lit) == 1 {
				a.single[b0] = true
				for b1 := 0; b1 < 256; b1++ {
					a.setPair(b0, b1)
				}
				continue
			}
			for _, b1 := range cases(l.lit[1], l.fold) {
				a.setPair(b0, b1)
			}
		}
	}
	for b := 0; b < 256; b++ {
		a.start[b] = uint16(len(a.order))
		a.order = append(a.order, byByte[b]...)
	}
	a.start[256] = uint16(len(a.order))
	return a
}

// cases are the bytes that match c: both cases of a letter when fold.
func cases(c byte, fold bool) []int {
	if fold && c >= 'a' && c <= 'z' {
		return []int{int(c), int(c - ('a' - 'A'))}
	}
	return []int{int(c)}
}

func (a *anchorSet) setPair(b0, b1 int) {
	p := b0<<8 | b1
	a.pairs[p>>6] |= 1 << (p & 63)
}

// candidate reports whether a literal may start at s[i].
func (a *anchorSet) candidate(s string, i int) bool {
	if i+1 < len(s) {
		p := uint(s[i])<<8 | uint(s[i+1])
		return a.pairs[p>>6]&(1<<(p&63)) != 0
	}
	return a.single[s[i]]
}

// at reports whether l occurs at s[i].
func (l *anchorLit) at(s string, i int) bool {
	if len(s)-i < len(l.lit) {
		return false
	}
	if !l.fold {
		return s[i:i+len(l.lit)] == l.lit
	}
	for j := 1; j < len(l.lit); j++ { // the first byte was matched by the table
		if lowerByte(s[i+j]) != l.lit[j] {
			return false
		}
	}
	return true
}

// each calls found for every occurrence of a literal in s, in order of
// position (literals at one position in the order they were given), until
// found returns true; it reports whether one did.
func (a *anchorSet) each(s string, found func(i int, l *anchorLit) (stop bool)) bool {
	for i := 0; i < len(s); i++ {
		if !a.candidate(s, i) {
			continue
		}
		b := s[i]
		for _, li := range a.order[a.start[b]:a.start[int(b)+1]] {
			if l := &a.lits[li]; l.at(s, i) && found(i, l) {
				return true
			}
		}
	}
	return false
}

// any reports whether s holds any literal of the set.
func (a *anchorSet) any(s string) bool {
	return a.each(s, func(int, *anchorLit) bool { return true })
}
