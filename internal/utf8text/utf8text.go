// Package utf8text holds the two things every component does to text it did
// not write: cut it to a byte limit without splitting a character, and
// replace invalid UTF-8, which pdata refuses to marshal.
package utf8text // import "github.com/AllenNeuralDynamics/otelcol-aind/internal/utf8text"

import (
	"strings"
	"unicode/utf8"
)

// Cut returns the longest prefix of s of at most n bytes that does not end
// inside a UTF-8 sequence. Invalid bytes are kept: Repair replaces them, and
// a cut must not change what it keeps.
func Cut[T ~string | ~[]byte](s T, n int) T {
	if len(s) <= n {
		return s
	}
	s = s[:max(n, 0)]
	for i := 1; i < utf8.UTFMax && i <= len(s); i++ {
		start := len(s) - i
		if utf8.RuneStart(s[start]) {
			if !utf8.FullRuneInString(string(s[start:])) {
				return s[:start]
			}
			return s
		}
	}
	return s
}

// Repair replaces each run of invalid bytes with U+FFFD. Valid text, nearly
// all of it, is returned as it is, without a copy.
func Repair(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, string(utf8.RuneError))
}
