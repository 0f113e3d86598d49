package aindprocessor // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor"

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
)

// The value redactor: finds secrets inside strings.
//
// Every pattern has literal anchors (AKIA, ghp_, eyJ, -----BEGIN, ://, the
// blocked key words, …). One pass over a string's bytes looks the anchors
// up by first byte; a detector runs only where an anchor occurs, and only
// from there. A string without an anchor costs that pass and nothing else:
// no regular expression, no allocation. The built-in detectors are written
// by hand, so a string that holds an anchor but no secret (a URL without
// credentials, a key=value pair that is not a secret) does not allocate
// either. User patterns are Go regular expressions; each runs only on
// strings holding a literal that every one of its matches contains (derived
// from the expression), or on every string when no such literal exists.

// Redaction kinds: the `kind` attribute of the redactions metric. Kind 0 is
// the key rule; the others are pattern ids.
const (
	kindKey = iota
	kindAWSKeyID
	kindAWSSecret
	kindGitHub
	kindSlack
	kindGoogle
	kindJWT
	kindPrivateKey
	kindURLCredentials
	kindAuthorization
	kindAssignment
	numBuiltinKinds
)

var builtinKindNames = [numBuiltinKinds]string{
	kindKey:            "key",
	kindAWSKeyID:       "aws_access_key_id",
	kindAWSSecret:      "aws_secret_access_key",
	kindGitHub:         "github_token",
	kindSlack:          "slack_token",
	kindGoogle:         "google_api_key",
	kindJWT:            "jwt",
	kindPrivateKey:     "private_key",
	kindURLCredentials: "url_credentials",
	kindAuthorization:  "authorization",
	kindAssignment:     "secret_assignment",
}

// builtinKind returns the kind of a built-in pattern id, or -1.
func builtinKind(id string) int {
	for k := kindKey + 1; k < numBuiltinKinds; k++ {
		if builtinKindNames[k] == id {
			return k
		}
	}
	return -1
}

func builtinPatternIDs() []string {
	return append([]string(nil), builtinKindNames[kindKey+1:]...)
}

func customKindName(i int) string { return "custom_" + strconv.Itoa(i) }

// The markers that replace a secret. A value that already is a marker is
// never redacted again, so redaction is idempotent.
const (
	maskMarker       = "[REDACTED]"
	hashMarkerPrefix = "[REDACTED:hmac:"
	hashDigestBytes  = 8
	hashMarkerLen    = len(hashMarkerPrefix) + 2*hashDigestBytes + 1
)

