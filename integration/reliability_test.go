//go:build integration && reliability

package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The reliability scenarios (make reliability) run at full size by default
// and scaled down with RELIABILITY_SHORT=1 (CI's subset). Each records its
// figures with recordFigure; make reliability prints them as one table.

func short() bool { return os.Getenv("RELIABILITY_SHORT") == "1" }

// scaled is full, or small when running the short subset.
func scaled[T any](full, small T) T {
	if short() {
		return small
	}
	return full
}

var figuresMu sync.Mutex

// recordFigure logs one figure of a scenario and appends it as a Markdown
// table row to RELIABILITY_OUT (default ../build/reliability/figures.md).
func recordFigure(t *testing.T, scenario, figure string, value any) {
	t.Helper()
	t.Logf("%s: %s = %v", scenario, figure, value)
	out := os.Getenv("RELIABILITY_OUT")
	if out == "" {
		out = filepath.Join("..", "build", "reliability", "figures.md")
	}
	figuresMu.Lock()
	defer figuresMu.Unlock()
	require.NoError(t, os.MkdirAll(filepath.Dir(out), 0o755))
	f, err := os.OpenFile(out, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	require.NoError(t, err)
	defer f.Close()
	_, err = fmt.Fprintf(f, "| %s | %s | %v | %s |\n", scenario, figure, value, time.Now().UTC().Format("2006-01-02 15:04"))
	require.NoError(t, err)
}
