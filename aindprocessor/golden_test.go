package aindprocessor

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current output")

// TestGolden maps every file of the repository's testdata/ the way the
// distribution does (receiver line decoding, then this processor) and
// compares the OTLP JSON with testdata/golden/<file>.json.
// Run `go test ./aindprocessor -run TestGolden -update` after an intended change.
func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("..", "testdata", "*.jsonl"))
	require.NoError(t, err)
	require.NotEmpty(t, inputs)
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".jsonl")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(in)
			require.NoError(t, err)
			ld := plog.NewLogs()
			rl := ld.ResourceLogs().AppendEmpty()
			records := rl.ScopeLogs().AppendEmpty().LogRecords()
			lines := 0
			for _, line := range bytes.Split(data, []byte("\n")) {
				line = jsonlines.CleanLine(line)
				if len(line) == 0 {
					continue
				}
				lines++
				lr := records.AppendEmpty()
				lr.Attributes().PutStr("log.file.name", filepath.Base(in))
				jsonlines.DecodeLine(line, lr)
			}

			out := process(t, createDefaultConfig(), ld)
			require.Equal(t, lines, out.LogRecordCount(), "one record per non-empty line")
			raw, err := (&plog.JSONMarshaler{}).MarshalLogs(out)
			require.NoError(t, err)
			var pretty bytes.Buffer
			require.NoError(t, json.Indent(&pretty, raw, "", "  "))
			pretty.WriteByte('\n')

			golden := filepath.Join("testdata", "golden", name+".json")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, pretty.Bytes(), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run with -update to create it")
			assert.Equal(t, string(want), pretty.String())
		})
	}
}
