//go:build integration

package integration

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docPages are the pages whose snippets the tests run: the README and the
// guides in docs/, as paths from this directory.
func docPages(t *testing.T) []string {
	t.Helper()
	guides, err := filepath.Glob(filepath.Join("..", "docs", "*.md"))
	require.NoError(t, err)
	require.NotEmpty(t, guides, "no docs/*.md")
	return append([]string{filepath.Join("..", "README.md")}, guides...)
}

// docBlock returns the fenced block that follows the comment
// "<!-- marker -->" or "<!-- marker: note -->" in the one page of README.md
// and docs/*.md that has it. The tests run the documented snippets as
// written, so that a snippet that stops working fails here rather than for
// the team that copies it; a marker found on no page, or on two, fails.
func docBlock(t *testing.T, marker string) string {
	t.Helper()
	re := regexp.MustCompile("(?s)<!-- " + regexp.QuoteMeta(marker) + "(?:[: ][^\n]*)?-->\n```[a-z]*\n(.*?)```")
	var found []string
	var block string
	for _, page := range docPages(t) {
		text, err := os.ReadFile(page)
		require.NoError(t, err)
		for _, m := range re.FindAllSubmatch(text, -1) {
			found = append(found, strings.TrimPrefix(filepath.ToSlash(page), "../"))
			block = string(m[1])
		}
	}
	require.Len(t, found, 1, "the block marked %q must be on exactly one page of README.md and docs/*.md; found on %v", marker, found)
	t.Logf("snippet %q from %s", marker, found[0])
	return block
}

// Every block a test runs is on exactly one page, those of the reliability
// scenarios (build tag reliability, which `make test-integration` does not
// set) and of the scale-out scenario (which needs HAProxy) included, so
// that a moved or renamed block fails here, in any integration run.
func TestDocBlocksFound(t *testing.T) {
	for _, marker := range []string{
		"capsule-run", // endofrun_test.go
		"haproxy",     // scaleout_test.go
		"client-snippet: python-logging-loki", "client-snippet: promtail", "client-snippet: alloy",
		"client-snippet: otel-sdk", "client-snippet: capsule-agent", "client-snippet: curl", // clients_test.go
	} {
		assert.NotEmpty(t, docBlock(t, marker), marker)
	}
}
