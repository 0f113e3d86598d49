//go:build integration

package integration

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// readmeBlock returns the fenced block of the repository's README.md that
// follows the comment "<!-- marker -->" or "<!-- marker: note -->". The
// tests run the README's snippets as written, so that a snippet that stops
// working fails here rather than for the team that copies it.
func readmeBlock(t *testing.T, marker string) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	re := regexp.MustCompile("(?s)<!-- " + regexp.QuoteMeta(marker) + "(?:[: ][^\n]*)?-->\n```[a-z]*\n(.*?)```")
	m := re.FindSubmatch(readme)
	require.NotNil(t, m, "README.md has no block marked %q", marker)
	return string(m[1])
}
