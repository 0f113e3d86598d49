package redact // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"

// Authorization schemes: the credentials after a scheme word, in free text
// (Bearer …, Basic …) and as the value of an assignment (Authorization:
// Bearer …, see credentialKind).

// authSchemes are the scheme words an assignment's value may start with.
var authSchemes = []string{"bearer", "basic", "digest", "token", "negotiate", "ntlm", "apikey", "aws4-hmac-sha256"}

// authScheme: the credentials after a Bearer or Basic scheme word of n
// bytes at s[i], when they look generated (see randomLooking): "Basic
// statistics" stays.
func (sc *scanner) authScheme(s string, i, n int) {
	if !tokenStart(s, i) {
		return
	}
	j := i + n
	if j >= len(s) || !isBlank(s[j]) {
		return
	}
	j = skipBlanks(s, j)
	e := j
	for e < len(s) && token68Char(s[e]) {
		e++
	}
	for e < len(s) && s[e] == '=' {
		e++
	}
	if e-j >= 8 && randomLooking(s[j:e]) {
		sc.add(j, e, kindAuthorization)
	}
}

// token68Char: a character of RFC 9110's token68, the credentials' syntax
// (its = padding aside).
func token68Char(b byte) bool {
	return alnum(b) || b == '-' || b == '.' || b == '_' || b == '~' || b == '+' || b == '/'
}

// randomLooking: a digit, = padding, + or /, or at least two capitals and
// two lower-case letters.
func randomLooking(v string) bool {
	upper, lower := 0, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case digit(c), c == '=', c == '+', c == '/':
			return true
		case c >= 'A' && c <= 'Z':
			upper++
		case c >= 'a' && c <= 'z':
			lower++
		}
	}
	return upper >= 2 && lower >= 2
}

// schemePrefix returns the length of an authorization scheme word and the
// blanks after it at the start of v, or 0.
func schemePrefix(v string) int {
	for _, w := range authSchemes {
		if len(v) > len(w) && equalFold(v[:len(w)], w) && isBlank(v[len(w)]) {
			return skipBlanks(v, len(w))
		}
	}
	return 0
}

// schemeWord reports whether v is an authorization scheme word.
func schemeWord(v string) bool {
	for _, w := range authSchemes {
		if equalFold(v, w) {
			return true
		}
	}
	return false
}
