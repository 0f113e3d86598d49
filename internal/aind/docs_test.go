package aind

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/testenv"
)

// The repository carries its own copies of the AIND standard and of the
// mapping contract (docs/), so that no document links outside it. Where the
// originals are checked out beside the repository, as in CI, the copies
// must say the same: links into the repository and the mapping's closing
// notes of this repository aside.
func TestDocsAreInStepWithTheOriginals(t *testing.T) {
	originals := filepath.Join("..", "..", "..", "shared")
	if _, err := os.Stat(originals); err != nil {
		testenv.Missing(t, "the AIND originals of docs/ are not checked out beside the repository, at %s (%v)", originals, err)
	}
	for copyName, original := range map[string]string{
		"aind-logging-standard.md": "aind-logging-standard.md",
		"mapping.md":               "aind-mapping.md",
	} {
		want, err := os.ReadFile(filepath.Join(originals, original))
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join("..", "..", "docs", copyName))
		require.NoError(t, err)
		assert.Equal(t, docText(string(want)), docText(string(got)),
			"docs/%s differs from the original %s: bring the copy in step", copyName, original)
	}
}

var (
	markdownLink = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	ownCopyNote  = regexp.MustCompile(` This repository keeps its own copy of both;[^.]*\.`)
)

// docText is a document's text without what the copies add: the notes of
// this repository, the sentence saying so, link targets and line wrapping.
func docText(s string) string {
	s, _, _ = strings.Cut(s, "\n## Notes of this repository")
	s = markdownLink.ReplaceAllString(s, "$1")
	s = strings.Join(strings.Fields(s), " ")
	return ownCopyNote.ReplaceAllString(s, "")
}
