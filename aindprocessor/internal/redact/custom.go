package redact // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"

import (
	"errors"
	"regexp"
	"regexp/syntax"
	"strconv"
)

// customPattern is a compiled entry of Config.Patterns.
type customPattern struct {
	re    *regexp.Regexp
	group int // the `secret` group, or 0 for the whole match
}

// PatternError is an entry of Config.Patterns that does not compile. It
// names the entry by index and the fault by the regexp error's code only:
// a pattern may itself be a secret.
type PatternError struct {
	Index int
	Err   error
}

func (e *PatternError) Error() string {
	return "redaction: patterns[" + strconv.Itoa(e.Index) + "]: " + e.Err.Error()
}

func (e *PatternError) Unwrap() error { return e.Err }

// syntaxError is a compile error that carries only the kind of the regexp
// error, never the pattern or the part of it at fault.
type syntaxError struct{ code syntax.ErrorCode }

func (e syntaxError) Error() string { return "invalid regular expression: " + string(e.code) }

// checkPattern is Validate's check of a user pattern.
func checkPattern(p string) error {
	if p == "" {
		return errors.New("empty pattern")
	}
	_, err := compilePattern(p)
	return err
}

// compilePattern compiles a user pattern; its errors never quote the
// pattern. A pattern that matches the empty string would redact nothing
// and run everywhere: it is refused.
func compilePattern(p string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(p)
	if err != nil {
		var se *syntax.Error
		if errors.As(err, &se) {
			return nil, syntaxError{code: se.Code}
		}
		return nil, errors.New("invalid regular expression")
	}
	if re.MatchString("") {
		return nil, errors.New("the pattern matches the empty string")
	}
	return re, nil
}

// compileCustom compiles the user patterns into r, and appends to lits
// the literal that every match of a pattern contains: a pattern runs only
// on strings that hold its literal, or on every string when it has none.
// The error joins a *PatternError per pattern that does not compile;
// r is incomplete then.
func (r *Redactor) compileCustom(patterns []string, lits []anchorLit) ([]anchorLit, error) {
	var errs []error
	for i, p := range patterns {
		r.kinds = append(r.kinds, customKindName(i))
		re, err := compilePattern(p)
		if err != nil {
			errs = append(errs, &PatternError{Index: i, Err: err})
			continue
		}
		r.custom = append(r.custom, customPattern{re: re, group: max(re.SubexpIndex("secret"), 0)})
		lit, fold := requiredLiteral(p)
		switch {
		case lit == "":
			r.always = append(r.always, i)
		case fold:
			// Unicode case folding matches non-ASCII text (K, the Kelvin
			// sign, for k) that the ASCII anchor does not: such a pattern
			// runs on every non-ASCII string too.
			r.foldCustom = append(r.foldCustom, i)
			fallthrough
		default:
			lits = append(lits, anchorLit{lit: lit, fold: fold, det: detCustom, arg: uint16(i)})
		}
	}
	return lits, errors.Join(errs...)
}

// requiredLiteral returns a literal every match of the expression contains,
// the longest it can find, and whether it is case-insensitive. Only ASCII
// literals are used case-insensitively.
func requiredLiteral(expr string) (string, bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return "", false
	}
	return literalOf(re)
}

func literalOf(re *syntax.Regexp) (string, bool) {
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
			s = toLower(s)
		}
		return s, fold
	case syntax.OpCapture, syntax.OpPlus:
		return literalOf(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return literalOf(re.Sub[0])
		}
	case syntax.OpConcat:
		best, bestFold := "", false
		for _, sub := range re.Sub {
			if s, f := literalOf(sub); len(s) > len(best) {
				best, bestFold = s, f
			}
		}
		return best, bestFold
	}
	return "", false
}

// runCustom runs the user patterns the string calls for: those whose
// literal the anchor scan found, those with a case-insensitive literal on
// non-ASCII text, and those without a literal.
func (sc *scanner) runCustom(s string) {
	r := sc.r
	if len(r.foldCustom) > 0 && !isASCII(s) {
		for _, i := range r.foldCustom {
			sc.mark(i)
		}
	}
	for _, i := range r.always {
		sc.mark(i)
	}
	for _, i := range sc.runList {
		sc.run[i] = false
		sc.customSpans(s, i)
	}
	sc.runList = sc.runList[:0]
}

// mark schedules user pattern i for the current string, once.
func (sc *scanner) mark(i int) {
	if !sc.run[i] {
		sc.run[i] = true
		sc.runList = append(sc.runList, i)
	}
}

func (sc *scanner) customSpans(s string, i int) {
	p := sc.r.custom[i]
	for _, loc := range p.re.FindAllStringSubmatchIndex(s, -1) {
		if a, b := loc[2*p.group], loc[2*p.group+1]; a >= 0 {
			sc.add(a, b, numBuiltinKinds+i)
		}
	}
}
