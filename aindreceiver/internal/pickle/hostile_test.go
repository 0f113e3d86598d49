package pickle

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

// decodeReused decodes frame with d, then checks d still decodes a real
// frame as a fresh decoder does: nothing of the hostile frame lingers.
func decodeReused(t *testing.T, d *Decoder, frame []byte) (pcommon.Map, Report, error) {
	t.Helper()
	dst := pcommon.NewMap()
	rep, err := d.DecodeDict(frame, dst)
	if err != nil {
		assert.NotContains(t, err.Error(), "pwned", "the error quotes the data")
	}
	real := readFrame(t, "testdata/frames", "extra", 1)
	want := pcommon.NewMap()
	_, wantErr := new(Decoder).DecodeDict(real, want)
	require.NoError(t, wantErr)
	got := pcommon.NewMap()
	_, gotErr := d.DecodeDict(real, got)
	require.NoError(t, gotErr, "the decoder is not reusable after the frame")
	assert.Equal(t, want.AsRaw(), got.AsRaw(), "the decoder is not reusable after the frame")
	return dst, rep, err
}

func TestObjectsArePlaceholders(t *testing.T) {
	for _, tc := range []struct {
		name, frame string
		want        map[string]any
		objects     int
	}{
		{"GLOBAL REDUCE", "(dS'cmd'\ncos\nsystem\n(S'echo pwned'\ntRs.", map[string]any{"cmd": "<os.system object>"}, 1},
		{"STACK_GLOBAL REDUCE", "\x80\x04}\x8c\x03cmd\x8c\x02os\x8c\x06system\x93\x8c\x0aecho pwned\x85Rs.", map[string]any{"cmd": "<os.system object>"}, 1},
		{"INST", "(dS'cmd'\n(S'echo pwned'\nios\nsystem\ns.", map[string]any{"cmd": "<os.system object>"}, 1},
		{"OBJ", "(dS'cmd'\n(cos\nsystem\nS'echo pwned'\nos.", map[string]any{"cmd": "<os.system object>"}, 1},
		{"NEWOBJ", "\x80\x02}X\x01\x00\x00\x00kcsubprocess\nPopen\nX\x0a\x00\x00\x00echo pwned\x85\x81s.", map[string]any{"k": "<subprocess.Popen object>"}, 1},
		{"NEWOBJ_EX", "\x80\x04}\x8c\x01kccollections\nOrderedDict\n)}\x92s.", map[string]any{"k": "<collections.OrderedDict object>"}, 1},
		{"BUILD", "}S'k'\ncfoo\nBar\n)R}S'x'\nS'echo pwned'\nsbs.", map[string]any{"k": "<foo.Bar object>"}, 1},
		{"SETITEMS APPENDS ADDITEMS absorbed", "}S'k'\ncfoo\nBar\n)R(S'a'\nK\x01u(K\x02e(K\x03\x90s.", map[string]any{"k": "<foo.Bar object>"}, 1},
		{"class value", "}S'k'\ncos\nsystem\ns.", map[string]any{"k": "<os.system object>"}, 1},
		{"object key", "}cos\nsystem\n)RK\x01s.", map[string]any{"<os.system object>": int64(1)}, 1},
		{"PERSID", "}S'k'\nPpwned\ns.", map[string]any{"k": "<persistent object>"}, 1},
		{"BINPERSID", "}S'k'\nS'pwned'\nQs.", map[string]any{"k": "<persistent object>"}, 1},
		{"EXT1 EXT2 EXT4", "}(S'a'\n\x82\x01S'b'\n\x83\x01\x00S'c'\n\x84\x01\x00\x00\x00u.",
			map[string]any{"a": "<extension object>", "b": "<extension object>", "c": "<extension object>"}, 3},
		{"shared object counted twice", "}(S'a'\ncfoo\nBar\n)Rq\x00S'b'\nh\x00u.", map[string]any{"a": "<foo.Bar object>", "b": "<foo.Bar object>"}, 2},
		{"unrecognised _codecs.encode", "}S'k'\nc_codecs\nencode\n(S'x'\nS'utf-16'\ntRs.", map[string]any{"k": "<_codecs.encode object>"}, 1},
		{"bytes from ints", "}S'k'\nc__builtin__\nbytes\n(]q\x00(K\x01K\xffetRs.", map[string]any{"k": []byte{1, 255}}, 0},
		{"bytes from bad ints", "}S'k'\ncbuiltins\nbytes\n(]q\x00(M\x00\x01etRs.", map[string]any{"k": "<builtins.bytes object>"}, 1},
		{"bytearray latin-1", "}S'k'\nc__builtin__\nbytearray\n(X\x02\x00\x00\x00\xc3\xbfS'latin-1'\ntRs.", map[string]any{"k": []byte{0xff}}, 0},
		{"frozenset()", "}S'k'\ncbuiltins\nfrozenset\n)Rs.", map[string]any{"k": []any{}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d Decoder
			dst, rep, err := decodeReused(t, &d, []byte(tc.frame))
			require.NoError(t, err)
			assert.Equal(t, tc.want, dst.AsRaw())
			assert.Equal(t, tc.objects, rep.Objects)
		})
	}
}

