package pickle

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

// TestLiterals checks the protocol 0 text forms and the binary numbers one
// value at a time, as the value of key "v".
func TestLiterals(t *testing.T) {
	for _, tc := range []struct {
		name, op string
		want     any
	}{
		{"INT", "I42\n", int64(42)},
		{"INT negative", "I-7\n", int64(-7)},
		{"INT True", "I01\n", true},
		{"INT False", "I00\n", false},
		{"INT zero", "I0\n", int64(0)},
		{"INT beyond int64", "I9223372036854775808\n", "9223372036854775808"},
		{"INT int64 min", "I-9223372036854775808\n", int64(math.MinInt64)},
		{"LONG with L", "L123L\n", int64(123)},
		{"LONG big", "L-000123456789012345678901234567890L\n", "-123456789012345678901234567890"},
		{"LONG1 zero", "\x8a\x00", int64(0)},
		{"LONG1 -1", "\x8a\x01\xff", int64(-1)},
		{"LONG1 255", "\x8a\x02\xff\x00", int64(255)},
		{"LONG1 int64 min", "\x8a\x08\x00\x00\x00\x00\x00\x00\x00\x80", int64(math.MinInt64)},
		{"LONG1 2**64", "\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01", "18446744073709551616"},
		{"LONG1 -2**64", "\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\xff", "-18446744073709551616"},
		{"LONG1 9 bytes in int64", "\x8a\x09\xff\xff\xff\xff\xff\xff\xff\xff\xff", int64(-1)},
		{"BININT", "J\xfe\xff\xff\xff", int64(-2)},
		{"BININT2", "M\xff\xff", int64(65535)},
		{"FLOAT", "F1.5\n", 1.5},
		{"FLOAT exponent", "F-2.5e-10\n", -2.5e-10},
		{"FLOAT inf", "Finf\n", math.Inf(1)},
		{"FLOAT overflow", "F1e400\n", math.Inf(1)},
		{"BINFLOAT", "G\x3f\xf8\x00\x00\x00\x00\x00\x00", 1.5},
		{"STRING", "S'abc'\n", "abc"},
		{"STRING double quotes", "S\"it's\"\n", "it's"},
		{"STRING escapes", `S'a\'b\\c\n\t\x41\101\0'` + "\n", "a'b\\c\n\tAA\x00"},
		{"STRING unknown escape", `S'\q'` + "\n", `\q`},
		{"STRING invalid UTF-8", `S'\xff'` + "\n", "\ufffd"},
		{"BINSTRING", "T\x03\x00\x00\x00abc", "abc"},
		{"SHORT_BINSTRING", "U\x03abc", "abc"},
		{"UNICODE", "Vabc\n", "abc"},
		{"UNICODE escapes", `V\u00b5m \u6f22 \U0001f42d` + "\n", "µm 漢 🐭"},
		{"UNICODE Latin-1 bytes", "V\xb5m\n", "µm"},
		{"UNICODE escaped backslash", `V\\u0041` + "\n", `\\u0041`},
		{"UNICODE odd backslashes", `V\\\u0041` + "\n", `\\A`},
		{"UNICODE lone surrogate", `Va\udc80b` + "\n", "a\ufffdb"},
		{"UNICODE two surrogates", `V\ud83d\udc2d` + "\n", "\ufffd"},
		{"BINUNICODE surrogatepass", "X\x05\x00\x00\x00a\xed\xb2\x80b", "a\ufffdb"},
		{"BINUNICODE8", "\x8d\x02\x00\x00\x00\x00\x00\x00\x00hi", "hi"},
		{"SHORT_BINBYTES", "C\x02\x00\xff", []byte{0, 0xff}},
		{"BINBYTES8", "\x8e\x01\x00\x00\x00\x00\x00\x00\x00\x01", []byte{1}},
		{"BYTEARRAY8", "\x96\x01\x00\x00\x00\x00\x00\x00\x00\x01", []byte{1}},
		{"NONE", "N", nil},
		{"NEWTRUE", "\x88", true},
		{"TUPLE3", "K\x01K\x02K\x03\x87", []any{int64(1), int64(2), int64(3)}},
		{"FROZENSET", "(K\x01\x91", []any{int64(1)}},
		{"EMPTY_SET ADDITEMS", "\x8f(K\x01K\x02\x90", []any{int64(1), int64(2)}},
		{"DUP", "K\x05\x32\x86", []any{int64(5), int64(5)}},
		{"POP_MARK", "K\x05(K\x06K\x071", int64(5)},
		{"PUT GET", "K\x05p3\n0g3\n", int64(5)},
		{"MEMOIZE", "K\x05\x94\x30h\x00", int64(5)},
		{"dict keys", "(K\x01S'i'\nC\x01bS'b'\n\x88S't'\n\x89S'f'\nNS'n'\nG\x3f\xf8\x00\x00\x00\x00\x00\x00S'x'\n)S'u'\nd",
			map[string]any{"1": "i", "b": "b", "True": "t", "False": "f", "None": "n", "1.5": "x", "<unsupported key>": "u"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d Decoder
			dst := pcommon.NewMap()
			_, err := d.DecodeDict([]byte("(dS'v'\n"+tc.op+"s."), dst)
			require.NoError(t, err)
			assert.Equal(t, map[string]any{"v": tc.want}, dst.AsRaw())
		})
	}
}
