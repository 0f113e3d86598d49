package redact

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRedactCustomPatterns(t *testing.T) {
	c := DefaultConfig()
	c.Patterns = []string{
		`LAB-[0-9]{6}`,                     // literal anchor LAB-
		`(?i)pin:\s*(?P<secret>\d{4})`,     // case-insensitive anchor, secret group
		`\b\d{3}\s\d{2}\s\d{4}\b`,          // no literal: always runs
		`(?:alpha|beta)(?P<secret>\d+)`,    // alternation: no literal
		`(?P<secret>[a-z]+)@internal\.lab`, // literal after the secret
	}
	w := testWalker(t, c)
	assert.Equal(t, []int{2, 3}, w.r.always)
	got, n := w.redact("badge LAB-123456, PIN: 1234, ssn 123 45 6789, beta42, bob@internal.lab")
	assert.Equal(t, "badge [REDACTED], PIN: [REDACTED], ssn [REDACTED], beta[REDACTED], [REDACTED]@internal.lab", got)
	assert.Equal(t, 5, n)
	for i := range c.Patterns {
		assert.Equal(t, int64(1), w.counts[numBuiltinKinds+i], "custom_%d", i)
	}
	// Unicode case folding: the K of PIN may be the Kelvin sign in
	// (?i)-patterns; the ASCII anchor must not hide it.
	c.Patterns = []string{`(?i)kpin=(?P<secret>\d+)`}
	got, n = redactWith(t, c, "\u212Apin=4321")
	assert.Equal(t, "\u212Apin=[REDACTED]", got)
	assert.Equal(t, 1, n)
}

func TestRequiredLiteral(t *testing.T) {
	for expr, want := range map[string]string{
		`LAB-[0-9]{6}`:          "LAB-",
		`(?i)Token:\s*\w+`:      "token:",
		`x(abc)+y`:              "abc",
		`a|b`:                   "",
		`[0-9]+`:                "",
		`(?:ab)?cd`:             "cd",
		`\bsecret_[a-z]{3,}\b`:  "secret_",
		`(?P<secret>\d+)@lab\.`: "@lab.",
	} {
		got, _ := requiredLiteral(expr)
		assert.Equal(t, want, got, expr)
	}
}

// TestNewPatternErrors: New refuses every pattern that does not compile,
// each as a *PatternError naming its index only, all of them joined.
func TestNewPatternErrors(t *testing.T) {
	c := DefaultConfig()
	c.Patterns = []string{"ok", "hunter2(", "x[z-a]", "a*"}
	r, err := New(&c)
	require.Error(t, err)
	assert.Nil(t, r)
	var indexes []int
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var pe *PatternError
		require.ErrorAs(t, e, &pe)
		indexes = append(indexes, pe.Index)
	}
	assert.Equal(t, []int{1, 2, 3}, indexes)
	assert.EqualError(t, err, "redaction: patterns[1]: invalid regular expression: missing closing )\n"+
		"redaction: patterns[2]: invalid regular expression: invalid character class range\n"+
		"redaction: patterns[3]: the pattern matches the empty string")
	for _, leak := range []string{"hunter2", "z-a", "a*"} {
		assert.NotContains(t, err.Error(), leak)
	}
}