func TestHostileErrors(t *testing.T) {
	memoBomb := func() string {
		var b strings.Builder
		b.WriteString("}(S'a'\nK\x01uS'k'\n]q\x00K\x01a0")
		for i := 1; i <= 30; i++ {
			b.WriteString("(h" + string(rune(i-1)) + "h" + string(rune(i-1)) + "lq" + string(rune(i)))
			if i < 30 {
				b.WriteString("0")
			}
		}
		b.WriteString("s.")
		return b.String()
	}()
	const n = 100000
	big := "X\x60\xea\x00\x00" + strings.Repeat("x", 60000) + "q\x00" // a 60 000-byte str in memo 0
	stringBomb := "}(S'a'\nK\x01uS'k'\n" + big + "0(" + strings.Repeat("h\x00", 2000) + "ls."
	var keysBomb strings.Builder
	keysBomb.WriteString("}(S'a'\nK\x01u" + big + "0(")
	for i := range 10000 {
		keysBomb.WriteString("M" + string([]byte{byte(i), byte(i >> 8)}) + "h\x00")
	}
	keysBomb.WriteString("u.")
	globalBomb := "\x80\x04}(\x8c\x01aK\x01u" + big + strings.Repeat("h\x00h\x00\x930", 10000) + "."
	codecsBomb := "}(S'a'\nK\x01u" + strings.Replace(big, "q\x00", "q\x00c_codecs\nencode\nq\x01", 1) +
		strings.Repeat("h\x01h\x00S'latin1'\n\x86R0", 10000) + "."
	deep := "}(S'a'\nK\x01uS'k'\n" + strings.Repeat("]", n) + strings.Repeat("a", n-1) + "s."
	for _, tc := range []struct {
		name, frame string
		err         error
		want        map[string]any
	}{
		{"top is an object", "cos\nsystem\n(S'echo pwned'\ntR.", ErrNotDict, map[string]any{}},
		{"top is an int", "K\x01.", ErrNotDict, map[string]any{}},
		{"top is a list", "(lp0\nS'pwned'\na.", ErrNotDict, map[string]any{}},
		{"empty", "", ErrTruncated, map[string]any{}},
		{"no STOP", "}", ErrTruncated, map[string]any{}},
		{"bytes after STOP", "}S'k'\nK\x01s.pwned", ErrMalformed, map[string]any{"k": int64(1)}},
		{"two pickles", "}.}.", ErrMalformed, map[string]any{}},
		{"unknown opcode", "}S'k'\nK\x01s\xff", ErrUnsupportedOpcode, map[string]any{"k": int64(1)}},
		{"protocol 6", "\x80\x06}.", ErrUnsupportedOpcode, map[string]any{}},
		{"NEXT_BUFFER", "\x80\x05}S'k'\n\x97s.", ErrBuffer, map[string]any{}},
		{"READONLY_BUFFER", "\x80\x05}S'k'\n\x98s.", ErrBuffer, map[string]any{}},
		{"memo out of range", "}S'k'\nh\x05s.", ErrMalformed, map[string]any{}},
		{"LONG_BINGET out of range", "}S'k'\nj\xff\xff\xff\xffs.", ErrMalformed, map[string]any{}},
		{"GET out of range", "(dS'k'\ng7\ns.", ErrMalformed, map[string]any{}},
		{"PUT negative", "(dS'k'\np-1\ns.", ErrMalformed, map[string]any{}},
		{"stack underflow", "}s.", ErrMalformed, map[string]any{}},
		{"pop below mark", "}(s.", ErrMalformed, map[string]any{}},
		{"mark missing", "}S'k'\nK\x01u.", ErrMalformed, map[string]any{"k": int64(1)}}, // salvaged pair
		{"odd SETITEMS", "}(S'k'\nu.", ErrMalformed, map[string]any{}},
		{"APPEND to a dict", "}K\x01a.", ErrMalformed, map[string]any{}},
		{"SETITEM on a list", "]K\x01K\x02s.", ErrMalformed, map[string]any{}},
		{"REDUCE on data", "}S'k'\nK\x01)Rs.", ErrMalformed, map[string]any{}},
		{"bad STRING quote", "}S'k'\nS'pwned\ns.", ErrMalformed, map[string]any{}},
		{"bad STRING escape", "}S'k'\nS'pwned\\x4'\ns.", ErrMalformed, map[string]any{}},
		{"bad UNICODE escape", "}S'k'\nVpwned\\u12\ns.", ErrMalformed, map[string]any{}},
		{"UNICODE beyond U+10FFFF", "}S'k'\nV\\U00110000\ns.", ErrMalformed, map[string]any{}},
		{"bad INT", "}S'k'\nIpwned\ns.", ErrMalformed, map[string]any{}},
		{"bad FLOAT", "}S'k'\nFpwned\ns.", ErrMalformed, map[string]any{}},
		{"BINUNICODE8 huge", "}S'k'\n\x8d\xff\xff\xff\xff\xff\xff\xff\x7fpwned", ErrTruncated, map[string]any{}},
		{"BINBYTES8 huge", "}S'k'\n\x8e\xff\xff\xff\xff\xff\xff\xff\xffpwned", ErrTruncated, map[string]any{}},
		{"BYTEARRAY8 huge", "}S'k'\n\x96\x00\x00\x00\x00\x00\x00\x00\x01pwned", ErrTruncated, map[string]any{}},
		{"BINUNICODE huge", "}S'k'\nX\xff\xff\xff\xffpwned", ErrTruncated, map[string]any{}},
		{"BINBYTES huge", "}S'k'\nB\xff\xff\xff\x7fpwned", ErrTruncated, map[string]any{}},
		{"BINSTRING huge", "}S'k'\nT\xff\xff\xff\x7fpwned", ErrTruncated, map[string]any{}},
		{"BINSTRING negative", "}S'k'\nT\xff\xff\xff\xffpwned", ErrMalformed, map[string]any{}},
		{"LONG4 huge", "}S'k'\n\x8b\xff\xff\xff\x7fpwned", ErrTruncated, map[string]any{}},
		{"LONG4 too long to print", "}S'k'\n\x8b\x00\x00\x01\x00" + strings.Repeat("\x01", 1<<16) + "s.", ErrTooLarge, map[string]any{}},
		{"FRAME huge", "\x80\x04\x95\xff\xff\xff\xff\xff\xff\xff\xff}S'k'\nK\x01s", ErrTruncated, map[string]any{"k": int64(1)}},
		{"deep nesting", deep, ErrTooDeep, map[string]any{"a": int64(1)}},
		{"self-referencing list", "}(S'a'\nK\x01uS'k'\n]q\x00h\x00as.", ErrTooDeep, map[string]any{"a": int64(1)}},
		{"memo bomb", memoBomb, ErrTooLarge, map[string]any{"a": int64(1)}},
		{"string bomb", stringBomb, ErrTooLarge, map[string]any{"a": int64(1)}},
		{"keys sharing a huge value", keysBomb.String(), ErrTooLarge, nil},
		{"STACK_GLOBAL of a huge str, again and again", globalBomb, ErrTooLarge, map[string]any{"a": int64(1)}},
		{"_codecs.encode of a huge str, again and again", codecsBomb, ErrTooLarge, map[string]any{"a": int64(1)}},
		{"APPENDS below its mark", "(]e.", ErrMalformed, map[string]any{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d Decoder
			frame := []byte(tc.frame)
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			dst, _, err := decodeReused(t, &d, frame)
			assert.Less(t, time.Since(start), 5*time.Second)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.err)
			if tc.want != nil {
				assert.Equal(t, tc.want, dst.AsRaw())
			} else {
				// Some of the keys: those converted before the budget ran out.
				assert.Equal(t, int64(1), dst.AsRaw()["a"])
				assert.Less(t, dst.Len(), 100)
			}
			// Two decodes of the real frame included: a hostile length
			// must not have been allocated.
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<20), "allocated %d bytes", after.TotalAlloc-before.TotalAlloc)
			if len(frame) > 0 && !errors.Is(err, ErrNotDict) && !errors.Is(err, ErrTooDeep) && !errors.Is(err, ErrTooLarge) {
				var e *Error
				require.ErrorAs(t, err, &e)
			}
		})
	}
}

