package lokipush

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/grafana/loki/pkg/push"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/utf8text"
)

// ParseLabels parses a Loki stream selector as pushed in protobuf:
// {name="value", other="value"}. Names are identifiers or, as Prometheus 3
// allows, quoted strings; values are quoted with ", ' or ` and use Go
// escapes. The labels come back sorted by name; a repeated name is an
// error, as in Loki.
func ParseLabels(s string) ([]push.LabelAdapter, error) {
	p := labelParser{s: s}
	p.skipSpace()
	if !p.consume('{') {
		return nil, ErrLabels
	}
	var labels []push.LabelAdapter
	p.skipSpace()
	for !p.consume('}') {
		name, ok := p.name()
		if !ok {
			return nil, ErrLabels
		}
		p.skipSpace()
		if !p.consume('=') {
			return nil, ErrLabels
		}
		p.skipSpace()
		value, ok := p.quoted()
		if !ok {
			return nil, ErrLabels
		}
		labels = append(labels, push.LabelAdapter{Name: name, Value: value})
		p.skipSpace()
		if p.consume(',') {
			p.skipSpace()
			continue
		}
		if p.peek() != '}' {
			return nil, ErrLabels
		}
	}
	p.skipSpace()
	if p.i != len(p.s) {
		return nil, ErrLabels
	}
	slices.SortStableFunc(labels, func(a, b push.LabelAdapter) int { return strings.Compare(a.Name, b.Name) })
	for i := 1; i < len(labels); i++ {
		if labels[i].Name == labels[i-1].Name {
			return nil, fmt.Errorf("%w: a label name is repeated", ErrLabels)
		}
	}
	return labels, nil
}

// FormatLabels is the inverse of ParseLabels: names that need no quotes
// are written bare, the others and every value in Go's double quotes.
func FormatLabels(labels []push.LabelAdapter) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, l := range labels {
		if i > 0 {
			b.WriteString(", ")
		}
		if isBareName(l.Name) {
			b.WriteString(l.Name)
		} else {
			b.WriteString(strconv.Quote(l.Name))
		}
		b.WriteByte('=')
		b.WriteString(strconv.Quote(l.Value))
	}
	b.WriteByte('}')
	return b.String()
}

// labelParser reads a label string from its position i on.
type labelParser struct {
	s string
	i int
}

func (p *labelParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *labelParser) consume(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *labelParser) skipSpace() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// name reads a label name: an identifier, or a quoted non-empty string.
func (p *labelParser) name() (string, bool) {
	switch p.peek() {
	case '"', '\'', '`':
		name, ok := p.quoted()
		return name, ok && name != ""
	}
	start := p.i
	for p.i < len(p.s) && isBareNameByte(p.s[p.i], p.i == start) {
		p.i++
	}
	return p.s[start:p.i], p.i > start
}

// quoted reads a string in ", ' or ` quotes; the first two take Go escapes
// (\n, \", \x41, \u00e9, ...). The result is valid UTF-8.
func (p *labelParser) quoted() (string, bool) {
	q := p.peek()
	switch q {
	case '`':
		end := strings.IndexByte(p.s[p.i+1:], '`')
		if end < 0 {
			return "", false
		}
		v := p.s[p.i+1 : p.i+1+end]
		p.i += end + 2
		return utf8text.Repair(v), true
	case '"', '\'':
	default:
		return "", false
	}
	var b strings.Builder
	rest := p.s[p.i+1:]
	for {
		if rest == "" {
			return "", false
		}
		if rest[0] == q {
			p.i = len(p.s) - len(rest) + 1
			return utf8text.Repair(b.String()), true
		}
		if rest[0] == '\n' {
			return "", false
		}
		r, multibyte, tail, err := strconv.UnquoteChar(rest, q)
		if err != nil {
			return "", false
		}
		if r < utf8.RuneSelf || !multibyte {
			b.WriteByte(byte(r))
		} else {
			b.WriteRune(r)
		}
		rest = tail
	}
}

// isBareNameByte reports whether c may stand, unquoted, in a label name:
// as its first byte when first is set, else further on.
func isBareNameByte(c byte, first bool) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9')
}

// isBareName reports whether s is a label name that needs no quotes.
func isBareName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isBareNameByte(s[i], i == 0) {
			return false
		}
	}
	return true
}
