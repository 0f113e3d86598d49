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

// Loki answers 429 when a tenant goes over its ingestion rate. That is
// back-pressure, not a verdict on the data: the exporter must retry until
// every line is in.
func TestLokiRateLimitIsRetried(t *testing.T) {
	loki := startLoki(t, "ingestion_rate_mb: 0.02", "ingestion_burst_size_mb: 0.04")
	logDir := t.TempDir()
	config := writeConfig(t, fmt.Sprintf(`
receivers:
  aind:
    include: [%s/*.jsonl]
    start_at: beginning
    poll_interval: 50ms
processors:
  aind:
exporters:
  otlp_http:
    endpoint: %s
    retry_on_failure:
      initial_interval: 200ms
      max_interval: 1s
      max_elapsed_time: 0
    sending_queue:
      sizer: items
      batch:
        flush_timeout: 100ms
        min_size: 10
        max_size: 50
service:
  telemetry:
    metrics:
      level: none
  pipelines:
    logs:
      receivers: [aind]
      processors: [aind]
      exporters: [otlp_http]
`, logDir, loki.url("/otlp")))

	const n = 600
	lines := make([]string, n)
	begin := time.Now().UTC()
	for i := range lines {
		lines[i] = fmt.Sprintf(`{"timestamp":%q,"level":"INFO","message":"rate limited line %04d %s","software_name":"waterlog","rig_id":"frg_rate"}`,
			begin.Format(time.RFC3339Nano), i, "padding-padding-padding-padding-padding-padding-padding-padding")
	}
	newAppender(t, filepath.Join(logDir, "capsule.jsonl")).write(t, lines...)
	startCollector(t, config)

	got := loki.waitForEntries(t, `{service_name="waterlog", rig_id="frg_rate"}`, begin.Add(-time.Hour), begin.Add(time.Hour), n, 3*time.Minute)
	require.Len(t, got, n, "every line arrives despite the 429s")
	limited := loki.metric(t, "loki_discarded_samples_total", `reason="rate_limited"`)
	t.Logf("Loki refused %v samples with 429 (rate_limited) on the way; all %d lines stored", limited, n)
	assert.Positive(t, limited, "the test must actually have hit Loki's rate limit")
}