func isRedactionMarker(s string) bool {
	if s == maskMarker {
		return true
	}
	if len(s) != hashMarkerLen || !strings.HasPrefix(s, hashMarkerPrefix) || s[len(s)-1] != ']' {
		return false
	}
	for i := len(hashMarkerPrefix); i < len(s)-1; i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// redactionMarkerAt returns the length of the marker starting at s[i], or 0.
func redactionMarkerAt(s string, i int) int {
	if strings.HasPrefix(s[i:], maskMarker) {
		return len(maskMarker)
	}
	if i+hashMarkerLen <= len(s) && isRedactionMarker(s[i:i+hashMarkerLen]) {
		return hashMarkerLen
	}
	return 0
}

// Detectors, the actions behind anchors.
const (
	detAWSKeyID uint8 = iota
	detGitHub
	detSlack
	detGoogle
	detJWT
	detPEM
	detURL
	detAuthScheme
	detAssign
	detCustom
)

// anchorLit is one literal of an anchor set.
type anchorLit struct {
	lit  string // lower-case ASCII when fold
	fold bool   // ASCII case-insensitive
	det  uint8
	arg  uint16 // detCustom: the pattern's index; detGitHub: the minimum length
}

// anchorSet finds its literals in a string. A bit per pair of bytes says
// whether a literal may start there; only then are the literals of the
// first byte compared. Most bytes of text cost one table look-up.
type anchorSet struct {
	lits   []anchorLit
	start  [257]uint16 // lits of first byte b: order[start[b]:start[b+1]]
	order  []uint16
	pairs  *[1 << 16 / 64]uint64 // bit b0<<8|b1: a literal may start with b0 b1
	single [256]bool             // a one-byte literal is b
}

func newAnchorSet(lits []anchorLit) anchorSet {
	a := anchorSet{lits: lits, pairs: new([1 << 16 / 64]uint64)}
	var byByte [256][]uint16
	setPair := func(b0, b1 int) { a.pairs[(b0<<8|b1)>>6] |= 1 << ((b0<<8 | b1) & 63) }
	cases := func(c byte, fold bool) []int {
		if fold && c >= 'a' && c <= 'z' {
			return []int{int(c), int(c - ('a' - 'A'))}
		}
		return []int{int(c)}
	}
	for i, l := range lits {
		for _, b0 := range cases(l.lit[0], l.fold) {
			byByte[b0] = append(byByte[b0], uint16(i))
			if len(l.lit) == 1 {
				a.single[b0] = true
				for b1 := 0; b1 < 256; b1++ {
					setPair(b0, b1)
				}
				continue
			}
			for _, b1 := range cases(l.lit[1], l.fold) {
				setPair(b0, b1)
			}
		}
	}
	for b := 0; b < 256; b++ {
		a.start[b] = uint16(len(a.order))
		a.order = append(a.order, byByte[b]...)
	}
	a.start[256] = uint16(len(a.order))
	return a
}

// candidate reports whether a literal may start at s[i].
func (a *anchorSet) candidate(s string, i int) bool {
	if i+1 < len(s) {
		p := uint(s[i])<<8 | uint(s[i+1])
		return a.pairs[p>>6]&(1<<(p&63)) != 0
	}
	return a.single[s[i]]
}

// at reports whether l occurs at s[i].
func (l *anchorLit) at(s string, i int) bool {
	if len(s)-i < len(l.lit) {
		return false
	}
	if !l.fold {
		return s[i:i+len(l.lit)] == l.lit
	}
	for j := 1; j < len(l.lit); j++ { // the first byte was matched by the table
		if rdLower(s[i+j]) != l.lit[j] {
			return false
		}
	}
	return true
}

// any reports whether s holds any literal of the set.
func (a *anchorSet) any(s string) bool {
	for i := 0; i < len(s); i++ {
		if !a.candidate(s, i) {
			continue
		}
		b := s[i]
		lo, hi := a.start[b], a.start[int(b)+1]
		for _, li := range a.order[lo:hi] {
			if a.lits[li].at(s, i) {
				return true
			}
		}
	}
	return false
}

// customPattern is a user pattern.
type customPattern struct {
	re    *regexp.Regexp
	group int  // the `secret` group, or 0 for the whole match
	fold  bool // its anchor is case-insensitive: run it on non-ASCII text too
}

// redactor is the compiled redaction configuration; it is immutable and
// shared by all goroutines.
type redactor struct {
	keys     *keyRule
	values   anchorSet
	custom   []customPattern
	always   []int // user patterns without a literal: they run on every string
	foldCust []int // user patterns with a case-insensitive literal
	disabled [numBuiltinKinds]bool
	hash     bool
	hashKey  []byte
	report   bool
	kinds    []string // kind names: built-in, then custom_<i>
}

// rdSpan is one secret found in a string.
type rdSpan struct {
	start, end int
	kind       uint16
}

// redactScratch is one goroutine's working memory.
type redactScratch struct {
	r       *redactor
	spans   []rdSpan
	merged  []rdSpan
	markers []rdSpan
	words   []rdWord
	run     []bool // user patterns to run on the current string
	runList []int
	// done[d] is how far detector d has looked at the current string: a
	// later anchor before it lies inside a token d already judged, and is
	// skipped. It keeps every detector linear in the string's length.
	done   [detCustom]int
	mac    hash.Hash
	sum    []byte
	in     []byte
	buf    []byte
	mbuf   []byte
	counts []int64 // redactions per kind in the current batch
	keys   [keyCacheSize]keyDecision

	// report_keys
	path     []byte
	cur      *[]string // where note records: found, scpPaths or resPaths
	found    []string  // paths of the current record
	resPaths []string
	scpPaths []string
}

func (r *redactor) newScratch() *redactScratch {
	st := &redactScratch{r: r, run: make([]bool, len(r.custom)), counts: make([]int64, len(r.kinds))}
	if r.hash {
		st.mac = hmac.New(sha256.New, r.hashKey)
	}
	return st
}

func newRedactor(c *RedactionConfig) (*redactor, error) {
	r := &redactor{
		keys:    newKeyRule(c.BlockedKeys, c.AllowedKeys),
		hash:    c.Mode == RedactionHash,
		hashKey: []byte(string(c.HashKey)),
		report:  c.ReportKeys,
	}
	for _, id := range c.DisabledPatterns {
		if k := builtinKind(id); k > 0 {
			r.disabled[k] = true
		}
	}
	r.kinds = append(r.kinds, builtinKindNames[:]...)
	var lits []anchorLit
	add := func(kinds []int, det uint8, fold bool, arg uint16, literals ...string) {
		on := false
		for _, k := range kinds {
			on = on || !r.disabled[k]
		}
		if !on {
			return
		}
		for _, l := range literals {
			lits = append(lits, anchorLit{lit: l, fold: fold, det: det, arg: arg})
		}
	}
	add([]int{kindAWSKeyID}, detAWSKeyID, false, 0, "AKIA", "ASIA")
	add([]int{kindGitHub}, detGitHub, false, 20, "ghp_", "gho_", "ghu_", "ghs_", "ghr_")
	add([]int{kindGitHub}, detGitHub, false, 22, "github_pat_")
	add([]int{kindSlack}, detSlack, false, 0, "xox")
	add([]int{kindGoogle}, detGoogle, false, 0, "AIza")
	add([]int{kindJWT}, detJWT, false, 0, "eyJ")
	add([]int{kindPrivateKey}, detPEM, false, 0, "-----BEGIN")
	add([]int{kindURLCredentials}, detURL, false, 0, "://")
	add([]int{kindAuthorization}, detAuthScheme, true, 0, "bearer", "basic")
	add([]int{kindAWSSecret, kindAssignment, kindAuthorization}, detAssign, true, 0, keyAnchors(r.keys.blockList)...)

	var errs []error
	for i, p := range c.Patterns {
		re, err := compilePattern(p)
		r.kinds = append(r.kinds, customKindName(i))
		if err != nil {
			// Validate refuses this configuration; keep the indexes stable.
			errs = append(errs, fmtPatternErr(i, err))
			re = nil
		}
		cp := customPattern{re: re}
		if re != nil {
			cp.group = max(re.SubexpIndex("secret"), 0)
			lit, fold := requiredLiteral(p)
			switch {
			case lit == "":
				r.always = append(r.always, i)
			default:
				cp.fold = fold
				if fold {
					r.foldCust = append(r.foldCust, i)
				}
				lits = append(lits, anchorLit{lit: lit, fold: fold, det: detCustom, arg: uint16(i)})
			}
		}
		r.custom = append(r.custom, cp)
	}
	r.values = newAnchorSet(lits)
	if len(errs) > 0 {
		return r, errs[0]
	}
	return r, nil
}

func fmtPatternErr(i int, err error) error {
	return &patternError{index: i, err: err}
}

type patternError struct {
	index int
	err   error
}

func (e *patternError) Error() string {
	return "redaction: patterns[" + strconv.Itoa(e.index) + "]: " + e.err.Error()
}

// requiredLiteral returns a literal every match of the expression contains,
// the longest it can find, and whether it is case-insensitive. Only ASCII
// literals are used case-insensitively.
func requiredLiteral(expr string) (string, bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return "", false
	}
	var walk func(re *syntax.Regexp) (string, bool)
	walk = func(re *syntax.Regexp) (string, bool) {
		switch re.Op {
		case syntax.OpLiteral:
			fold := re.Flags&syntax.FoldCase != 0
			s := string(re.Rune)
			if fold {
				for _, c := range re.Rune {
					if c >= 0x80 {
						return "", false
					}
				}
				s = rdToLower(s)
			}
			return s, fold
		case syntax.OpCapture, syntax.OpPlus:
			return walk(re.Sub[0])
		case syntax.OpRepeat:
			if re.Min >= 1 {
				return walk(re.Sub[0])
			}
		case syntax.OpConcat:
			best, bestFold := "", false
			for _, sub := range re.Sub {
				if s, f := walk(sub); len(s) > len(best) {
					best, bestFold = s, f
				}
			}
			return best, bestFold
		}
		return "", false
	}
	return walk(re)
}

