package pickle

import (
	"bytes"
	"unicode/utf8"
)

// Object opcodes are evaluated symbolically: a class is only its name, an
// instance only its class's name. Nothing is imported, called or built, so
// no pickle can do more than any other data; the few constructors that
// Python itself uses to pickle plain data are recognised and read as the
// data they make.

// Class texts of the placeholders for values that have no class name.
const (
	persistentClass = "persistent"
	extensionClass  = "extension"
)

// placeholder is an object value of the given class text.
func (d *Decoder) placeholder(class string) val {
	start := len(d.scratch)
	d.scratch = append(d.scratch, class...)
	return d.scratchVal(kObject, start)
}

// copying takes n units (bytes, items) from what the decoder may copy of
// values already decoded; false, with overCopy set, if that is exhausted.
func (d *Decoder) copying(n int) bool {
	if n > d.copyLeft {
		d.overCopy = true
		return false
	}
	d.copyLeft -= n
	return true
}

// objectOf is the instance NEWOBJ, NEWOBJ_EX or OBJ makes of cls: an object
// of the same class text. A plain value is not a class.
func objectOf(cls val) (val, bool) {
	if cls.k != kClass && cls.k != kObject {
		return val{}, false
	}
	cls.k = kObject
	return cls, true
}

// class is GLOBAL and STACK_GLOBAL, which push a class, and INST, which
// makes an instance of one from the values above the top mark: each only
// the text "module.Name".
func (d *Decoder) class(op byte) error {
	start := len(d.scratch)
	if op == opStackGlobal {
		if !d.have(2) {
			return ErrMalformed
		}
		name, mod := d.pop(), d.pop()
		if name.k != kStr || mod.k != kStr {
			return ErrMalformed
		}
		if !d.copying(mod.n + name.n) {
			return ErrTooLarge
		}
		d.scratch = append(d.scratch, d.text(mod)...)
		d.scratch = append(d.scratch, '.')
		d.scratch = append(d.scratch, d.text(name)...)
		d.stack = append(d.stack, d.scratchVal(kClass, start))
		return nil
	}
	mod, ok1 := d.line()
	name, ok2 := d.line()
	if !ok1 || !ok2 {
		return ErrTruncated
	}
	d.scratch = append(d.scratch, mod...)
	d.scratch = append(d.scratch, '.')
	d.scratch = append(d.scratch, name...)
	if op == opGlobal {
		d.stack = append(d.stack, d.scratchVal(kClass, start))
		return nil
	}
	h, ok := d.popMark()
	if !ok {
		return ErrMalformed
	}
	d.stack = append(d.stack[:h], d.scratchVal(kObject, start))
	return nil
}

// instance is REDUCE, NEWOBJ, NEWOBJ_EX and OBJ, which make an instance of
// a class (or a recognised constructor's data), and BUILD, which would set
// its state.
func (d *Decoder) instance(op byte) error {
	switch op {
	case opReduce:
		if !d.have(2) {
			return ErrMalformed
		}
		args, fn := d.pop(), d.pop()
		v, ok := d.reduce(fn, args)
		if d.overCopy {
			return ErrTooLarge
		}
		if !ok {
			return ErrMalformed
		}
		d.stack = append(d.stack, v)
	case opNewObj, opNewObjEx:
		n := 2 // cls, args
		if op == opNewObjEx {
			n = 3 // cls, args, kwargs
		}
		if !d.have(n) {
			return ErrMalformed
		}
		cls := d.stack[len(d.stack)-n]
		d.stack = d.stack[:len(d.stack)-n]
		v, ok := objectOf(cls)
		if !ok {
			return ErrMalformed
		}
		d.stack = append(d.stack, v)
	case opObj:
		h, ok := d.popMark()
		if !ok || len(d.stack) == h {
			return ErrMalformed
		}
		v, ok := objectOf(d.stack[h])
		if !ok {
			return ErrMalformed
		}
		d.stack = append(d.stack[:h], v)
	default: // opBuild
		// The state is dropped whatever the target: nothing is ever set on
		// a value, so an object stays a placeholder and data stays as
		// decoded.
		if !d.have(2) {
			return ErrMalformed
		}
		d.pop()
	}
	return nil
}

// externalObject is PERSID, BINPERSID and EXT1/2/4, references to objects
// outside the pickle (a persistent id, an extension registry code): a
// placeholder, whatever the reference.
func (d *Decoder) externalObject(op byte) error {
	switch op {
	case opPersID:
		if _, ok := d.line(); !ok {
			return ErrTruncated
		}
		d.stack = append(d.stack, d.placeholder(persistentClass))
	case opBinPersID:
		if !d.have(1) {
			return ErrMalformed
		}
		d.pop()
		d.stack = append(d.stack, d.placeholder(persistentClass))
	default: // opExt1, opExt2, opExt4
		n := uint64(op-opExt1) + 1
		if op == opExt4 {
			n = 4
		}
		if _, ok := d.take(n); !ok {
			return ErrTruncated
		}
		d.stack = append(d.stack, d.placeholder(extensionClass))
	}
	return nil
}

