package fileinput

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
)

// A file's batches are delivered concurrently, but a batch accepted while
// an earlier one of its file is held moves no checkpoint past the held
// one: a crash, and a stop whose drain ran out of time, both resume where
// the held batch starts, and the lines accepted after it are sent again.
func TestCheckpointWaitsForEarlierBatches(t *testing.T) {
	for _, tc := range []struct {
		name  string
		crash bool // freeze the storage before the stop: only the journal of accepted batches is left
	}{{"stop", false}, {"crash", true}} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBacklog(t, 500)
			cfg := b.config()
			cfg.MaxBatchesInFlight = 4
			// fileconsumer's second batch of 100 lines is held; the other four are accepted.
			held := &inputtest.HoldingConsumer{Accepts: func(n int) bool { return n < 100 || n >= 200 }}
			set := testSettings(t, held, nil)
			set.DrainTimeout = 300 * time.Millisecond
			var client *freezingClient
			in := startInput(t, cfg, set, b.host, freezable(&client))
			inputtest.WaitForCount(t, &held.LogsSink, 400)
			if tc.crash {
				client.freezeWhenIdle(t, time.Now())
			}
			err := shutdown(in)
			require.EqualError(t, err, "drain: 400 lines of 1 files not delivered within 300ms; their checkpoints stay where they begin")

			sink := b.restart(t, 400)
			inputtest.RequireExactlyOnce(t, inputtest.Messages(sink), append(b.lines[100:], "sentinel"))
		})
	}
}