// TestHugeMemoIndex: LONG_BINPUT 4294967295 works and costs one entry.
func TestHugeMemoIndex(t *testing.T) {
	var d Decoder
	frame := []byte("}S'k'\nK\x07r\xff\xff\xff\xff0j\xff\xff\xff\xffs.")
	dst := pcommon.NewMap()
	_, err := d.DecodeDict(frame, dst)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"k": int64(7)}, dst.AsRaw())
	assert.Zero(t, len(d.memo.dense), "dense memo slots")
	assert.Len(t, d.memo.sparse, 1)

	// An index past the next one, not huge: still one entry, not 4 M
	// slots (100 MB of them).
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = d.DecodeDict([]byte("}S'k'\nK\x07r\x00\x00\x40\x00s."), pcommon.NewMap())
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8<<20))
	assert.Zero(t, len(d.memo.dense), "dense memo slots")

	// Many distinct huge indices: the memo grows by an entry per opcode.
	var b bytes.Buffer
	b.WriteString("}S'k'\nK\x07")
	for i := range 10000 {
		b.Write([]byte{'r', byte(i), byte(i >> 8), 0xff, 0xff})
	}
	b.WriteString("s.")
	runtime.ReadMemStats(&before)
	_, err = d.DecodeDict(b.Bytes(), pcommon.NewMap())
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8<<20))
}

