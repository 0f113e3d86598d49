//go:build integration

package integration

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// want is what Loki must hold for one input line.
type want struct {
	line     string            // the stored log line
	time     int64             // the exact timestamp in ns; 0: the read time
	labels   map[string]string // stream labels, compared whole
	metadata map[string]string // structured metadata that must be present
}

var levels = []string{"DEBUG", "INFO", "warning", "ERROR", "CRITICAl"}
var severities = []string{"DEBUG", "INFO", "warning", "ERROR", "CRITICAl"}

// capsuleLines makes n lines as a capsule writes them, with timestamps of
// microsecond precision just before now: every tenth line is not JSON, one
// carries a traceback, one an epoch-seconds float timestamp, one a numeric
// subject_id.
func capsuleLines(n int, capsule string, base time.Time) ([]string, []want) {
	lines := make([]string, 0, n)
	wants := make([]want, 0, n)
	for i := 0; i < n; i++ {
		if i%10 == 9 {
			// Not JSON, and with a secret in it: delivered raw, flagged,
			// with the secret redacted.
			lines = append(lines, fmt.Sprintf("not json %03d password=hunter2", i))
			wants = append(wants, want{
				line:     fmt.Sprintf("not json %03d password=[REDACTED]", i),
				labels:   map[string]string{"service_name": "waterlog"},
				metadata: map[string]string{"aind_parse_error": "not a JSON object", "co_capsule_id": capsule, "aind_redacted_count": "1"},
			})
			continue
		}
		ts := base.Add(time.Duration(i) * time.Millisecond).Truncate(time.Microsecond)
		msg := fmt.Sprintf("event %03d of %s", i, capsule)
		rec := map[string]any{
			"timestamp":        ts.Format("2006-01-02T15:04:05.000000Z"),
			"level":            levels[i%len(levels)],
			"message":          msg,
			"hostname":         "w10dt700140",
			"software_name":    "waterlog",
			"software_version": "1.0.4",
			"rig_id":           "frg_1_a",
			"instrument_id":    "EPHYS1",
			"subject_id":       "123456",
			"acquisition_name": "123456_2026-11-26_10-00-00",
			"lineno":           i,
			"name":             "waterlog.session",
			"wt_g":             23.93,
		}
		md := map[string]string{
			"subject_id":       "123456",
			"acquisition_name": "123456_2026-11-26_10-00-00",
			"severity_text":    severities[i%len(severities)],
			"code_line_number": strconv.Itoa(i),
			"host_name":        "w10dt700140",
			"service_version":  "1.0.4",
			"scope_name":       "waterlog.session",
			"co_capsule_id":    capsule,
			"log_file_name":    "capsule.jsonl",
			"wt_g":             "23.93",
		}
		switch i {
		case 5:
			rec["exc_info"] = "Traceback (most recent call last):\n  File \"run.py\", line 3, in <module>\nTimeoutError: database did not answer"
			md["exception_type"] = "TimeoutError"
			md["exception_message"] = "database did not answer"
		case 7:
			rec["timestamp"] = float64(ts.UnixMicro()) / 1e6
		case 8:
			rec["subject_id"] = 123456
		}
		data, _ := json.Marshal(rec)
		lines = append(lines, string(data))
		wants = append(wants, want{
			line:     msg,
			time:     ts.UnixNano(),
			labels:   map[string]string{"service_name": "waterlog", "rig_id": "frg_1_a", "instrument_id": "EPHYS1"},
			metadata: md,
		})
	}
	return lines, wants
}

// appender appends lines to a file, as a capsule writing its log does.
type appender struct {
	mu   sync.Mutex
	file *os.File
}

func newAppender(t *testing.T, path string) *appender {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return &appender{file: f}
}

func (a *appender) write(t *testing.T, lines ...string) {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, l := range lines {
		_, err := a.file.WriteString(l + "\n")
		require.NoError(t, err)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
