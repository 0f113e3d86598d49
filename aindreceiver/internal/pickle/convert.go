package pickle

import (
	"math"
	"strconv"
	"unicode/utf8"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/utf8text"
)

// Limits of the conversion to pdata. The decoder itself never recurses and
// never holds more than the frame's opcodes made; the conversion does
// both, and the memo lets a short frame describe a huge or cyclic value
// (a list of two references to a list of two references to...).
const (
	// maxDepth is the number of containers a value may be nested in,
	// counting the top-level dict: deeper is ErrTooDeep.
	maxDepth = 64
	// The budget of a frame's conversion is twice its length plus
	// budgetSlack, in units of one container item or one byte of text
	// (keys, values, class names). Without sharing every item and every
	// byte of text is at least a byte of the frame, so only sharing through
	// the memo can come near it: the same string or list referenced again
	// and again. The decoder's own copies (objects.go) have the same bound.
	budgetSlack = 64 << 10
	// largeDict is the number of pairs up to which a dict is built with
	// pcommon.Map.PutEmpty, which searches the keys so far: quadratic, so
	// larger dicts check duplicates with a Go map instead.
	largeDict = 64
	// internMaxLen and internMaxEntries bound the string intern cache:
	// short strings repeat from record to record (keys, level names,
	// thread names, paths); long ones (messages) rarely do.
	internMaxLen     = 64
	internMaxEntries = 1024
)

// convertTop converts the pairs of the top-level dict into dst. A key whose
// value is too deep or too large is left out and the first such error is
// returned after the other keys are converted.
func (d *Decoder) convertTop(pairs []val, dst pcommon.Map) error {
	var first error
	d.dict(pairs, dst, 1, func(err error) {
		if first == nil {
			first = err
		}
	})
	return first
}

// dict converts dict pairs into m. Below the top level, onErr is nil and an
// error aborts the whole value (returned); at the top level it is called
// per offending key, which is left out.
func (d *Decoder) dict(pairs []val, m pcommon.Map, depth int, onErr func(error)) error {
	n := len(pairs) / 2
	if n > largeDict {
		return d.largeDictInto(pairs, m, depth, onErr)
	}
	m.EnsureCapacity(n)
	for i := 0; i+1 < len(pairs); i += 2 {
		key, err := d.key(pairs[i])
		if err != nil {
			if onErr == nil {
				return err
			}
			onErr(err)
			continue
		}
		v := m.PutEmpty(key)
		if err := d.value(pairs[i+1], v, depth); err != nil {
			if onErr == nil {
				return err
			}
			m.Remove(key)
			onErr(err)
		}
	}
	return nil
}

// largeDictInto is dict for many pairs: duplicates are found with a Go map
// (the last value of a key wins, as in Python), values are converted in
// order into a slice and the map is built once. Its key order is lost.
func (d *Decoder) largeDictInto(pairs []val, m pcommon.Map, depth int, onErr func(error)) error {
	keys := make([]string, len(pairs)/2)
	last := make(map[string]int, len(keys))
	for i := range keys {
		key, err := d.key(pairs[2*i])
		if err != nil {
			if onErr == nil {
				return err
			}
			onErr(err)
			return nil // no budget left for the rest either
		}
		keys[i] = key
		last[key] = i
	}
	values := pcommon.NewSlice()
	values.EnsureCapacity(len(last))
	pos := make(map[string]int, len(last))
	for i, key := range keys {
		if last[key] != i {
			continue
		}
		v := values.AppendEmpty()
		if err := d.value(pairs[2*i+1], v, depth); err != nil {
			if onErr == nil {
				return err
			}
			onErr(err)
			continue
		}
		pos[key] = values.Len() - 1
	}
	raw := make(map[string]any, len(pos))
	for k := range pos {
		raw[k] = nil
	}
	_ = m.FromRaw(raw) // nil values cannot fail
	m.Range(func(k string, v pcommon.Value) bool {
		values.At(pos[k]).MoveTo(v)
		return true
	})
	return nil
}

// spend takes n units (container items, bytes of text) from the budget.
func (d *Decoder) spend(n int) error {
	if n > d.budget {
		d.budget = 0
		return ErrTooLarge
	}
	d.budget -= n
	return nil
}