// TestErrorText checks the message names the opcode and offset, and nothing
// of the data.
func TestErrorText(t *testing.T) {
	var d Decoder
	_, err := d.DecodeDict([]byte("}S'pwned'\n\xff"), pcommon.NewMap())
	require.ErrorIs(t, err, ErrUnsupportedOpcode)
	assert.Equal(t, "pickle: unsupported opcode (opcode 0xff at offset 10)", err.Error())
}

// TestTruncatedEveryOffset cuts real frames at every byte: the error is
// ErrTruncated, the keys salvaged have the values the whole frame gives,
// they only grow as the cut moves on, and a frame missing only its STOP
// keeps every key.
func TestTruncatedEveryOffset(t *testing.T) {
	var d Decoder
	for name := range readFixtures(t, "testdata/frames") {
		for proto := range 6 {
			if name == "extra" && (testing.Short() || (proto != 1 && proto != 4)) {
				continue
			}
			frame := readFrame(t, "testdata/frames", name, proto)
			whole := pcommon.NewMap()
			_, err := d.DecodeDict(frame, whole)
			require.NoError(t, err)
			wholeRaw := whole.AsRaw()
			var wholeKeys []string
			for k := range whole.All() {
				wholeKeys = append(wholeKeys, k)
			}
			prev := 0
			for cut := range len(frame) {
				dst := pcommon.NewMap()
				_, err := d.DecodeDict(frame[:cut], dst)
				require.ErrorIs(t, err, ErrTruncated, "%s p%d cut at %d", name, proto, cut)
				got := dst.AsRaw()
				for k, v := range got {
					require.Equal(t, wholeRaw[k], v, "%s p%d cut at %d key %q", name, proto, cut, k)
				}
				if proto <= 1 {
					// The fields before the cut, in order.
					keys := []string{}
					for k := range dst.All() {
						keys = append(keys, k)
					}
					require.Equal(t, wholeKeys[:len(keys)], keys, "%s p%d cut at %d", name, proto, cut)
					// From protocol 2 a TUPLE2/3 shrinks the stack, which
					// makes the last pairs uncertain again (salvage.go).
					require.GreaterOrEqual(t, len(got), prev, "%s p%d cut at %d lost keys", name, proto, cut)
				}
				prev = len(got)
			}
			require.Equal(t, len(wholeRaw), prev, "%s p%d: a frame without its STOP lost keys", name, proto)
		}
	}
}
