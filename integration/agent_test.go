//go:build integration

package integration

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// agentEnv is the environment config/capsule-agent.yaml needs, pointed at
// this test's Loki and directories.
func agentEnv(t *testing.T, loki *lokiProcess, logDir, storageDir, capsule string) []string {
	return []string{
		"LOKI_OTLP_ENDPOINT=" + loki.url("/otlp"),
		"AIND_LOG_DIR=" + logDir,
		"AIND_STORAGE_DIR=" + storageDir,
		"AIND_SERVICE_NAME=waterlog",
		"AIND_HEALTH_ENDPOINT=127.0.0.1:" + itoa(freePort(t)),
		"AIND_TELEMETRY_HOST=127.0.0.1",
		"AIND_TELEMETRY_PORT=" + itoa(freePort(t)),
		"CO_CAPSULE_ID=" + capsule,
		"CO_COMPUTATION_ID=run-1",
	}
}

// The shipped capsule agent config, unchanged, against a real Loki: every
// line arrives once, with the labels, structured metadata, line and
// timestamp the mapping promises.
func TestCapsuleAgentToLoki(t *testing.T) {
	require.Equal(t, grafanaQueries, docLogQLExamples(t),
		"the LogQL table of docs/loki-and-grafana.md must be the queries this test runs, with the lines each finds")
	loki := startLoki(t)
	logDir := t.TempDir()
	begin := time.Now().Add(-2 * time.Minute)
	lines, wants := capsuleLines(120, "capsule-1", begin)
	newAppender(t, filepath.Join(logDir, "capsule.jsonl")).write(t, lines...)

	startCollector(t, filepath.Join("..", "config", "capsule-agent.yaml"), agentEnv(t, loki, logDir, t.TempDir(), "capsule-1")...)

	from, to := begin.Add(-time.Hour), time.Now().Add(time.Hour)
	got := loki.waitForEntries(t, `{service_name="waterlog"}`, from, to, len(wants), 2*time.Minute)
	assertStored(t, wants, got)
	if len(got) > 0 {
		t.Logf("one stored entry, as Loki returned it: labels %s, structured metadata %s, line %q, time %d",
			labelsString(got[0].Labels), labelsString(got[0].Metadata), got[0].Line, got[0].Time)
	}

	for _, ex := range grafanaQueries {
		assert.Len(t, loki.query(t, ex.query, from, to), ex.want, ex.query)
	}
}

// logQLExample is a row of the LogQL table in docs/loki-and-grafana.md.
type logQLExample struct {
	query string
	want  int // lines it returns on TestCapsuleAgentToLoki's 120 lines
}

// grafanaQueries are the LogQL examples of docs/loki-and-grafana.md's
// "Querying in Grafana", with the number of lines each returns on this
// test's 120 lines; the page's table must say exactly this.
var grafanaQueries = []logQLExample{
	{`{service_name="waterlog", rig_id="frg_1_a"} | subject_id="123456"`, 108},
	{`{service_name="waterlog"} | severity_text=~"(?i)error"`, 24},
	{`{service_name="waterlog", instrument_id="EPHYS1"} | code_line_number > 100`, 17},
	{`{service_name="waterlog"} | aind_parse_error != ""`, 12},
	{`{service_name="waterlog"} | exception_type="TimeoutError"`, 1},
	{`{service_name="waterlog"} |= "event 04"`, 9},
}

// docLogQLExamples reads the table of "Querying in Grafana" in
// docs/loki-and-grafana.md: each row's query (its code span, with the
// table's \| unescaped) and the lines it finds in the test.
func docLogQLExamples(t *testing.T) []logQLExample {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("..", "docs", "loki-and-grafana.md"))
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(text), "\n## Querying in Grafana\n")
	require.True(t, ok, "docs/loki-and-grafana.md has no section \"Querying in Grafana\"")
	section, _, _ = strings.Cut(section, "\n## ")
	var examples []logQLExample
	for _, m := range regexp.MustCompile("(?m)^\\| `(.+?)` \\| [^\n]* \\| ([0-9]+) \\|$").FindAllStringSubmatch(section, -1) {
		n, err := strconv.Atoi(m[2])
		require.NoError(t, err)
		examples = append(examples, logQLExample{strings.ReplaceAll(m[1], `\|`, "|"), n})
	}
	return examples
}

// assertStored checks that Loki holds exactly the wanted entries, each once.
func assertStored(t *testing.T, wants []want, got []entry) {
	t.Helper()
	byLine := map[string][]entry{}
	for _, e := range got {
		byLine[e.Line] = append(byLine[e.Line], e)
	}
	require.Len(t, got, len(wants), "Loki must hold one entry per line")
	for _, w := range wants {
		es := byLine[w.line]
		if !assert.Len(t, es, 1, "line %q", w.line) {
			continue
		}
		e := es[0]
		assert.Equal(t, w.labels, e.Labels, "labels of %q", w.line)
		if w.time != 0 {
			assert.Equal(t, w.time, e.Time, "timestamp of %q", w.line)
		}
		for k, v := range w.metadata {
			assert.Equal(t, v, e.Metadata[k], "structured metadata %s of %q (has %v)", k, w.line, e.Metadata)
		}
	}
}
