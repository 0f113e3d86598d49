package aindreceiver

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer/consumertest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
)

// fakeQueues is a drain_storage whose backlog the test sets.
type fakeQueues struct {
	component.StartFunc
	component.ShutdownFunc
	requests, records atomic.Int64
}

func (q *fakeQueues) QueueBacklog() (int64, int64) { return q.requests.Load(), q.records.Load() }

// The drain waits for the persistent sending queues kept in a
// drain_storage to be empty, and reports what they hold when it runs out of
// time.
func TestDrainWaitsForSendingQueues(t *testing.T) {
	for _, emptied := range []bool{true, false} {
		t.Run(map[bool]string{true: "emptied", false: "past the deadline"}[emptied], func(t *testing.T) {
			queues := &fakeQueues{}
			queues.requests.Store(2)
			queues.records.Store(150)
			h := inputtest.NewHost(map[component.ID]component.Component{
				component.MustNewID("drain_storage"): queues,
			})
			// An input to drain: HTTP, which has nothing in progress.
			cfg := createDefaultConfig().(*Config)
			cfg.HTTP.GetOrInsertDefault().ServerConfig.NetAddr.Endpoint = "127.0.0.1:0"
			cfg.DrainTimeout = 300 * time.Millisecond
			if emptied {
				cfg.DrainTimeout = inputtest.WaitFor
			}
			r := startReceiver(t, cfg, consumertest.NewNop(), h)
			stopped := make(chan error, 1)
			go func() { stopped <- r.Shutdown(context.Background()) }()
			if !emptied {
				require.EqualError(t, <-stopped, "drain: 150 records still in the persistent sending queue after 300ms")
				return
			}
			select {
			case err := <-stopped:
				t.Fatalf("Shutdown returned with records in the queue: %v", err)
			case <-time.After(100 * time.Millisecond):
			}
			queues.requests.Store(0)
			queues.records.Store(0)
			require.NoError(t, <-stopped)
		})
	}
}
