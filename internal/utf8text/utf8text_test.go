package utf8text

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestCut(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abc", 3, "abc"},
		{"abc", 2, "ab"},
		{"abc", 0, ""},
		{"aé", 2, "a"},              // é is 2 bytes: not split
		{"aé", 3, "aé"},             // ends on the boundary
		{"a€b", 3, "a"},             // € is 3 bytes
		{"a€b", 4, "a€"},            // after it
		{"a😀", 4, "a"},              // 4-byte rune cut after 3
		{"ab\xff\xfe", 3, "ab\xff"}, // invalid bytes are kept
		{"a\x80\x80\x80\x80", 4, "a\x80\x80\x80"},
	} {
		assert.Equal(t, tc.want, Cut(tc.in, tc.n), "Cut(%q, %d)", tc.in, tc.n)
		assert.Equal(t, tc.want, string(Cut([]byte(tc.in), tc.n)), "Cut([]byte(%q), %d)", tc.in, tc.n)
	}
}

func TestRepair(t *testing.T) {
	assert.Equal(t, "ok é", Repair("ok é"))
	assert.Equal(t, "a\uFFFDb", Repair("a\xff\xfeb"))
}

// FuzzCut holds Cut to its contract: a prefix, within the limit, never
// shorter than needed, and valid text stays valid.
func FuzzCut(f *testing.F) {
	for _, s := range []string{"", "aé€😀", "\xff\x80", "abc"} {
		f.Add(s, 2)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 {
			n = -n
		}
		got := Cut(s, n)
		if len(got) > n && len(got) != len(s) || len(got) > len(s) || s[:len(got)] != got {
			t.Fatalf("Cut(%q, %d) = %q: not a prefix within the limit", s, n, got)
		}
		if len(s) > n && n-len(got) >= utf8.UTFMax {
			t.Fatalf("Cut(%q, %d) = %q: cut more than one character", s, n, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Cut(%q, %d) = %q: split a character", s, n, got)
		}
	})
}