// redactString returns s with its secrets replaced, and how many it
// replaced. Without a secret it returns s itself.
func (st *redactScratch) redactString(s string) (string, int) {
	r := st.r
	st.spans = st.spans[:0]
	st.done = [detCustom]int{}
	var high byte
	a := &r.values
	for i := 0; i < len(s); i++ {
		b := s[i]
		high |= b
		if !a.candidate(s, i) {
			continue
		}
		lo, hi := a.start[b], a.start[int(b)+1]
		for _, li := range a.order[lo:hi] {
			l := &a.lits[li]
			if l.at(s, i) {
				st.detect(s, i, l)
			}
		}
	}
	if len(r.custom) > 0 {
		if high >= 0x80 {
			for _, i := range r.foldCust {
				st.mark(i)
			}
		}
		for _, i := range r.always {
			st.mark(i)
		}
		for _, i := range st.runList {
			st.run[i] = false
			st.customSpans(s, i)
		}
		st.runList = st.runList[:0]
	}
	if len(st.spans) == 0 {
		return s, 0
	}
	return st.replace(s)
}

func (st *redactScratch) mark(i int) {
	if !st.run[i] {
		st.run[i] = true
		st.runList = append(st.runList, i)
	}
}

func (st *redactScratch) add(start, end int, kind int) {
	if end > start && (kind >= numBuiltinKinds || !st.r.disabled[kind]) {
		st.spans = append(st.spans, rdSpan{start, end, uint16(kind)})
	}
}

