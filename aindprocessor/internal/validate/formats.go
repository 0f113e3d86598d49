package validate // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/validate"

import (
	"strings"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// acquisitionTail is what follows the subject in an acquisition name.
const acquisitionTail = "_YYYY-MM-DD_HH-MM-SS"

// isAcquisitionName reports whether s is <subject_id>_<YYYY-MM-DD>_<HH-MM-SS>
// with a real date and time (no leap second). The subject part may itself
// hold "_": the date and time are the fixed-width tail.
func isAcquisitionName(s string) bool {
	if len(s) <= len(acquisitionTail) {
		return false
	}
	subject, t := s[:len(s)-len(acquisitionTail)], s[len(s)-len(acquisitionTail):]
	for i := 0; i < len(subject); i++ {
		c := subject[i]
		if !alnumASCII(c) && c != '_' && c != '-' && c != '.' {
			return false
		}
	}
	// t is "_YYYY-MM-DD_HH-MM-SS".
	if t[0] != '_' || t[5] != '-' || t[8] != '-' || t[11] != '_' || t[14] != '-' || t[17] != '-' {
		return false
	}
	year, ok1 := aind.Digits(t[1:5])
	month, ok2 := aind.Digits(t[6:8])
	day, ok3 := aind.Digits(t[9:11])
	hour, ok4 := aind.Digits(t[12:14])
	minute, ok5 := aind.Digits(t[15:17])
	sec, ok6 := aind.Digits(t[18:20])
	return ok1 && ok2 && ok3 && ok4 && ok5 && ok6 &&
		year >= 1 && aind.ValidDate(year, month, day) &&
		hour <= 23 && minute <= 59 && sec <= 59
}

func alnumASCII(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func digitASCII(c byte) bool { return c >= '0' && c <= '9' }

// isVersion accepts the version forms producers write: PEP 440 (Python
// packages) and SemVer 2.0.0 with an optional "v". ASCII only, no white
// space.
func isVersion(s string) bool {
	return isPEP440(s) || isSemVer(s)
}

// versionScanner reads a version string left to right; each optional part
// rolls back when it does not match.
type versionScanner struct {
	s string
	i int
}

func (p *versionScanner) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// span eats the longest run of bytes of one class and reports whether it is
// not empty.
func (p *versionScanner) span(class func(byte) bool) bool {
	start := p.i
	for p.i < len(p.s) && class(p.s[p.i]) {
		p.i++
	}
	return p.i > start
}

func (p *versionScanner) digits() bool { return p.span(digitASCII) }

func (p *versionScanner) alnums() bool { return p.span(alnumASCII) }

// sep eats one optional PEP 440 separator.
func (p *versionScanner) sep() bool {
	if p.i < len(p.s) && (p.s[p.i] == '-' || p.s[p.i] == '_' || p.s[p.i] == '.') {
		p.i++
		return true
	}
	return false
}

// label eats the first of labels (longest first where one is a prefix of
// another) that follows, in any case.
func (p *versionScanner) label(labels ...string) bool {
	for _, l := range labels {
		if len(p.s)-p.i >= len(l) && strings.EqualFold(p.s[p.i:p.i+len(l)], l) {
			p.i += len(l)
			return true
		}
	}
	return false
}

// isPEP440 follows PEP 440's appendix regular expression (as the packaging
// library has it), case-insensitive, without the surrounding white space:
//
//	v? ([0-9]+!)? [0-9]+(\.[0-9]+)*
//	([-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?[0-9]*)?
//	(-[0-9]+|[-_.]?(post|rev|r)[-_.]?[0-9]*)?
//	([-_.]?dev[-_.]?[0-9]*)?
//	(\+[a-z0-9]+([-_.][a-z0-9]+)*)?
func isPEP440(s string) bool {
	p := versionScanner{s: s}
	if p.i < len(s) && (s[0] == 'v' || s[0] == 'V') {
		p.i++
	}
	if save := p.i; !(p.digits() && p.eat('!')) {
		p.i = save // no epoch
	}
	if !p.digits() {
		return false
	}
	for {
		save := p.i
		if !p.eat('.') || !p.digits() {
			p.i = save
			break
		}
	}
	// Pre-release. No label is a prefix of a longer one that could still
	// follow, so the first label that matches, longest first, is the one.
	p.labelled("alpha", "a", "beta", "b", "preview", "pre", "c", "rc")
	// Post-release.
	if save := p.i; !p.eat('-') || !p.digits() {
		p.i = save
		p.labelled("post", "rev", "r")
	}
	// Development release.
	p.labelled("dev")
	return p.localLabel() && p.i == len(s)
}

// labelled eats an optional PEP 440 release segment: a separator, one of
// labels, a separator and a number, each but the label optional. Without
// the label it eats nothing.
func (p *versionScanner) labelled(labels ...string) {
	save := p.i
	p.sep()
	if !p.label(labels...) {
		p.i = save
		return
	}
	p.sep()
	p.digits()
}

// localLabel eats an optional PEP 440 local version label, "+" and
// alphanumerics joined by separators, and reports whether what follows the
// "+" is one.
func (p *versionScanner) localLabel() bool {
	if !p.eat('+') {
		return true
	}
	if !p.alnums() {
		return false
	}
	for p.i < len(p.s) {
		if !p.sep() || !p.alnums() {
			return false
		}
	}
	return true
}

// isSemVer follows SemVer 2.0.0's grammar, with an optional "v":
// MAJOR.MINOR.PATCH without leading zeros, then -pre.release identifiers
// (numeric ones without leading zeros) and +build identifiers.
func isSemVer(s string) bool {
	p := versionScanner{s: s}
	p.eat('v')
	for n := 0; n < 3; n++ {
		if n > 0 && !p.eat('.') {
			return false
		}
		start := p.i
		if !p.digits() || (p.i-start > 1 && s[start] == '0') {
			return false
		}
	}
	if p.eat('-') {
		for {
			start := p.i
			numeric := true
			for p.i < len(s) && (alnumASCII(s[p.i]) || s[p.i] == '-') {
				numeric = numeric && digitASCII(s[p.i])
				p.i++
			}
			n := p.i - start
			if n == 0 || (numeric && n > 1 && s[start] == '0') {
				return false
			}
			if !p.eat('.') {
				break
			}
		}
	}
	if p.eat('+') {
		for {
			start := p.i
			for p.i < len(s) && (alnumASCII(s[p.i]) || s[p.i] == '-') {
				p.i++
			}
			if p.i == start {
				return false
			}
			if !p.eat('.') {
				break
			}
		}
	}
	return p.i == len(s)
}
