package consoletext

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// prefix is what a line's logging prefix says. Its strings are slices of
// the line.
type prefix struct {
	sev    plog.SeverityNumber
	level  string
	logger string
	msg    string
}

// parsePrefix recognises a level where the line starts with one in a common
// logging format (design.md lists them). It is a hand-written scanner, not
// a regular expression: it runs on every line a job prints, and rejects
// most lines at their first byte.
func parsePrefix(s string) (prefix, bool) {
	if s == "" {
		return prefix{}, false
	}
	switch c := s[0]; {
	case c == '[':
		return bracketed(s)
	case isDigit(c):
		n := timestampLen(s)
		if n == 0 || n == len(s) || s[n] != ' ' {
			return prefix{}, false
		}
		return afterTimestamp(s[n+1:])
	case isUpper(c):
		return levelFirst(s)
	}
	return prefix{}, false
}

// levelFirst reads Python logging's default LEVEL:logger:message, and
// LEVEL: message and LEVEL - message. The level must be upper case: a
// lower-case "error: …" is a CLI tool's message more often than a level.
func levelFirst(s string) (prefix, bool) {
	level, sev, ok := upperLevel(s)
	if !ok {
		return prefix{}, false
	}
	rest := s[len(level):]
	if r, ok := strings.CutPrefix(rest, ":"); ok {
		if n := loggerLen(r); n > 0 && n < len(r) && r[n] == ':' {
			return prefix{sev, level, r[:n], r[n+1:]}, true
		}
		if r == "" || r[0] == ' ' {
			return prefix{sev, level, "", trimSpaceLeft(r)}, true
		}
		return prefix{}, false
	}
	if r, ok := strings.CutPrefix(trimSpaceLeft(rest), "- "); ok && rest != "" && rest[0] == ' ' {
		return prefix{sev, level, "", trimSpaceLeft(r)}, true
	}
	return prefix{}, false
}

// bracketed reads [LEVEL] message, the level in any case.
func bracketed(s string) (prefix, bool) {
	end := strings.IndexByte(s, ']')
	if end < 2 {
		return prefix{}, false
	}
	level := s[1:end]
	for i := 0; i < len(level); i++ {
		if c := level[i]; !isUpper(c) && !(c >= 'a' && c <= 'z') && c != '_' {
			return prefix{}, false
		}
	}
	sev, ok := aind.SeverityFromText(level)
	rest := s[end+1:]
	if !ok || rest != "" && rest[0] != ' ' {
		return prefix{}, false
	}
	return prefix{sev, level, "", trimSpaceLeft(rest)}, true
}

// afterTimestamp reads what follows an asctime and a space:
//
//	name - LEVEL - message   (after "- ": the Python cookbook's format)
//	LEVEL - message          (after "- ")
//	LEVEL | name:function:line - message   (after "| ": loguru's)
//	[LEVEL] message
//	LEVEL message
func afterTimestamp(s string) (prefix, bool) {
	if r, ok := strings.CutPrefix(s, "- "); ok {
		i := strings.Index(r, " - ")
		if i <= 0 {
			return prefix{}, false
		}
		field := trimSpaceRight(r[:i])
		r = r[i+3:]
		if level, sev, ok := upperLevel(field); ok && len(level) == len(field) {
			return prefix{sev, level, "", r}, true
		}
		if loggerLen(field) != len(field) {
			return prefix{}, false
		}
		j := strings.Index(r, " - ")
		if j <= 0 {
			return prefix{}, false
		}
		level := trimSpaceRight(r[:j])
		if l, sev, ok := upperLevel(level); ok && len(l) == len(level) {
			return prefix{sev, level, field, r[j+3:]}, true
		}
		return prefix{}, false
	}
	if r, ok := strings.CutPrefix(s, "| "); ok {
		level, sev, ok := upperLevel(r)
		if !ok {
			return prefix{}, false
		}
		r, ok = strings.CutPrefix(trimSpaceLeft(r[len(level):]), "| ")
		if !ok {
			return prefix{}, false
		}
		i := strings.Index(r, " - ")
		if i < 0 {
			return prefix{}, false
		}
		logger := r[:i]
		if n := loggerLen(logger); n < len(logger) && logger[n] == ':' {
			logger = logger[:n]
		} else {
			logger = ""
		}
		return prefix{sev, level, logger, r[i+3:]}, true
	}
	if s != "" && s[0] == '[' {
		return bracketed(s)
	}
	level, sev, ok := upperLevel(s)
	if !ok {
		return prefix{}, false
	}
	rest := s[len(level):]
	if rest != "" && rest[0] != ' ' {
		return prefix{}, false
	}
	return prefix{sev, level, "", trimSpaceLeft(rest)}, true
}

// upperLevel reads the upper-case word s starts with and looks it up in the
// level tables.
func upperLevel(s string) (string, plog.SeverityNumber, bool) {
	n := 0
	for n < len(s) && (isUpper(s[n]) || s[n] == '_') {
		n++
	}
	if n == 0 {
		return "", 0, false
	}
	sev, ok := aind.SeverityFromText(s[:n])
	return s[:n], sev, ok
}

// loggerLen is the length of the Python logger name s starts with (dotted
// names of letters, digits, _ and -).
func loggerLen(s string) int {
	n := 0
	for n < len(s) {
		c := s[n]
		if !isUpper(c) && !(c >= 'a' && c <= 'z') && !isDigit(c) && c != '_' && c != '.' && c != '-' {
			break
		}
		n++
	}
	return n
}

// timestampLen is the length of the ISO 8601-like date and time s starts
// with (Python's asctime "2024-05-01 10:00:00,123", or
// "2024-05-01T10:00:00.123Z", "…+02:00"), or 0. The time is not parsed:
// the record's time is when the line was read.
func timestampLen(s string) int {
	const layout = "dddd-dd-dd dd:dd:dd"
	if len(s) < len(layout) {
		return 0
	}
	for i := 0; i < len(layout); i++ {
		c := s[i]
		switch layout[i] {
		case 'd':
			if !isDigit(c) {
				return 0
			}
		case ' ':
			if c != ' ' && c != 'T' {
				return 0
			}
		default:
			if c != layout[i] {
				return 0
			}
		}
	}
	n := len(layout)
	if n+1 < len(s) && (s[n] == ',' || s[n] == '.') && isDigit(s[n+1]) {
		n += 2
		for n < len(s) && isDigit(s[n]) {
			n++
		}
	}
	if n < len(s) && s[n] == 'Z' {
		return n + 1
	}
	if n < len(s) && (s[n] == '+' || s[n] == '-') {
		z := n + 1
		for z < len(s) && (isDigit(s[z]) || s[z] == ':') && z-n <= 5 {
			z++
		}
		if z-n-1 >= 4 {
			return z
		}
	}
	return n
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func trimSpaceLeft(s string) string  { return strings.TrimLeft(s, " \t") }
func trimSpaceRight(s string) string { return strings.TrimRight(s, " \t") }