// value converts v into dst, an empty value inside depth containers.
func (d *Decoder) value(v val, dst pcommon.Value, depth int) error {
	switch v.k {
	case kNone:
	case kBool:
		dst.SetBool(v.a != 0)
	case kInt:
		dst.SetInt(v.a)
	case kFloat:
		dst.SetDouble(math.Float64frombits(uint64(v.a)))
	case kBigInt, kStr, kBytes, kClass, kObject:
		if err := d.spend(v.n); err != nil {
			return err
		}
		switch v.k {
		case kBigInt:
			dst.SetStr(string(d.text(v))) // "above int64 → string", as pdatajson
		case kStr:
			dst.SetStr(d.str(d.text(v)))
		case kBytes:
			dst.SetEmptyBytes().FromRaw(d.text(v))
		default:
			dst.SetStr(d.objectString(v))
		}
	case kList, kTuple, kSet, kFrozenSet:
		if depth >= maxDepth {
			return ErrTooDeep
		}
		items := d.conts[v.a].items
		if err := d.spend(len(items)); err != nil {
			return err
		}
		s := dst.SetEmptySlice()
		s.EnsureCapacity(len(items))
		for _, it := range items {
			if err := d.value(it, s.AppendEmpty(), depth+1); err != nil {
				return err
			}
		}
	case kDict:
		if depth >= maxDepth {
			return ErrTooDeep
		}
		pairs := d.conts[v.a].items
		if err := d.spend(len(pairs) / 2); err != nil {
			return err
		}
		return d.dict(pairs, dst.SetEmptyMap(), depth+1, nil)
	}
	return nil
}

// key is the string form of a dict key. Log records have str keys; others
// get a simple form: int → decimal, bytes → repaired text, True, False and
// None → "True", "False", "None", a float → its shortest decimal, an
// object → its placeholder, a tuple, frozenset or other container →
// "<unsupported key>". Two keys with the same form are one key, the last
// value winning.
func (d *Decoder) key(v val) (string, error) {
	switch v.k {
	case kStr, kBytes, kBigInt, kClass, kObject:
		if err := d.spend(v.n); err != nil {
			return "", err
		}
	}
	switch v.k {
	case kStr, kBytes:
		return d.str(d.text(v)), nil
	case kInt:
		d.keyBuf = strconv.AppendInt(d.keyBuf[:0], v.a, 10)
		return d.str(d.keyBuf), nil
	case kBigInt:
		return string(d.text(v)), nil
	case kBool:
		if v.a != 0 {
			return "True", nil
		}
		return "False", nil
	case kNone:
		return "None", nil
	case kFloat:
		d.keyBuf = strconv.AppendFloat(d.keyBuf[:0], math.Float64frombits(uint64(v.a)), 'g', -1, 64)
		return d.str(d.keyBuf), nil
	case kClass, kObject:
		return d.objectString(v), nil
	}
	return "<unsupported key>", nil
}

// objectString is the placeholder of an object or class: "<module.Name
// object>". It counts in Report.Objects.
func (d *Decoder) objectString(v val) string {
	d.report.Objects++
	d.keyBuf = append(append(append(d.keyBuf[:0], '<'), d.text(v)...), " object>"...)
	return d.str(d.keyBuf)
}

// str makes a string of b, which the caller's frame buffer or the scratch
// buffer holds: copied, invalid UTF-8 repaired, and short strings interned
// so that the keys and the repeating values of a connection's records cost
// no allocation after the first.
func (d *Decoder) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > internMaxLen {
		return utf8text.Repair(string(b))
	}
	if s, ok := d.intern[string(b)]; ok { // no allocation for the lookup
		return s
	}
	if !utf8.Valid(b) {
		return utf8text.Repair(string(b))
	}
	s := string(b)
	if d.intern == nil || len(d.intern) >= internMaxEntries {
		// Start afresh rather than evict: a connection's strings that
		// repeat come back at once, a hostile frame's do not.
		d.intern = make(map[string]string, 64)
	}
	d.intern[s] = s
	return s
}