func (st *redactScratch) detect(s string, i int, l *anchorLit) {
	if l.det < detCustom && i < st.done[l.det] {
		return
	}
	switch l.det {
	case detAWSKeyID:
		st.awsKeyID(s, i)
	case detGitHub:
		st.prefixedRun(s, i, len(l.lit), int(l.arg), rdWordChar, detGitHub, kindGitHub)
	case detSlack:
		st.slack(s, i)
	case detGoogle:
		st.prefixedRun(s, i, 4, 35, rdB64URL, detGoogle, kindGoogle)
	case detJWT:
		st.jwt(s, i)
	case detPEM:
		st.pem(s, i)
	case detURL:
		st.urlCredentials(s, i)
	case detAuthScheme:
		st.authScheme(s, i, len(l.lit))
	case detAssign:
		st.assignment(s, i, len(l.lit))
	case detCustom:
		st.mark(int(l.arg))
	}
}

func (st *redactScratch) customSpans(s string, i int) {
	p := st.r.custom[i]
	if p.re == nil {
		return
	}
	for _, loc := range p.re.FindAllStringSubmatchIndex(s, -1) {
		a, b := loc[2*p.group], loc[2*p.group+1]
		if a >= 0 {
			st.add(a, b, numBuiltinKinds+i)
		}
	}
}

func rdAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

func rdWordChar(b byte) bool { return rdAlnum(b) || b == '_' }
func rdB64URL(b byte) bool   { return rdAlnum(b) || b == '_' || b == '-' }
func rdKeyChar(b byte) bool  { return rdAlnum(b) || b == '_' || b == '-' || b == '.' }
func rdSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v'
}

// rdLeftBoundary reports whether s[i] starts a token: not preceded by a
// letter or digit.
func rdLeftBoundary(s string, i int) bool { return i == 0 || !rdAlnum(s[i-1]) }

// awsKeyID: AKIA or ASIA and 16 capitals or digits, as a whole token.
func (st *redactScratch) awsKeyID(s string, i int) {
	const n = 20
	if !rdLeftBoundary(s, i) || len(s)-i < n || (i+n < len(s) && rdAlnum(s[i+n])) {
		return
	}
	for j := i + 4; j < i+n; j++ {
		if c := s[j]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return
		}
	}
	st.add(i, i+n, kindAWSKeyID)
}

