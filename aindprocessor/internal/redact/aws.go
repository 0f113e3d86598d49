package redact // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"

// AWS access key ids. The secret access key has no shape of its own: it is
// found as an assignment whose key holds aws and secret (assignment.go).

// awsKeyID: AKIA or ASIA and 16 capitals or digits, as a whole token.
func (sc *scanner) awsKeyID(s string, i int) {
	const n = 20
	if !tokenStart(s, i) || len(s)-i < n || (i+n < len(s) && alnum(s[i+n])) {
		return
	}
	for j := i + 4; j < i+n; j++ {
		if c := s[j]; !(c >= 'A' && c <= 'Z' || digit(c)) {
			return
		}
	}
	sc.add(i, i+n, kindAWSKeyID)
}
