package redact // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"

import "slices"

// detector is the action behind an anchor literal: the built-in detectors
// are hand-written scanners that start at the anchor; detCustom marks a
// user pattern to run on the string.
type detector uint8

const (
	detAWSKeyID detector = iota
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

// builtinAnchors are the literals of the built-in detectors, in the order
// they run at one position. A detector's literals are left out when every
// kind it finds is disabled. The assignment detector's literals are the
// blocked key words (keyAnchors).
var builtinAnchors = []struct {
	kinds []int
	det   detector
	fold  bool
	arg   uint16
	lits  []string
}{
	{[]int{kindAWSKeyID}, detAWSKeyID, false, 0, []string{"AKIA", "ASIA"}},
	{[]int{kindGitHub}, detGitHub, false, 20, []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}},
	{[]int{kindGitHub}, detGitHub, false, 22, []string{"github_pat_"}},
	{[]int{kindSlack}, detSlack, false, 0, []string{"xox"}},
	{[]int{kindGoogle}, detGoogle, false, 0, []string{"AIza"}},
	{[]int{kindJWT}, detJWT, false, 0, []string{"eyJ"}},
	{[]int{kindPrivateKey}, detPEM, false, 0, []string{"-----BEGIN"}},
	{[]int{kindURLCredentials}, detURL, false, 0, []string{"://"}},
	{[]int{kindAuthorization}, detAuthScheme, true, 0, []string{"bearer", "basic"}},
	{[]int{kindAWSSecret, kindAssignment, kindAuthorization}, detAssign, true, 0, nil},
}

// span is one secret found in a string: s[start:end], of a kind.
type span struct {
	start, end int
	kind       uint16
}

// scanner finds the secrets inside strings and replaces them. It is one
// goroutine's: its buffers are reused from string to string.
type scanner struct {
	r       *Redactor
	spans   []span
	merged  []span
	markers []span
	words   []word
	run     []bool // user patterns to run on the current string
	runList []int
	// done[d] is how far detector d has looked at the current string: a
	// later anchor before it lies inside a token d already judged, and is
	// skipped. It keeps every detector linear in the string's length.
	done   [detCustom]int
	buf    []byte
	marks  markerWriter
	counts []int64 // redactions per kind since the walker's last reset
}

// redact returns s with its secrets replaced, and how many it replaced.
// Without a secret it returns s itself.
func (sc *scanner) redact(s string) (string, int) {
	sc.spans = sc.spans[:0]
	sc.done = [detCustom]int{}
	sc.r.values.each(s, func(i int, l *anchorLit) bool {
		sc.detect(s, i, l)
		return false
	})
	if len(sc.r.custom) > 0 {
		sc.runCustom(s)
	}
	if len(sc.spans) == 0 {
		return s, 0
	}
	return sc.replace(s)
}

func (sc *scanner) detect(s string, i int, l *anchorLit) {
	if l.det < detCustom && i < sc.done[l.det] {
		return
	}
	switch l.det {
	case detAWSKeyID:
		sc.awsKeyID(s, i)
	case detGitHub:
		sc.prefixedRun(s, i, len(l.lit), int(l.arg), wordChar, detGitHub, kindGitHub)
	case detSlack:
		sc.slack(s, i)
	case detGoogle:
		sc.prefixedRun(s, i, 4, 35, base64URLChar, detGoogle, kindGoogle)
	case detJWT:
		sc.jwt(s, i)
	case detPEM:
		sc.pem(s, i)
	case detURL:
		sc.urlCredentials(s, i)
	case detAuthScheme:
		sc.authScheme(s, i, len(l.lit))
	case detAssign:
		sc.assignment(s, i, len(l.lit))
	case detCustom:
		sc.mark(int(l.arg))
	}
}

// add records the secret s[start:end] unless its kind is disabled.
func (sc *scanner) add(start, end int, kind int) {
	if end > start && (kind >= numBuiltinKinds || !sc.r.disabled[kind]) {
		sc.spans = append(sc.spans, span{start, end, uint16(kind)})
	}
}

// replace builds the redacted string from the spans found in s.
func (sc *scanner) replace(s string) (string, int) {
	slices.SortStableFunc(sc.spans, func(a, b span) int { return a.start - b.start })
	sc.markers = appendMarkers(sc.markers[:0], s)
	sc.merge()
	if len(sc.merged) == 0 {
		return s, 0
	}
	b := sc.buf[:0]
	last := 0
	for _, sp := range sc.merged {
		b = append(b, s[last:sp.start]...)
		b = sc.marks.append(b, s[sp.start:sp.end])
		last = sp.end
		sc.counts[sp.kind]++
	}
	b = append(b, s[last:]...)
	sc.buf = b
	return string(b), len(sc.merged)
}

// merge joins overlapping spans into sc.merged and drops those inside a
// marker already in the string: it is not redacted again.
func (sc *scanner) merge() {
	sc.merged = sc.merged[:0]
	mi := 0 // markers are sorted and disjoint, spans sorted by start
	for _, sp := range sc.spans {
		for mi < len(sc.markers) && sc.markers[mi].end <= sp.start {
			mi++
		}
		if mi < len(sc.markers) && sp.start >= sc.markers[mi].start && sp.end <= sc.markers[mi].end {
			continue
		}
		if n := len(sc.merged); n > 0 && sp.start < sc.merged[n-1].end {
			sc.merged[n-1].end = max(sc.merged[n-1].end, sp.end)
			continue
		}
		sc.merged = append(sc.merged, sp)
	}
}
