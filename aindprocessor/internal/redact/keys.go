package redact // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"

import (
	"slices"
	"sort"
	"strings"
)

// The key rule: which key names hold a secret.
//
// A key and every blocked entry are split into lower-case words: at every
// character that is not a letter or digit, at lower→Upper (dbPassword), at
// the last capital of a run before a lower-case letter (APIKey → api key)
// and between letters and digits (password2 → password 2). A key is blocked
// when the entry's words appear in it consecutively; the entry's first word
// may also end a longer key word when it is at least 5 letters long
// (csrftoken, dbpassword, mysqlPassword), never when shorter (pwd, auth and
// api must be whole words: author and rapid are not blocked). A key whose
// last word follows the match and is a descriptive word (id, name, count,
// type, path, file, enabled, …) describes a secret rather than holding one
// and is not blocked: token_count, session_id, private_key_path,
// secret_name, auth_method. Plurals are distinct words: tokens and
// max_tokens are not blocked (list them to block them).
//
// So db_password, dbPassword, DB-PASSWORD, X-Auth-Token, github_token,
// aws_secret_access_key, client_secret, refresh_token, csrftoken and
// APIKey are blocked; author, tokenizer_name, token_count, n_tokens,
// session_id and secret_name are not.

// defaultBlockedKeys is the built-in blocked key list.
var defaultBlockedKeys = []string{
	"password", "passwd", "pwd", "secret", "token", "api_key", "apikey",
	"access_key", "authorization", "auth", "cookie", "set-cookie",
	"credentials", "credential", "private_key", "client_secret", "session",
}

// defaultAllowedKeys are keys of AIND's own software that the blocked list
// would take for secrets: mpetk's log_session names a logging session, the
// key its records are correlated by. Like allowed_keys, they are only
// exempt from the key rule: their values are still scanned.
var defaultAllowedKeys = []string{"log_session"}

// proseKeys are blocked entries that are ordinary words of AIND prose
// ("Failed to save session: could not connect"): in free text an unquoted
// `session: value` is not taken for an assignment; `session=value` and
// `"session": "value"` are.
var proseKeys = map[string]bool{"session": true, "auth": true}

// descriptiveWords end keys that describe a secret instead of holding it.
var descriptiveWords = map[string]bool{
	"id": true, "ids": true, "name": true, "names": true, "count": true, "counts": true,
	"num": true, "number": true, "index": true, "idx": true, "len": true, "length": true,
	"size": true, "type": true, "types": true, "kind": true, "path": true, "paths": true,
	"file": true, "files": true, "filename": true, "dir": true, "directory": true,
	"enabled": true, "disabled": true, "required": true, "set": true, "present": true,
	"provided": true, "valid": true, "expired": true, "expiry": true, "expires": true,
	"expiration": true, "ttl": true, "age": true, "at": true, "time": true, "timeout": true,
	"date": true, "start": true, "end": true, "duration": true, "version": true,
	"policy": true, "method": true, "mode": true, "source": true, "provider": true,
	"url": true, "uri": true, "endpoint": true, "env": true, "var": true, "field": true,
	"label": true, "hint": true, "format": true, "scheme": true, "algorithm": true,
	"alg": true, "status": true, "error": true, "ref": true, "arn": true,
}

// word is one word of a key: key[start:end], compared lower-cased.
type word struct{ start, end int32 }

type charClass uint8

const (
	classOther charClass = iota
	classLower
	classUpper
	classDigit
)

func classOf(b byte) charClass {
	switch {
	case b >= 'a' && b <= 'z', b >= 0x80: // non-ASCII bytes stay inside words
		return classLower
	case b >= 'A' && b <= 'Z':
		return classUpper
	case digit(b):
		return classDigit
	}
	return classOther
}

// splitKeyWords appends the words of key to buf.
func splitKeyWords(key string, buf []word) []word {
	start := -1
	prev := classOther
	for i := 0; i < len(key); i++ {
		c := classOf(key[i])
		switch {
		case c == classOther:
			if start >= 0 {
				buf = append(buf, word{int32(start), int32(i)})
				start = -1
			}
		case start < 0:
			start = i
		case prev == classLower && c == classUpper, // dbPassword
			(prev == classDigit) != (c == classDigit): // password2
			buf = append(buf, word{int32(start), int32(i)})
			start = i
		case prev == classUpper && c == classLower && i-1 > start: // APIKey: split before K
			buf = append(buf, word{int32(start), int32(i - 1)})
			start = i - 1
		}
		prev = c
	}
	if start >= 0 {
		buf = append(buf, word{int32(start), int32(len(key))})
	}
	return buf
}

// keyEntry is one blocked or allowed key name, as lower-case words.
type keyEntry struct {
	words []string
	prose bool // see proseKeys
}

