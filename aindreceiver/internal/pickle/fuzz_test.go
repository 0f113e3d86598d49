package pickle

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

var sentinels = []error{ErrTruncated, ErrUnsupportedOpcode, ErrMalformed, ErrNotDict, ErrTooDeep, ErrTooLarge, ErrBuffer}

// errorShape is every message the package can make: a sentinel's text,
// optionally the opcode byte and offset. Nothing else can be in it.
var errorShape = func() *regexp.Regexp {
	var alts []string
	for _, e := range sentinels {
		alts = append(alts, regexp.QuoteMeta(e.Error()))
	}
	return regexp.MustCompile(`^(` + strings.Join(alts, "|") + `)( \((opcode 0x[0-9a-f]{2} )?at offset [0-9]+\))?$`)
}()

// numbers are the opcode's hex and the offset in a message.
var numbers = regexp.MustCompile(`0x[0-9a-f]{2}|[0-9]+\)`)

// fixedText is the text of the messages that does not come from the frame.
var fixedText = func() string {
	var b strings.Builder
	for _, e := range sentinels {
		b.WriteString(e.Error() + "\x00")
	}
	b.WriteString(" (opcode 0x#  at offset #) (at offset #)")
	return b.String()
}()

func FuzzDecodeDict(f *testing.F) {
	paths, err := filepath.Glob("testdata/frames/*.pickle")
	if err != nil || len(paths) == 0 {
		f.Fatal("no fixtures")
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) < 4096 {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"cos\nsystem\n(S'echo pwned'\ntR.",
		"(dS'cmd'\ncos\nsystem\n(S'echo pwned'\ntRs.",
		"\x80\x04}\x8c\x03cmd\x8c\x02os\x8c\x06system\x93\x8c\x0aecho pwned\x85Rs.",
		"(dS'cmd'\n(S'echo pwned'\nios\nsystem\ns.",
		"(dS'cmd'\n(cos\nsystem\nS'echo pwned'\nos.",
		"\x80\x04}\x8c\x01kccollections\nOrderedDict\n)}\x92s.",
		"}S'k'\ncfoo\nBar\n)R}S'x'\nS'y'\nsbs.",
		"}S'k'\nPpwned\ns.", "}S'k'\nS'pwned'\nQs.", "}(S'a'\n\x82\x01S'b'\n\x83\x01\x00u.",
		"}(S'a'\nK\x01uS'k'\n]q\x00h\x00as.",
		"}S'k'\nK\x07r\xff\xff\xff\xff0j\xff\xff\xff\xffs.",
		"}S'k'\n\x8d\xff\xff\xff\xff\xff\xff\xff\x7fpwned",
		"}S'k'\n\x8b\xff\xff\xff\x7fpwned",
		"}S'k'\nh\x05s.", "}S'k'\nK\x01s.pwned", "",
		"(dS'v'\nV\\u00b5m \\ud800\nS'w'\nS'\\x41\\101'\nL99999999999999999999999L\ns.",
		"\x80\x05\x95\x10\x00\x00\x00\x00\x00\x00\x00}\x8c\x01k\x97s.",
	} {
		f.Add([]byte(s))
	}
	real, err := os.ReadFile("testdata/frames/basic.p1.pickle")
	if err != nil {
		f.Fatal(err)
	}
	want := pcommon.NewMap()
	if _, err := new(Decoder).DecodeDict(real, want); err != nil {
		f.Fatal(err)
	}
	var d Decoder // one for the whole run: every input tests reuse too
	f.Fuzz(func(t *testing.T, data []byte) {
		in := append([]byte(nil), data...)
		dst := pcommon.NewMap()
		rep, err := d.DecodeDict(data, dst)
		if string(in) != string(data) {
			t.Fatal("the decoder modified its input")
		}
		if rep.Objects < 0 {
			t.Fatal("negative object count")
		}
		if err != nil {
			typed := false
			for _, s := range sentinels {
				typed = typed || errors.Is(err, s)
			}
			if !typed {
				t.Fatalf("untyped error %v", err)
			}
			msg := err.Error()
			if !errorShape.MatchString(msg) {
				t.Fatalf("unexpected error text %q", msg)
			}
			// The opcode byte and the offset are the only variable parts
			// (numbers the brief allows): masked, the rest must not
			// quote the input.
			masked := numbers.ReplaceAllString(msg, "#")
			for i := 0; i+4 <= len(masked); i++ {
				if w := masked[i : i+4]; !strings.Contains(w, "#") && strings.Contains(string(data), w) && !strings.Contains(fixedText, w) {
					t.Fatalf("error text %q quotes the input (%q)", msg, w)
				}
			}
			if errors.Is(err, ErrNotDict) && dst.Len() != 0 {
				t.Fatal("ErrNotDict with a non-empty map")
			}
		}
		checkUTF8(t, pcommon.NewValueMap(), dst)

		got := pcommon.NewMap()
		if _, err := d.DecodeDict(real, got); err != nil || !got.Equal(want) {
			t.Fatalf("the decoder is not reusable: %v", err)
		}
	})
}

// checkUTF8 fails if a key or string in m is not valid UTF-8.
func checkUTF8(t *testing.T, _ pcommon.Value, m pcommon.Map) {
	for k, v := range m.All() {
		if !utf8.ValidString(k) {
			t.Fatalf("invalid UTF-8 key %q", k)
		}
		checkValueUTF8(t, v)
	}
}

func checkValueUTF8(t *testing.T, v pcommon.Value) {
	switch v.Type() {
	case pcommon.ValueTypeStr:
		if !utf8.ValidString(v.Str()) {
			t.Fatalf("invalid UTF-8 value %q", v.Str())
		}
	case pcommon.ValueTypeMap:
		checkUTF8(t, v, v.Map())
	case pcommon.ValueTypeSlice:
		for i := range v.Slice().Len() {
			checkValueUTF8(t, v.Slice().At(i))
		}
	}
}