// prefixedRun: a prefix at a token start and at least min characters of
// class in after it.
func (st *redactScratch) prefixedRun(s string, i, prefix, min int, in func(byte) bool, det uint8, kind int) {
	if !rdLeftBoundary(s, i) {
		return
	}
	j := i + prefix
	for j < len(s) && in(s[j]) {
		j++
	}
	st.done[det] = j
	if j-(i+prefix) >= min {
		st.add(i, j, kind)
	}
}

// slack: xox[abeprs]- and at least 10 letters, digits or dashes.
func (st *redactScratch) slack(s string, i int) {
	if !rdLeftBoundary(s, i) || len(s)-i < 5 || !strings.ContainsRune("abeprs", rune(s[i+3])) || s[i+4] != '-' {
		return
	}
	j := i + 5
	for j < len(s) && (rdAlnum(s[j]) || s[j] == '-') {
		j++
	}
	st.done[detSlack] = j
	if j-(i+5) >= 10 {
		st.add(i, j, kindSlack)
	}
}

// jwt: eyJ… header, payload and signature (the signature may be empty),
// base64url, dot-separated; a JWE's five parts too.
func (st *redactScratch) jwt(s string, i int) {
	if i > 0 && (rdB64URL(s[i-1]) || s[i-1] == '.') {
		return // inside a token, or the payload of one
	}
	end := i + 3
	for end < len(s) && rdB64URL(s[end]) {
		end++
	}
	if end-i < 10 {
		return
	}
	parts := 1
	for parts < 5 && end < len(s) && s[end] == '.' {
		m := end + 1
		for m < len(s) && rdB64URL(s[m]) {
			m++
		}
		n := m - (end + 1)
		if n == 0 && parts != 2 || parts == 1 && n < 2 {
			break // only the signature may be empty
		}
		end = m
		parts++
		if n == 0 {
			break
		}
	}
	st.done[detJWT] = end
	if parts >= 3 {
		st.add(i, end, kindJWT)
	}
}

// pem: the body of a -----BEGIN … PRIVATE KEY----- block, up to its END
// line or, if cut, the end of the string. The armour lines stay.
func (st *redactScratch) pem(s string, i int) {
	h := i + len("-----BEGIN")
	he := strings.Index(s[h:min(len(s), h+70)], "-----")
	if he < 0 || he > 64 {
		return
	}
	label := s[h : h+he]
	if !strings.Contains(label, "PRIVATE KEY") || strings.ContainsAny(label, "\r\n") {
		return
	}
	cs := h + he + len("-----")
	ce := len(s)
	if e := strings.Index(s[cs:], "-----END"); e >= 0 {
		ce = cs + e
	}
	st.done[detPEM] = ce
	for cs < ce && rdSpace(s[cs]) {
		cs++
	}
	for ce > cs && rdSpace(s[ce-1]) {
		ce--
	}
	st.add(cs, ce, kindPrivateKey)
}

func rdSchemeChar(b byte) bool { return rdAlnum(b) || b == '+' || b == '-' || b == '.' }

func rdURLStop(b byte) bool {
	return rdSpace(b) || b == '"' || b == '\'' || b == '<' || b == '>' || b == '`' || b == '\\'
}

// urlCredentials: the password of scheme://user:password@host. The user,
// the host and the rest of the URL stay readable.
func (st *redactScratch) urlCredentials(s string, i int) {
	ss := i
	for ss > 0 && rdSchemeChar(s[ss-1]) {
		ss--
	}
	for ss < i && !(s[ss] >= 'a' && s[ss] <= 'z' || s[ss] >= 'A' && s[ss] <= 'Z') {
		ss++
	}
	if ss == i {
		return
	}
	a := i + 3
	ae := a
	for ae < len(s) && !rdURLStop(s[ae]) && s[ae] != '/' && s[ae] != '?' && s[ae] != '#' {
		ae++
	}
	te := ae // the fallback looks a bounded way past the authority
	for te < len(s) && te < ae+urlFallbackWindow && !rdURLStop(s[te]) {
		te++
	}
	fallback := false
	ue := strings.LastIndexByte(s[a:ae], '@')
	if ue < 0 {
		// A password with an unencoded / ? or #: the userinfo ends at the
		// last @ of the authority that follows the first @ (as above, the
		// last @ wins, so redacting twice gives the same result).
		if ue = strings.IndexByte(s[a:te], '@'); ue < 0 {
			return
		}
		he := a + ue
		for he < te && s[he] != '/' && s[he] != '?' && s[he] != '#' {
			he++
		}
		ue = strings.LastIndexByte(s[a:he], '@')
		fallback = true
	}
	ue += a
	colon := userColon(s, a, ue)
	if colon < 0 {
		return
	}
	ps := colon + 1
	if fallback && (strings.ContainsAny(s[a:ps], "/?#") || rdPortLike(s[ps:ue])) {
		return
	}
	st.add(ps, ue, kindURLCredentials)
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
			if n := redactionMarkerAt(s, k); n > 0 {
				k += n - 1
			}
		}
	}
	return -1
}

