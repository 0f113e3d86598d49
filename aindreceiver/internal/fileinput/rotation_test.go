package fileinput

import (
	"os"
	"path/filepath"
	"testing"

	"go.opentelemetry.io/collector/consumer/consumertest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
)

// A file renamed out of the include pattern and replaced by a new file of
// the same name: lines written to the old file just before the rename and
// every line of the new one arrive, each exactly once.
func TestRenameRotation(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	sink := new(consumertest.LogsSink)
	startInput(t, testConfig(dir), testSettings(t, sink, nil), nil)

	var expected []string
	for round := 0; round < 3; round++ {
		before := inputtest.Numbered("before-rotation-"+string(rune('a'+round)), 0, 20)
		writeLines(t, path, inputtest.AindLines(before)...)
		inputtest.WaitForMessage(t, sink, before[len(before)-1])
		expected = append(expected, before...)

		// Not waited for: read from the old file after the rename.
		unread := inputtest.Numbered("unread-"+string(rune('a'+round)), 0, 20)
		writeLines(t, path, inputtest.AindLines(unread)...)
		expected = append(expected, unread...)
		if err := os.Rename(path, filepath.Join(dir, "app.log."+string(rune('1'+round)))); err != nil {
			t.Fatal(err)
		}
		after := inputtest.Numbered("after-rotation-"+string(rune('a'+round)), 0, 20)
		writeLines(t, path, inputtest.AindLines(after)...)
		expected = append(expected, after...)
	}

	sentinel := "sentinel"
	writeLines(t, path, inputtest.AindLine(sentinel))
	inputtest.WaitForCount(t, sink, len(expected)+1)
	inputtest.WaitForMessage(t, sink, sentinel)
	inputtest.RequireExactlyOnce(t, inputtest.Messages(sink), append(expected, sentinel))
}
