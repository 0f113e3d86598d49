package redact // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"

import "strings"

// Tokens that announce themselves with a fixed prefix: GitHub (ghp_, gho_,
// ghu_, ghs_, ghr_, github_pat_), Google API keys (AIza) and Slack (xox?-).

// prefixedRun: a prefix at a token start and at least min characters of
// class in after it.
func (sc *scanner) prefixedRun(s string, i, prefix, min int, in func(byte) bool, det detector, kind int) {
	if !tokenStart(s, i) {
		return
	}
	j := i + prefix
	for j < len(s) && in(s[j]) {
		j++
	}
	sc.done[det] = j
	if j-(i+prefix) >= min {
		sc.add(i, j, kind)
	}
}

// slack: xox[abeprs]- and at least 10 letters, digits or dashes.
func (sc *scanner) slack(s string, i int) {
	if !tokenStart(s, i) || len(s)-i < 5 || !strings.ContainsRune("abeprs", rune(s[i+3])) || s[i+4] != '-' {
		return
	}
	j := i + 5
	for j < len(s) && (alnum(s[j]) || s[j] == '-') {
		j++
	}
	sc.done[detSlack] = j
	if j-(i+5) >= 10 {
		sc.add(i, j, kindSlack)
	}
}