// urlFallbackWindow bounds the search for the @ of a password holding an
// unencoded /, ? or #.
const urlFallbackWindow = 256

// rdPortLike: digits, then the end or a slash (host:8080/path?mail=a@b).
func rdPortLike(s string) bool {
	j := 0
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	return j > 0 && (j == len(s) || s[j] == '/' || s[j] == '?' || s[j] == '#')
}

func rdToken68(b byte) bool {
	return rdAlnum(b) || b == '-' || b == '.' || b == '_' || b == '~' || b == '+' || b == '/'
}

// authScheme: the credentials after a Bearer or Basic scheme word, when
// they look generated (see rdRandomLooking): "Basic statistics" stays.
func (st *redactScratch) authScheme(s string, i, n int) {
	if !rdLeftBoundary(s, i) {
		return
	}
	j := i + n
	if j >= len(s) || (s[j] != ' ' && s[j] != '\t') {
		return
	}
	for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
		j++
	}
	e := j
	for e < len(s) && rdToken68(s[e]) {
		e++
	}
	for e < len(s) && s[e] == '=' {
		e++
	}
	if e-j >= 8 && rdRandomLooking(s[j:e]) {
		st.add(j, e, kindAuthorization)
	}
}

// rdRandomLooking: a digit, = padding, + or /, or at least two capitals and
// two lower-case letters.
func rdRandomLooking(v string) bool {
	upper, lower := 0, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9', c == '=', c == '+', c == '/':
			return true
		case c >= 'A' && c <= 'Z':
			upper++
		case c >= 'a' && c <= 'z':
			lower++
		}
	}
	return upper >= 2 && lower >= 2
}

var rdAuthSchemes = []string{"bearer", "basic", "digest", "token", "negotiate", "ntlm", "apikey", "aws4-hmac-sha256"}

// rdSchemePrefix returns the length of an authorization scheme word and the
// blanks after it at the start of v, or 0.
func rdSchemePrefix(v string) int {
	for _, w := range rdAuthSchemes {
		if len(v) > len(w) && rdEqualFold(v[:len(w)], w) && (v[len(w)] == ' ' || v[len(w)] == '\t') {
			n := len(w)
			for n < len(v) && (v[n] == ' ' || v[n] == '\t') {
				n++
			}
			return n
		}
	}
	return 0
}

// rdValueStop ends an unquoted value in free text.
func rdValueStop(b byte) bool {
	switch b {
	case '&', ',', ';', '"', '\'', ')', '}', ']', '>', '<', '|', '\\', '`':
		return true
	}
	return rdSpace(b)
}

// rdLineStop ends an unquoted cookie header value: it holds ; and spaces.
func rdLineStop(b byte) bool {
	return b == '\r' || b == '\n' || b == '"' || b == '\'' || b == '\\'
}

