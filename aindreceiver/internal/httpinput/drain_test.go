package httpinput

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
)

// A request in progress when the input stops is finished first: its
// client gets its answer once the pipeline accepted the records.
func TestHTTPDrainFinishesRequestsInProgress(t *testing.T) {
	release := make(chan struct{})
	next := &inputtest.HoldingConsumer{Release: release}
	set := inputtest.Settings(t, next, nil)
	set.DrainTimeout = inputtest.WaitFor
	in, base := startHTTP(t, httpTestConfig(), set, nil)

	answered := make(chan int, 1)
	c := newClient(t, nil)
	go func() {
		resp, err := c.Post(base+"/aind/v1/logs", "application/x-ndjson", strings.NewReader(inputtest.AindLine("in progress")))
		if err != nil {
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	require.Eventually(t, func() bool { return next.Calls.Load() == 1 }, inputtest.WaitFor, inputtest.Tick)
	stopped := make(chan error, 1)
	go func() { stopped <- inputtest.Shutdown(context.Background(), in, set.DrainTimeout) }()
	select {
	case err := <-stopped:
		t.Fatalf("Shutdown returned while a request was in progress: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	require.NoError(t, <-stopped)
	assert.Equal(t, http.StatusOK, <-answered)
	assert.Equal(t, 1, next.LogRecordCount())
}

// A request the pipeline holds past drain_timeout is cut off and reported.
func TestHTTPDrainDeadline(t *testing.T) {
	next := &inputtest.HoldingConsumer{Release: make(chan struct{})}
	set := inputtest.Settings(t, next, nil)
	set.DrainTimeout = 200 * time.Millisecond
	in, base := startHTTP(t, httpTestConfig(), set, nil)

	answered := make(chan error, 1)
	c := newClient(t, nil)
	go func() {
		req := strings.Join([]string{inputtest.AindLine("a"), inputtest.AindLine("b"), inputtest.AindLine("c")}, "\n")
		resp, err := c.Post(base+"/aind/v1/logs", "application/x-ndjson", strings.NewReader(req))
		if err == nil {
			resp.Body.Close()
		}
		answered <- err
	}()
	require.Eventually(t, func() bool { return next.Calls.Load() == 1 }, inputtest.WaitFor, inputtest.Tick)
	err := inputtest.Shutdown(context.Background(), in, set.DrainTimeout)
	require.EqualError(t, err, "drain: 3 records of 1 HTTP requests not delivered within 200ms")
	assert.Error(t, <-answered, "the client was disconnected, so it retries")
	assert.Zero(t, next.LogRecordCount())
}
