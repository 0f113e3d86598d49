package redact // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"

// Byte classes and ASCII case folding. The scanners work on bytes, not
// runes: every anchor and delimiter they look for is ASCII and no byte of a
// multi-byte rune is ASCII, so a span they find never cuts a rune.

func lowerByte(b byte) byte {
	if b >= 'A' && b <= 'Z' {
		return b + ('a' - 'A')
	}
	return b
}

// toLower lower-cases the ASCII letters of s.
func toLower(s string) string {
	b := []byte(s)
	for i := range b {
		b[i] = lowerByte(b[i])
	}
	return string(b)
}

// equalFold reports whether s equals want, which is lower-case ASCII.
func equalFold(s, want string) bool {
	if len(s) != len(want) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if lowerByte(s[i]) != want[i] {
			return false
		}
	}
	return true
}

func hasSuffixFold(s, want string) bool {
	return len(s) >= len(want) && equalFold(s[len(s)-len(want):], want)
}

func containsFold(s, want string) bool {
	for i := 0; i+len(want) <= len(s); i++ {
		if equalFold(s[i:i+len(want)], want) {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func letter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
func digit(b byte) bool  { return b >= '0' && b <= '9' }
func alnum(b byte) bool  { return letter(b) || digit(b) }

func wordChar(b byte) bool      { return alnum(b) || b == '_' }
func base64URLChar(b byte) bool { return alnum(b) || b == '_' || b == '-' }
func keyChar(b byte) bool       { return alnum(b) || b == '_' || b == '-' || b == '.' }

func isBlank(b byte) bool { return b == ' ' || b == '\t' }
func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v'
}

// skipBlanks returns the index of the first byte at or after i that is not
// a space or a tab.
func skipBlanks(s string, i int) int {
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	return i
}

// tokenStart reports whether s[i] starts a token: not preceded by a letter
// or digit.
func tokenStart(s string, i int) bool { return i == 0 || !alnum(s[i-1]) }
