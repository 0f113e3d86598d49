package fileinput

import (
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
)

// Checkpoints in the real file_storage extension: a new input instance
// resumes where the previous one stopped, losing and repeating nothing.
func TestRestartWithStorage(t *testing.T) {
	storageID, host := startFileStorage(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")

	cfg := testConfig(dir)
	cfg.Storage = &storageID

	first := inputtest.Numbered("first-run", 0, 150) // more than one fileconsumer batch
	writeLines(t, path, inputtest.AindLines(first)...)
	sink1 := new(consumertest.LogsSink)
	var saves atomic.Int64
	in1 := startInput(t, cfg, testSettings(t, sink1, nil), host, countSaves(&saves))
	inputtest.WaitForCount(t, sink1, len(first))
	waitForCheckpoint(t, &saves)
	require.NoError(t, shutdown(in1))

	// Written while no input runs.
	second := inputtest.Numbered("while-stopped", 0, 30)
	writeLines(t, path, inputtest.AindLines(second)...)

	// start_at: end would skip the lines above if the checkpoint were not
	// used; a checkpoint that ran ahead would skip them too.
	sink2 := restartFromCheckpoint(t, dir, path, storageID, host, len(second))

	inputtest.RequireExactlyOnce(t, inputtest.Messages(sink1), first)
	inputtest.RequireExactlyOnce(t, inputtest.Messages(sink2), append(second, "sentinel"))
}