// assignment: key=value, key: value, "key": "value", key="value",
// ?key=value&…, --key value, where key is a blocked key name (the key rule).
// Only the value is redacted. An unquoted `key: value` is taken for an
// assignment only when the value looks like a secret, ends its line, or the
// key is header-like (X-Api-Key: …): "Invalid token: expired, retrying"
// stays. Values null, None, nil, true and false are not secrets.
func (st *redactScratch) assignment(s string, i, n int) {
	ks := i
	for ks > st.done[detAssign] && rdKeyChar(s[ks-1]) {
		ks--
	}
	ke := i + n
	for ke < len(s) && rdKeyChar(s[ke]) {
		ke++
	}
	// Another word of this key, or a key inside this value, is not looked
	// at again.
	st.done[detAssign] = ke
	if ks >= 3 && s[ks-3:ks] == "://" {
		return // userinfo of a URL: the URL detector redacts its password
	}
	key := s[ks:ke]
	var entry keyEntry
	var blocked bool
	entry, blocked, st.words = st.r.keys.blocked(key, st.words)
	if !blocked {
		return
	}
	cli := strings.HasPrefix(key, "--")
	j := ke
	quotedKey := false
	if ks > 0 && (s[ks-1] == '"' || s[ks-1] == '\'') {
		q := s[ks-1]
		switch {
		case j < len(s) && s[j] == q:
			quotedKey = true
			j++
		case j+1 < len(s) && s[j] == '\\' && s[j+1] == q:
			quotedKey = true
			j += 2
		}
	}
	blank := j
	for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
		j++
	}
	colon := false
	switch {
	case j < len(s) && s[j] == '=':
		if j+1 < len(s) && (s[j+1] == '=' || s[j+1] == '~') {
			return // a comparison
		}
		j++
	case j < len(s) && s[j] == ':':
		switch {
		case j+1 < len(s) && s[j+1] == '=':
			j += 2
		case j+1 < len(s) && (s[j+1] == ':' || s[j+1] == '/'):
			return
		default:
			j++
			colon = true
		}
	case cli && j > blank && j < len(s) && s[j] != '-':
	default:
		return
	}
	for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
		j++
	}
	if j >= len(s) {
		return
	}
	vs, ve := j, j
	quoted := true
	switch c := s[j]; {
	case c == '\\' && j+1 < len(s) && (s[j+1] == '"' || s[j+1] == '\''):
		vs = j + 2
		if e := strings.Index(s[vs:], s[j:j+2]); e >= 0 {
			ve = vs + e
		} else {
			ve = len(s)
		}
	case c == '"' || c == '\'':
		vs = j + 1
		ve = rdClosingQuote(s, vs, c)
	case c == '{' || c == '[':
		ve = rdBalancedEnd(s, j)
		if strings.TrimSpace(strings.Trim(s[vs:ve], "{}[]")) == "" {
			return
		}
	default:
		quoted = false
		stop := rdValueStop
		if entry.hasWord("cookie") {
			stop = rdLineStop
		}
		for ve < len(s) && !stop(s[ve]) {
			ve++
		}
	}
	kind := kindAssignment
	if quoted {
		if p := rdSchemePrefix(s[vs:ve]); p > 0 {
			vs += p
			kind = kindAuthorization
		}
	} else if rdSchemeWord(s[vs:ve]) && ve < len(s) && (s[ve] == ' ' || s[ve] == '\t') {
		c := ve
		for c < len(s) && (s[c] == ' ' || s[c] == '\t') {
			c++
		}
		e := c
		for e < len(s) && !rdValueStop(s[e]) {
			e++
		}
		if e > c {
			vs, ve, kind = c, e, kindAuthorization
		}
	}
	if kind == kindAuthorization && st.r.disabled[kindAuthorization] {
		kind = kindAssignment // the key is still blocked
	}
	v := s[vs:ve]
	if v == "" || rdNonSecretWord(v) {
		return
	}
	if colon && !quotedKey && !quoted && kind != kindAuthorization {
		if entry.prose {
			return
		}
		if !rdSecretLooking(v) && !rdEndsLine(s, ve) && !rdHeaderLike(key) {
			return
		}
	}
	if kind == kindAssignment && rdContainsFold(key, "aws") && rdContainsFold(key, "secret") {
		kind = kindAWSSecret
	}
	st.add(vs, ve, kind)
	st.done[detAssign] = max(ve, ke)
}

func (e keyEntry) hasWord(w string) bool {
	for _, x := range e.words {
		if x == w {
			return true
		}
	}
	return false
}

func rdSchemeWord(v string) bool {
	for _, w := range rdAuthSchemes {
		if rdEqualFold(v, w) {
			return true
		}
	}
	return false
}

