package redact // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"

import (
	"slices"
	"strings"
)

// assignment: key=value, key: value, "key": "value", key="value",
// ?key=value&…, --key value, where key is a blocked key name (the key rule)
// around the anchor s[i:i+n]. Only the value is redacted. An unquoted
// `key: value` is taken for an assignment only when the value looks like a
// secret, ends its line, or the key is header-like (X-Api-Key: …): "Invalid
// token: expired, retrying" stays. Values null, None, nil, true and false
// are not secrets.
func (sc *scanner) assignment(s string, i, n int) {
	ks := i
	for ks > sc.done[detAssign] && keyChar(s[ks-1]) {
		ks--
	}
	ke := i + n
	for ke < len(s) && keyChar(s[ke]) {
		ke++
	}
	// Another word of this key, or a key inside this value, is not looked
	// at again.
	sc.done[detAssign] = ke
	if ks >= 3 && s[ks-3:ks] == "://" {
		return // userinfo of a URL: the URL detector redacts its password
	}
	key := s[ks:ke]
	var entry keyEntry
	var blocked bool
	entry, blocked, sc.words = sc.r.keys.blocked(key, sc.words)
	if !blocked {
		return
	}
	op, ok := parseOperator(s, ks, ke, strings.HasPrefix(key, "--"))
	if !ok {
		return
	}
	v, ok := parseValue(s, op.end, slices.Contains(entry.words, "cookie"))
	if !ok {
		return
	}
	kind := sc.credentialKind(s, &v)
	if value := s[v.start:v.end]; value == "" || nonSecretWord(value) {
		return
	}
	if op.colon && !op.quotedKey && !v.quoted && kind != kindAuthorization && proseColon(s, key, entry, v) {
		return
	}
	if kind == kindAssignment && containsFold(key, "aws") && containsFold(key, "secret") {
		kind = kindAWSSecret
	}
	sc.add(v.start, v.end, kind)
	sc.done[detAssign] = max(v.end, ke)
}

// operator is what separates an assignment's key from its value.
type operator struct {
	end       int  // where the value starts, blanks skipped
	colon     bool // a plain `:`, ambiguous in prose
	quotedKey bool // "key": …
}

// parseOperator reads the operator after the key s[ks:ke]: = or := or :,
// or for a command-line flag (cli) blanks. `==`, `=~`, `::` and `:/` are
// not assignments.
func parseOperator(s string, ks, ke int, cli bool) (operator, bool) {
	var op operator
	j := ke
	if ks > 0 && (s[ks-1] == '"' || s[ks-1] == '\'') {
		j, op.quotedKey = closeQuotedKey(s, ke, s[ks-1])
	}
	blank := j
	j = skipBlanks(s, j)
	switch {
	case j < len(s) && s[j] == '=':
		if j+1 < len(s) && (s[j+1] == '=' || s[j+1] == '~') {
			return op, false // a comparison
		}
		j++
	case j < len(s) && s[j] == ':':
		switch {
		case j+1 < len(s) && s[j+1] == '=':
			j += 2
		case j+1 < len(s) && (s[j+1] == ':' || s[j+1] == '/'):
			return op, false
		default:
			j++
			op.colon = true
		}
	case cli && j > blank && j < len(s) && s[j] != '-':
	default:
		return op, false
	}
	op.end = skipBlanks(s, j)
	return op, true
}

// closeQuotedKey returns where a key quoted with q ends, after its closing
// quote (plain or backslash-escaped) at s[ke], and whether there was one.
func closeQuotedKey(s string, ke int, q byte) (int, bool) {
	switch {
	case ke < len(s) && s[ke] == q:
		return ke + 1, true
	case ke+1 < len(s) && s[ke] == '\\' && s[ke+1] == q:
		return ke + 2, true
	}
	return ke, false
}

// assignedValue is an assignment's value, s[start:end].
type assignedValue struct {
	start, end int
	quoted     bool // a quoted string, object or array
}

