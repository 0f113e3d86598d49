package redact // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"

import "strings"

// urlFallbackWindow bounds the search for the @ of a password holding an
// unencoded /, ? or #.
const urlFallbackWindow = 256

// urlCredentials: the password of scheme://user:password@host, at the
// anchor :// in s[i:]. The user, the host and the rest of the URL stay
// readable.
func (sc *scanner) urlCredentials(s string, i int) {
	if !schemeBefore(s, i) {
		return
	}
	a := i + len("://")
	ue, fallback := userinfoEnd(s, a)
	if ue < 0 {
		return
	}
	colon := userColon(s, a, ue)
	if colon < 0 {
		return
	}
	ps := colon + 1
	if fallback && (strings.ContainsAny(s[a:ps], "/?#") || portLike(s[ps:ue])) {
		return
	}
	sc.add(ps, ue, kindURLCredentials)
}

// schemeBefore reports whether a URL scheme (a letter, then letters,
// digits, + - or .) ends at s[i].
func schemeBefore(s string, i int) bool {
	ss := i
	for ss > 0 && schemeChar(s[ss-1]) {
		ss--
	}
	for ss < i && !letter(s[ss]) {
		ss++
	}
	return ss < i
}

// userinfoEnd returns the index of the @ that ends the userinfo of the
// authority starting at s[a], or -1. The last @ of the authority wins. A
// password with an unencoded / ? or # ends the authority early: then the
// userinfo ends at the last @ of the authority that follows the first @
// (so redacting twice gives the same result), and fallback is true.
func userinfoEnd(s string, a int) (ue int, fallback bool) {
	ae := a
	for ae < len(s) && !urlStop(s[ae]) && !pathStart(s[ae]) {
		ae++
	}
	if at := strings.LastIndexByte(s[a:ae], '@'); at >= 0 {
		return a + at, false
	}
	te := ae // the fallback looks a bounded way past the authority
	for te < len(s) && te < ae+urlFallbackWindow && !urlStop(s[te]) {
		te++
	}
	first := strings.IndexByte(s[a:te], '@')
	if first < 0 {
		return -1, false
	}
	he := a + first
	for he < te && !pathStart(s[he]) {
		he++
	}
	return a + strings.LastIndexByte(s[a:he], '@'), true
}

// userColon returns the index of the : that ends the user in the userinfo
// s[a:e], or -1. A marker is opaque: the : of a hash marker that replaced
// something in the userinfo must not turn it into user:password.
func userColon(s string, a, e int) int {
	for k := a; k < e; k++ {
		switch s[k] {
		case ':':
			return k
		case '[':
			if n := markerAt(s, k); n > 0 {
				k += n - 1
			}
		}
	}
	return -1
}

func schemeChar(b byte) bool { return alnum(b) || b == '+' || b == '-' || b == '.' }

// pathStart: the byte ends a URL's authority.
func pathStart(b byte) bool { return b == '/' || b == '?' || b == '#' }

// urlStop: the byte ends a URL in text.
func urlStop(b byte) bool {
	return isSpace(b) || b == '"' || b == '\'' || b == '<' || b == '>' || b == '`' || b == '\\'
}

// portLike: digits, then the end or a slash (host:8080/path?mail=a@b).
func portLike(s string) bool {
	j := 0
	for j < len(s) && digit(s[j]) {
		j++
	}
	return j > 0 && (j == len(s) || pathStart(s[j]))
}
