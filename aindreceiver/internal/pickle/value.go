package pickle

// kind is the type of a decoded value.
type kind uint8

const (
	kNone kind = iota
	kBool
	kInt
	kFloat
	kBigInt // an int beyond int64: its decimal text
	kStr    // text, maybe invalid UTF-8 (repaired when converted)
	kBytes
	kList
	kTuple
	kSet
	kFrozenSet
	kDict
	kClass  // a GLOBAL or STACK_GLOBAL: the text "module.Name"
	kObject // an instance never built: the text of its class
)

// Where the text of a kStr, kBytes, kBigInt, kClass or kObject lives.
const (
	inData    uint8 = iota // the frame itself
	inScratch              // Decoder.scratch: unescaped or made-up text
)

// val is one value on the stack or in the memo. It is a small struct, not
// an interface, so that pushing a value allocates nothing: text is an
// offset and a length into the frame or the scratch buffer, a container is
// an index into Decoder.conts (which makes memo sharing and self-reference
// work: two vals with the same index are the same Python object).
type val struct {
	k   kind
	src uint8 // inData or inScratch, for text kinds
	n   int   // text length
	a   int64 // int value, float bits, bool, container index or text offset
}

// cont is the content of a list, tuple, set or dict (pairs: key, value,
// key, value...). Its items slice is kept across frames for reuse.
type cont struct {
	items []val
}

func isContainer(k kind) bool { return k >= kList && k <= kDict }