// parseValue reads the value at s[j]: a quoted string (to its closing
// quote, or the end of s when cut; escaped quotes too), a JSON-like object
// or array (balanced; not when empty), or unquoted text up to valueStop. A
// cookie's value runs to the end of its line.
func parseValue(s string, j int, cookie bool) (assignedValue, bool) {
	if j >= len(s) {
		return assignedValue{}, false
	}
	v := assignedValue{start: j, end: j, quoted: true}
	switch c := s[j]; {
	case c == '\\' && j+1 < len(s) && (s[j+1] == '"' || s[j+1] == '\''):
		v.start = j + 2
		v.end = len(s)
		if e := strings.Index(s[v.start:], s[j:j+2]); e >= 0 {
			v.end = v.start + e
		}
	case c == '"' || c == '\'':
		v.start = j + 1
		v.end = closingQuote(s, v.start, c)
	case c == '{' || c == '[':
		v.end = balancedEnd(s, j)
		if strings.TrimSpace(strings.Trim(s[v.start:v.end], "{}[]")) == "" {
			return v, false
		}
	default:
		v.quoted = false
		stop := valueStop
		if cookie {
			stop = lineStop
		}
		for v.end < len(s) && !stop(s[v.end]) {
			v.end++
		}
	}
	return v, true
}

// credentialKind narrows a value that starts with an authorization scheme
// word to its credentials (Authorization: Bearer …), and returns the kind
// to count the value under.
func (sc *scanner) credentialKind(s string, v *assignedValue) int {
	kind := kindAssignment
	if v.quoted {
		if p := schemePrefix(s[v.start:v.end]); p > 0 {
			v.start += p
			kind = kindAuthorization
		}
	} else if schemeWord(s[v.start:v.end]) && v.end < len(s) && isBlank(s[v.end]) {
		c := skipBlanks(s, v.end)
		e := c
		for e < len(s) && !valueStop(s[e]) {
			e++
		}
		if e > c {
			v.start, v.end, kind = c, e, kindAuthorization
		}
	}
	if kind == kindAuthorization && sc.r.disabled[kindAuthorization] {
		kind = kindAssignment // the key is still blocked
	}
	return kind
}

// proseColon reports whether an unquoted `key: value` reads as prose
// rather than an assignment: a prose key word, or a plain word that
// neither ends its line nor follows a header-like key.
func proseColon(s, key string, entry keyEntry, v assignedValue) bool {
	if entry.prose {
		return true
	}
	return !secretLooking(s[v.start:v.end]) && !endsLine(s, v.end) && !headerLike(key)
}

func nonSecretWord(v string) bool {
	switch len(v) {
	case 3, 4, 5:
		return equalFold(v, "null") || equalFold(v, "none") || equalFold(v, "nil") ||
			equalFold(v, "true") || equalFold(v, "false")
	}
	return false
}

// valueStop ends an unquoted value in free text.
func valueStop(b byte) bool {
	switch b {
	case '&', ',', ';', '"', '\'', ')', '}', ']', '>', '<', '|', '\\', '`':
		return true
	}
	return isSpace(b)
}

// lineStop ends an unquoted cookie header value: it holds ; and spaces.
func lineStop(b byte) bool {
	return b == '\r' || b == '\n' || b == '"' || b == '\'' || b == '\\'
}

// closingQuote returns the index of the quote q closing a value that
// starts at i (backslash escapes skipped), or len(s) when it is cut.
func closingQuote(s string, i int, q byte) int {
	for k := i; k < len(s); k++ {
		switch s[k] {
		case '\\':
			k++
		case q:
			return k
		}
	}
	return len(s)
}

// balancedEnd returns the end of the JSON-like object or array at s[i]
// (strings skipped), or len(s) when it is cut.
func balancedEnd(s string, i int) int {
	depth := 0
	for k := i; k < len(s); k++ {
		switch s[k] {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return k + 1
			}
		case '"':
			k = closingQuote(s, k+1, '"')
		}
	}
	return len(s)
}

// secretLooking: not a plain word of prose. A digit, a symbol, a capital
// after the first letter, or 16 characters or more.
func secretLooking(v string) bool {
	v = strings.TrimRight(v, ".!?:")
	if len(v) >= 16 {
		return true
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z':
		case c >= 'A' && c <= 'Z':
			if i > 0 {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// endsLine: only blanks between s[i] and the end of the line or string.
func endsLine(s string, i int) bool {
	i = skipBlanks(s, i)
	return i == len(s) || s[i] == '\n' || s[i] == '\r' || strings.HasPrefix(s[i:], `\n`)
}

// headerLike: an HTTP-header-like key, X-Api-Key.
func headerLike(key string) bool {
	k := strings.TrimLeft(key, "-")
	return strings.IndexByte(k, '-') > 0
}
