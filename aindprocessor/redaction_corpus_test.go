package aindprocessor

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/plogtest"
)

// Every secret of testdata/redaction/planted.jsonl contains PLANTED, and
// nothing else there does: no output may contain it.
const plantedMark = "PLANTED"

var expectRe = regexp.MustCompile(`expect_redactions"?\s*[:=]\s*(\d+)`)

func readCorpus(t *testing.T, name string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "redaction", name))
	require.NoError(t, err)
	var lines []string
	for _, line := range bytes.Split(data, []byte("\n")) {
		if line = jsonlines.CleanLine(line); len(line) > 0 {
			lines = append(lines, string(line))
		}
	}
	require.NotEmpty(t, lines)
	return lines
}

// TestRedactionPlantedCorpus decodes every planted line as the receiver
// does, runs the whole processor and searches the OTLP JSON for the
// secrets.
func TestRedactionPlantedCorpus(t *testing.T) {
	lines := readCorpus(t, "planted.jsonl")
	for _, mode := range []redact.Mode{redact.ModeMask, redact.ModeHash} {
		cfg := createDefaultConfig()
		cfg.Redaction.Mode = mode
		if mode == redact.ModeHash {
			cfg.Redaction.HashKey = testHashKey
		}
		require.NoError(t, cfg.Redaction.Validate())
		total := 0
		for i, line := range lines {
			m := expectRe.FindStringSubmatch(line)
			require.NotNil(t, m, "line %d has no expect_redactions", i+1)
			want, _ := strconv.Atoi(m[1])
			total += want
			out := process(t, cfg, plogtest.LinesToLogs(map[string]string{"co.capsule.id": "c1"}, line))
			raw := marshalJSON(t, out)
			assert.NotContains(t, raw, plantedMark, "%s line %d: a planted secret survived", mode, i+1)
			require.Equal(t, 1, out.LogRecordCount())
			lr := out.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0)
			got, ok := lr.Attributes().Get(aind.AttrRedactedCount)
			require.True(t, ok, "%s line %d: no %s", mode, i+1, aind.AttrRedactedCount)
			assert.Equal(t, int64(want), got.Int(), "%s line %d: %s", mode, i+1, line)
			assert.True(t, utf8.ValidString(raw))
		}

		// The whole corpus as one batch, regrouped: same result.
		out := process(t, cfg, plogtest.LinesToLogs(map[string]string{"co.capsule.id": "c1"}, lines...))
		require.Equal(t, len(lines), out.LogRecordCount())
		assert.NotContains(t, marshalJSON(t, out), plantedMark)
		var sum int64
		forEachRecord(out, func(lr plog.LogRecord) {
			v, _ := lr.Attributes().Get(aind.AttrRedactedCount)
			sum += v.Int()
		})
		assert.Equal(t, int64(total), sum, mode)
	}
}

func forEachRecord(ld plog.Logs, f func(plog.LogRecord)) {
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		sls := rls.At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				f(lrs.At(k))
			}
		}
	}
}

// TestRedactionCleanCorpus: normal AIND lines come out byte-identical to
// what the processor makes of them without redaction.
func TestRedactionCleanCorpus(t *testing.T) {
	on := createDefaultConfig()
	off := createDefaultConfig()
	off.Redaction.Enabled = false
	for i, line := range readCorpus(t, "clean.jsonl") {
		withRedaction := process(t, on, plogtest.LinesToLogs(map[string]string{"co.capsule.id": "c1"}, line))
		without := process(t, off, plogtest.LinesToLogs(map[string]string{"co.capsule.id": "c1"}, line))
		assert.Equal(t, marshalJSON(t, without), marshalJSON(t, withRedaction), "line %d: %s", i+1, line)
		forEachRecord(withRedaction, func(lr plog.LogRecord) {
			_, ok := lr.Attributes().Get(aind.AttrRedactedCount)
			assert.False(t, ok, "line %d", i+1)
		})
	}
}