// minSuffixWord is the shortest entry word that may end a longer key word.
const minSuffixWord = 5

func newKeyEntry(name string) keyEntry {
	spans := splitKeyWords(name, nil)
	e := keyEntry{words: make([]string, len(spans))}
	for i, w := range spans {
		e.words[i] = toLower(name[w.start:w.end])
	}
	e.prose = len(e.words) == 1 && proseKeys[e.words[0]]
	return e
}

// equals reports whether key, split into words, is exactly the entry.
func (e keyEntry) equals(key string, words []word) bool {
	if len(words) != len(e.words) {
		return false
	}
	for i, w := range words {
		if !equalFold(key[w.start:w.end], e.words[i]) {
			return false
		}
	}
	return true
}

// blocks reports whether the entry blocks key, split into words.
func (e keyEntry) blocks(key string, words []word) bool {
	m := len(e.words)
	for j := 0; j+m <= len(words); j++ {
		first := key[words[j].start:words[j].end]
		if !equalFold(first, e.words[0]) &&
			(len(e.words[0]) < minSuffixWord || !hasSuffixFold(first, e.words[0])) {
			continue
		}
		ok := true
		for t := 1; t < m && ok; t++ {
			ok = equalFold(key[words[j+t].start:words[j+t].end], e.words[t])
		}
		if !ok {
			continue
		}
		if j+m == len(words) {
			return true
		}
		last := words[len(words)-1]
		if !descriptive(key[last.start:last.end]) {
			return true
		}
	}
	return false
}

func descriptive(w string) bool {
	if len(w) > 12 {
		return false
	}
	var buf [12]byte
	for i := 0; i < len(w); i++ {
		buf[i] = lowerByte(w[i])
	}
	return descriptiveWords[string(buf[:len(w)])] // no allocation: map lookup of a converted slice
}

// keyRule decides whether a key holds a secret.
type keyRule struct {
	blockList []keyEntry
	allowed   []keyEntry
	// anchors are lower-case literals, one of which every blocked key
	// contains (case-insensitively): keys without one cost a scan only.
	anchors anchorSet
}

func newKeyRule(blockedExtra, allowed []string) *keyRule {
	r := &keyRule{}
	for _, a := range append(append([]string(nil), defaultAllowedKeys...), allowed...) {
		if e := newKeyEntry(a); len(e.words) > 0 {
			r.allowed = append(r.allowed, e)
		}
	}
	seen := map[string]bool{}
	for _, name := range append(append([]string(nil), defaultBlockedKeys...), blockedExtra...) {
		e := newKeyEntry(name)
		id := strings.Join(e.words, " ")
		if len(e.words) == 0 || seen[id] {
			continue
		}
		seen[id] = true
		if !slices.ContainsFunc(r.allowed, func(a keyEntry) bool { return slices.Equal(a.words, e.words) }) {
			r.blockList = append(r.blockList, e)
		}
	}
	var lits []anchorLit
	for _, lit := range keyAnchors(r.blockList) {
		lits = append(lits, anchorLit{lit: lit, fold: true})
	}
	r.anchors = newAnchorSet(lits)
	return r
}

// keyAnchors picks, for every entry, a word that any key it blocks must
// contain: the longest one, unless the entry already contains a chosen
// anchor.
func keyAnchors(entries []keyEntry) []string {
	order := slices.Clone(entries)
	sort.SliceStable(order, func(i, j int) bool { return len(order[i].words) < len(order[j].words) })
	var anchors []string
	for _, e := range order {
		covered := slices.ContainsFunc(e.words, func(w string) bool {
			return slices.ContainsFunc(anchors, func(a string) bool { return strings.Contains(w, a) })
		})
		if covered {
			continue
		}
		longest := e.words[0]
		for _, w := range e.words[1:] {
			if len(w) > len(longest) {
				longest = w
			}
		}
		// A shorter anchor contained in the new one is already there; a
		// longer one containing it becomes redundant.
		anchors = slices.DeleteFunc(anchors, func(a string) bool { return strings.Contains(a, longest) })
		anchors = append(anchors, longest)
	}
	sort.Strings(anchors)
	return anchors
}

// blocked reports whether key holds a secret, and the entry it matched.
// words is scratch space; it is returned for reuse.
func (r *keyRule) blocked(key string, words []word) (keyEntry, bool, []word) {
	if !r.anchors.any(key) {
		return keyEntry{}, false, words
	}
	words = splitKeyWords(key, words[:0])
	for _, a := range r.allowed {
		if a.equals(key, words) {
			return keyEntry{}, false, words
		}
	}
	for _, e := range r.blockList {
		if e.blocks(key, words) {
			return e, true, words
		}
	}
	return keyEntry{}, false, words
}
