package fileinput

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
)

// TestFileInputLinesAreNotReused guards jsonlines.DecodeOwnedLine's premise: the
// records' strings share the memory of the lines fileconsumer hands over,
// which is right only while fileconsumer makes a fresh copy of every line.
// If it ever reused a buffer, the records kept from early batches would
// change under the later ones and this test would see it.
func TestFileInputLinesAreNotReused(t *testing.T) {
	dir := t.TempDir()
	const n = 3000 // 30 of fileconsumer's batches, many of its read buffers
	lines := make([]string, n)
	for i := range lines {
		lines[i] = fmt.Sprintf(`{"message":"line %d","pad":%q,"level":"INFO"}`, i, pad(i))
	}
	writeLines(t, filepath.Join(dir, "app.log"), lines...)

	sink := new(consumertest.LogsSink)
	startInput(t, testConfig(dir), testSettings(t, sink, nil), nil)
	inputtest.WaitForCount(t, sink, n)

	seen := map[int]bool{}
	for _, lr := range inputtest.Records(sink) {
		body := lr.Body().Map().AsRaw()
		var i int
		_, err := fmt.Sscanf(inputtest.MessageOf(lr), "line %d", &i)
		require.NoError(t, err)
		require.Equal(t, map[string]any{"message": fmt.Sprintf("line %d", i), "pad": pad(i), "level": "INFO"}, body, "record %d", i)
		seen[i] = true
	}
	require.Len(t, seen, n)
}

// pad gives every line its own length and content.
func pad(i int) string {
	return strings.Repeat(string(rune('a'+i%26)), i%500)
}
