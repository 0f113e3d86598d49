package fileinput

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/telemetrytest"
)

// A consumer that refuses with a retryable error, and mutates what it
// refused, still gets every line exactly once and unmutated.
func TestRetriesUntilAccepted(t *testing.T) {
	const refusals = 4
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	lines := inputtest.Numbered("line", 0, 10)
	writeLines(t, path, inputtest.AindLines(lines)...)

	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	next := inputtest.NewRefusingConsumer(func(call int) error {
		if call <= refusals {
			return inputtest.ErrBusy
		}
		return nil
	})
	set := testSettings(t, next, tel)
	set.Resource = map[string]string{"rig_id": "r1"}
	startInput(t, testConfig(dir), set, nil)
	inputtest.WaitForCount(t, &next.LogsSink, len(lines))

	sentinel := "sentinel"
	writeLines(t, path, inputtest.AindLine(sentinel))
	inputtest.WaitForMessage(t, &next.LogsSink, sentinel)

	inputtest.RequireExactlyOnce(t, inputtest.Messages(&next.LogsSink), append(lines, sentinel))
	for _, lr := range inputtest.Records(&next.LogsSink) {
		require.Equal(t, pcommon.ValueTypeMap, lr.Body().Type(), "records are rebuilt for each attempt")
		_, mutated := lr.Attributes().Get("mutated")
		assert.False(t, mutated)
	}
	for _, ld := range next.AllLogs() {
		assert.Equal(t, map[string]any{"rig_id": "r1"}, ld.ResourceLogs().At(0).Resource().Attributes().AsRaw())
	}
	_, refused := next.Counts()
	assert.Equal(t, refusals, refused)
	assert.Equal(t, int64(refusals), telemetrytest.Sum(t, tel, "otelcol_receiver_aind_consume_retries"))
	assert.Equal(t, int64(refusals*len(lines)), telemetrytest.Sum(t, tel, "otelcol_receiver_refused_log_records"))
	// The sentinel's batch is counted once the sink's call returned, which
	// may be after the sink already holds it.
	require.Eventually(t, func() bool {
		return telemetrytest.Sum(t, tel, "otelcol_receiver_accepted_log_records") == int64(len(lines)+1)
	}, inputtest.WaitFor, inputtest.Tick, "accepted_log_records")
}

// While the consumer refuses, the refused lines are not checkpointed: an
// input restarted on the same storage delivers them.
func TestRefusedLinesAreNotCheckpointed(t *testing.T) {
	storageID, host := startFileStorage(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	lines := inputtest.Numbered("refused", 0, 130) // more than one fileconsumer batch
	writeLines(t, path, inputtest.AindLines(lines)...)

	cfg := testConfig(dir)
	cfg.Storage = &storageID
	refusing := inputtest.NewRefusingConsumer(func(int) error { return inputtest.ErrBusy })
	var saves atomic.Int64
	in1 := startInput(t, cfg, testSettings(t, refusing, nil), host, countSaves(&saves))
	require.Eventually(t, func() bool {
		_, refused := refusing.Counts()
		return refused >= 3
	}, inputtest.WaitFor, inputtest.Tick)
	require.NoError(t, shutdown(in1))
	assert.Zero(t, refusing.LogRecordCount())

	// start_at: end: the lines come back only through the checkpoint, which
	// must still point before them.
	sink := restartFromCheckpoint(t, dir, path, storageID, host, len(lines))
	inputtest.RequireExactlyOnce(t, inputtest.Messages(sink), append(lines, "sentinel"))
}

// A permanent error cannot succeed: the lines are dropped, not retried, and
// reading goes on.
func TestPermanentErrorDrops(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	writeLines(t, path, inputtest.AindLine("dropped"))

	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	next := inputtest.NewRefusingConsumer(func(call int) error {
		if call == 1 {
			return consumererror.NewPermanent(inputtest.ErrBusy)
		}
		return nil
	})
	startInput(t, testConfig(dir), testSettings(t, next, tel), nil)
	require.Eventually(t, func() bool {
		calls, _ := next.Counts()
		return calls >= 1
	}, inputtest.WaitFor, inputtest.Tick)

	writeLines(t, path, inputtest.AindLine("kept"))
	inputtest.WaitForMessage(t, &next.LogsSink, "kept")
	assert.Equal(t, []string{"kept"}, inputtest.Messages(&next.LogsSink))
	calls, _ := next.Counts()
	assert.Equal(t, 2, calls, "a permanent error is not retried")
	assert.Equal(t, int64(1), telemetrytest.Sum(t, tel, "otelcol_receiver_aind_dropped_records"))
	assert.Equal(t, int64(0), telemetrytest.Sum(t, tel, "otelcol_receiver_aind_consume_retries"))
}