func rdNonSecretWord(v string) bool {
	switch len(v) {
	case 3, 4, 5:
		return rdEqualFold(v, "null") || rdEqualFold(v, "none") || rdEqualFold(v, "nil") ||
			rdEqualFold(v, "true") || rdEqualFold(v, "false")
	}
	return false
}

// rdClosingQuote returns the index of the quote q closing a value that
// starts at i (backslash escapes skipped), or len(s) when it is cut.
func rdClosingQuote(s string, i int, q byte) int {
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

// rdBalancedEnd returns the end of the JSON-like object or array at s[i]
// (strings skipped), or len(s) when it is cut.
func rdBalancedEnd(s string, i int) int {
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
			k = rdClosingQuote(s, k+1, '"')
		}
	}
	return len(s)
}

// rdSecretLooking: not a plain word of prose. A digit, a symbol, a capital
// after the first letter, or 16 characters or more.
func rdSecretLooking(v string) bool {
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

// rdEndsLine: only blanks between s[i] and the end of the line or string.
func rdEndsLine(s string, i int) bool {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i == len(s) || s[i] == '\n' || s[i] == '\r' || strings.HasPrefix(s[i:], `\n`)
}

// rdHeaderLike: an HTTP-header-like key, X-Api-Key.
func rdHeaderLike(key string) bool {
	k := strings.TrimLeft(key, "-")
	return strings.IndexByte(k, '-') > 0
}

func rdContainsFold(s, lower string) bool {
	for i := 0; i+len(lower) <= len(s); i++ {
		if rdEqualFold(s[i:i+len(lower)], lower) {
			return true
		}
	}
	return false
}

// replace builds the redacted string from st.spans.
func (st *redactScratch) replace(s string) (string, int) {
	spans := st.spans
	slices.SortStableFunc(spans, func(a, b rdSpan) int { return a.start - b.start })
	// Markers already in the string are not redacted again.
	st.markers = st.markers[:0]
	for k := 0; ; {
		m := strings.Index(s[k:], "[REDACTED")
		if m < 0 {
			break
		}
		k += m
		if n := redactionMarkerAt(s, k); n > 0 {
			st.markers = append(st.markers, rdSpan{start: k, end: k + n})
			k += n
		} else {
			k++
		}
	}
	st.merged = st.merged[:0]
	mi := 0 // markers are sorted and disjoint, spans sorted by start
	for _, sp := range spans {
		for mi < len(st.markers) && st.markers[mi].end <= sp.start {
			mi++
		}
		if mi < len(st.markers) && sp.start >= st.markers[mi].start && sp.end <= st.markers[mi].end {
			continue
		}
		if n := len(st.merged); n > 0 && sp.start < st.merged[n-1].end {
			st.merged[n-1].end = max(st.merged[n-1].end, sp.end)
			continue
		}
		st.merged = append(st.merged, sp)
	}
	if len(st.merged) == 0 {
		return s, 0
	}
	b := st.buf[:0]
	last := 0
	for _, sp := range st.merged {
		b = append(b, s[last:sp.start]...)
		b = st.appendMarker(b, s[sp.start:sp.end])
		last = sp.end
		st.counts[sp.kind]++
	}
	b = append(b, s[last:]...)
	st.buf = b
	return string(b), len(st.merged)
}

// appendMarker appends the marker that replaces secret.
func (st *redactScratch) appendMarker(b []byte, secret string) []byte {
	if !st.r.hash {
		return append(b, maskMarker...)
	}
	st.mac.Reset()
	st.in = append(st.in[:0], secret...) // Write([]byte(secret)) would allocate
	st.mac.Write(st.in)
	st.sum = st.mac.Sum(st.sum[:0])
	b = append(b, hashMarkerPrefix...)
	b = hex.AppendEncode(b, st.sum[:hashDigestBytes])
	return append(b, ']')
}

// marker returns the marker for a whole value.
func (st *redactScratch) marker(secret string) string {
	if !st.r.hash {
		return maskMarker
	}
	st.mbuf = st.appendMarker(st.mbuf[:0], secret)
	return string(st.mbuf)
}
