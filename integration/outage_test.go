//go:build integration

package integration

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Loki goes away while a capsule keeps writing, and the collector is
// restarted during the outage. The persistent sending queue and the
// receiver's checkpoints must bring every line to Loki once it is back.
func TestLokiOutageLosesNothing(t *testing.T) {
	loki := startLoki(t)
	logDir, storageDir := t.TempDir(), t.TempDir()
	env := agentEnv(t, loki, logDir, storageDir, "capsule-outage")
	config := filepath.Join("..", "config", "capsule-agent.yaml")
	out := newAppender(t, filepath.Join(logDir, "capsule.jsonl"))
	begin := time.Now()

	written := 0
	writeFor := func(d time.Duration) {
		for end := time.Now().Add(d); time.Now().Before(end); written++ {
			out.write(t, fmt.Sprintf(`{"timestamp":%q,"level":"INFO","message":"line %05d","software_name":"waterlog","rig_id":"frg_1_a"}`,
				time.Now().UTC().Format(time.RFC3339Nano), written))
			time.Sleep(10 * time.Millisecond)
		}
	}

	collector := startCollector(t, config, env...)
	writeFor(3 * time.Second)
	loki.stop(t)
	t.Logf("Loki stopped after %d lines", written)
	writeFor(4 * time.Second)
	collector.stop(t)
	writeFor(2 * time.Second) // written while no collector runs at all
	collector = startCollector(t, config, env...)
	writeFor(4 * time.Second)
	loki.start(t)
	t.Logf("Loki started again after %d lines", written)
	writeFor(2 * time.Second)

	got := loki.waitForEntries(t, `{service_name="waterlog", rig_id="frg_1_a"}`, begin.Add(-time.Minute), time.Now().Add(time.Hour), written, 3*time.Minute)
	seen := map[string]int{}
	for _, e := range got {
		seen[e.Line]++
	}
	missing := 0
	for i := 0; i < written; i++ {
		if seen[fmt.Sprintf("line %05d", i)] == 0 {
			missing++
		}
	}
	duplicates := len(got) - len(seen)
	t.Logf("written %d, stored %d, missing %d, duplicated %d", written, len(got), missing, duplicates)
	require.Zero(t, missing, "lines lost across the outage")
	assert.Len(t, seen, written)
	collector.stop(t)
}
