package pickle

// The opcodes of pickle protocols 0 to 5, named as in CPython's
// Lib/pickle.py. The comment says what each pushes; "line" arguments end
// with '\n', binary lengths and integers are little-endian unless noted.
const (
	opMark           = '(' // push a mark
	opStop           = '.' // end: the top value is the result
	opPop            = '0' // discard the top value (or the top mark)
	opPopMark        = '1' // discard everything down to the top mark
	opDup            = '2' // push the top value again
	opFloat          = 'F' // float, decimal line
	opInt            = 'I' // int, decimal line; "01"/"00" are True/False
	opBinInt         = 'J' // int32
	opBinInt1        = 'K' // uint8
	opLong           = 'L' // int, decimal line with an optional trailing 'L'
	opBinInt2        = 'M' // uint16
	opNone           = 'N'
	opPersID         = 'P' // persistent id, line
	opBinPersID      = 'Q' // persistent id, the top value
	opReduce         = 'R' // callable(*args)
	opString         = 'S' // Python 2 str, quoted literal line
	opBinString      = 'T' // Python 2 str, int32 length
	opShortBinString = 'U' // Python 2 str, uint8 length
	opUnicode        = 'V' // str, raw-unicode-escape line
	opBinUnicode     = 'X' // str, UTF-8, uint32 length
	opAppend         = 'a' // list.append(x)
	opBuild          = 'b' // obj.__setstate__(state)
	opGlobal         = 'c' // class, module and name lines
	opDict           = 'd' // dict of the pairs above the mark
	opEmptyDict      = '}'
	opAppends        = 'e' // list.extend(items above the mark)
	opGet            = 'g' // memo value, decimal line
	opBinGet         = 'h' // memo value, uint8 index
	opInst           = 'i' // class(*items above the mark), module and name lines
	opLongBinGet     = 'j' // memo value, uint32 index
	opList           = 'l' // list of the items above the mark
	opEmptyList      = ']'
	opObj            = 'o' // cls(*args), cls and args above the mark
	opPut            = 'p' // memo the top value, decimal line
	opBinPut         = 'q' // memo the top value, uint8 index
	opLongBinPut     = 'r' // memo the top value, uint32 index
	opSetItem        = 's' // dict[k] = v
	opTuple          = 't' // tuple of the items above the mark
	opEmptyTuple     = ')'
	opSetItems       = 'u' // dict.update(pairs above the mark)
	opBinFloat       = 'G' // float64, big-endian

	// Protocol 2.
	opProto    = '\x80' // protocol version, uint8
	opNewObj   = '\x81' // cls.__new__(cls, *args)
	opExt1     = '\x82' // extension registry code, uint8
	opExt2     = '\x83' // extension registry code, uint16
	opExt4     = '\x84' // extension registry code, int32
	opTuple1   = '\x85'
	opTuple2   = '\x86'
	opTuple3   = '\x87'
	opNewTrue  = '\x88'
	opNewFalse = '\x89'
	opLong1    = '\x8a' // int, two's complement, uint8 length
	opLong4    = '\x8b' // int, two's complement, int32 length

	// Protocol 3.
	opBinBytes      = 'B' // bytes, uint32 length
	opShortBinBytes = 'C' // bytes, uint8 length

	// Protocol 4.
	opShortBinUnicode = '\x8c' // str, UTF-8, uint8 length
	opBinUnicode8     = '\x8d' // str, UTF-8, uint64 length
	opBinBytes8       = '\x8e' // bytes, uint64 length
	opEmptySet        = '\x8f'
	opAddItems        = '\x90' // set.update(items above the mark)
	opFrozenSet       = '\x91' // frozenset of the items above the mark
	opNewObjEx        = '\x92' // cls.__new__(cls, *args, **kwargs)
	opStackGlobal     = '\x93' // class, module and name from the stack
	opMemoize         = '\x94' // memo the top value at the next index
	opFrame           = '\x95' // a frame of uint64 length follows

	// Protocol 5.
	opByteArray8     = '\x96' // bytearray, uint64 length
	opNextBuffer     = '\x97' // out-of-band buffer
	opReadOnlyBuffer = '\x98' // make the top buffer read-only
)

// maxProto is the highest protocol this package reads (CPython 3.8+ writes
// up to 5).
const maxProto = 5
