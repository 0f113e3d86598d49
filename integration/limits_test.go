//go:build integration

package integration

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// One batch holds records that Loki would refuse with a 400, which makes the
// exporter drop the whole batch: a line over 256 KB, a 100 KB stack trace
// in structured metadata, 200 attributes, a timestamp older than Loki's
// reject_old_samples_max_age. The aind processor's Loki limits guard makes
// each fit, so Loki keeps every record of the batch.
func TestOversizedRecordsDoNotCostTheBatch(t *testing.T) {
	loki := startLoki(t)
	logDir := t.TempDir()
	now := time.Now().UTC()
	record := func(msg string, extra map[string]any) string {
		rec := map[string]any{
			"timestamp":     now.Format(time.RFC3339Nano),
			"level":         "ERROR",
			"message":       msg,
			"software_name": "waterlog",
			"rig_id":        "frg_limits",
		}
		for k, v := range extra {
			rec[k] = v
		}
		data, err := json.Marshal(rec)
		require.NoError(t, err)
		return string(data)
	}
	many := map[string]any{}
	for i := 0; i < 200; i++ {
		many[fmt.Sprintf("field_%03d", i)] = i
	}
	lines := []string{
		record("normal before", nil),
		record("huge line "+strings.Repeat("x", 300<<10), nil),
		record("huge stack trace", map[string]any{"exc_info": "Traceback (most recent call last):\n" + strings.Repeat("  File \"run.py\", line 1, in f\n", 4000) + "RecursionError: too deep"}),
		record("two hundred attributes", many),
		record("a month old", map[string]any{"timestamp": now.Add(-30 * 24 * time.Hour).Format(time.RFC3339Nano)}),
		record("normal after", nil),
	}
	newAppender(t, filepath.Join(logDir, "capsule.jsonl")).write(t, lines...)
	startCollector(t, filepath.Join("..", "config", "capsule-agent.yaml"), agentEnv(t, loki, logDir, t.TempDir(), "capsule-limits")...)

	got := loki.waitForEntries(t, `{service_name="waterlog", rig_id="frg_limits"}`, now.Add(-time.Hour), now.Add(time.Hour), len(lines), 2*time.Minute)
	require.Len(t, got, len(lines), "Loki must keep every record of the batch")
	byPrefix := func(prefix string) entry {
		for _, e := range got {
			if strings.HasPrefix(e.Line, prefix) {
				return e
			}
		}
		t.Fatalf("no entry starting %q", prefix)
		return entry{}
	}
	huge := byPrefix("huge line")
	assert.LessOrEqual(t, len(huge.Line), 256<<10)
	assert.Equal(t, "true", huge.Metadata["aind_truncated"])
	stack := byPrefix("huge stack trace")
	assert.Contains(t, stack.Line, "RecursionError", "the stack trace moves into the line")
	byPrefix("two hundred attributes")
	old := byPrefix("a month old")
	assert.InDelta(t, time.Now().UnixNano(), old.Time, float64(10*time.Minute), "an out-of-range timestamp is replaced by the read time")
}