// reduce is REDUCE: fn(*args). A recognised data constructor makes its
// data; any other class or object makes an object of its class.
func (d *Decoder) reduce(fn, args val) (val, bool) {
	if fn.k == kClass {
		if v, ok := d.construct(d.text(fn), args); ok {
			return v, true
		}
	}
	return objectOf(fn)
}

// construct interprets the data constructors CPython 3 writes for plain
// values (pickletools.dis shows them):
//
//	bytes at protocols 0-2:     _codecs.encode('<latin-1 text>', 'latin1'); b'' is __builtin__.bytes()
//	bytearray at protocols 0-4: __builtin__.bytearray(<bytes>) or bytearray(); builtins. at 3-4
//	set, frozenset at 0-3:      __builtin__.set([items]), __builtin__.frozenset([items])
//
// bytes and bytearray from a list of ints, and bytearray(str, 'latin-1'),
// come from other picklers. Arguments of any other shape make an object.
func (d *Decoder) construct(class []byte, args val) (val, bool) {
	if args.k != kTuple {
		return val{}, false
	}
	a := d.conts[args.a].items
	switch name := builtinName(class); name {
	case "_codecs.encode":
		if len(a) == 2 && a[0].k == kStr && d.isLatin1Name(a[1]) {
			return d.latin1(a[0])
		}
	case "bytes", "bytearray":
		switch {
		case len(a) == 0:
			return val{k: kBytes}, true
		case len(a) == 1 && a[0].k == kBytes:
			return a[0], true
		case len(a) == 1 && (a[0].k == kList || a[0].k == kTuple):
			return d.bytesOfInts(d.conts[a[0].a].items)
		case name == "bytearray" && len(a) == 2 && a[0].k == kStr && d.isLatin1Name(a[1]):
			return d.latin1(a[0])
		}
	case "set", "frozenset":
		k := kSet
		if name == "frozenset" {
			k = kFrozenSet
		}
		switch {
		case len(a) == 0:
			d.pushCont(k, nil)
			return d.pop(), true
		case len(a) == 1 && (a[0].k == kList || a[0].k == kTuple || a[0].k == kSet || a[0].k == kFrozenSet):
			if !d.copying(len(d.conts[a[0].a].items)) {
				return val{}, false
			}
			i := d.newCont()
			// Appended from the argument's items after newCont, which may
			// move d.conts.
			d.conts[i].items = append(d.conts[i].items, d.conts[a[0].a].items...)
			return val{k: k, a: int64(i)}, true
		}
	}
	return val{}, false
}

// builtinName is the name of a builtins or __builtin__ class (Python 3 with
// fix_imports writes __builtin__ at protocols 0-2), or class as it is.
func builtinName(class []byte) string {
	for _, prefix := range [...]string{"builtins.", "__builtin__."} {
		if rest, ok := bytes.CutPrefix(class, []byte(prefix)); ok {
			switch string(rest) {
			case "bytes", "bytearray", "set", "frozenset":
				return string(rest)
			}
			return ""
		}
	}
	if string(class) == "_codecs.encode" {
		return "_codecs.encode"
	}
	return ""
}

func (d *Decoder) isLatin1Name(v val) bool {
	if v.k != kStr {
		return false
	}
	switch string(d.text(v)) {
	case "latin1", "latin-1", "iso-8859-1", "iso8859-1", "l1":
		return true
	}
	return false
}

// latin1 encodes text to Latin-1: each character below U+0100 is a byte.
// Text with other characters is not bytes pickled by Python: no data.
func (d *Decoder) latin1(s val) (val, bool) {
	if !d.copying(s.n) {
		return val{}, false
	}
	text := d.text(s)
	start := len(d.scratch)
	for len(text) > 0 {
		r, size := utf8.DecodeRune(text)
		if r > 0xff || (r == utf8.RuneError && size == 1) {
			d.scratch = d.scratch[:start]
			return val{}, false
		}
		d.scratch = append(d.scratch, byte(r))
		text = text[size:]
	}
	return d.scratchVal(kBytes, start), true
}

// bytesOfInts is bytes([ints]): each item an int in 0..255.
func (d *Decoder) bytesOfInts(items []val) (val, bool) {
	if !d.copying(len(items)) {
		return val{}, false
	}
	start := len(d.scratch)
	for _, it := range items {
		if it.k != kInt || it.a < 0 || it.a > 0xff {
			d.scratch = d.scratch[:start]
			return val{}, false
		}
		d.scratch = append(d.scratch, byte(it.a))
	}
	return d.scratchVal(kBytes, start), true
}
