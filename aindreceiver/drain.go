package aindreceiver // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver"

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.uber.org/zap"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
)

// queueCheckInterval is how often the drain looks at what the sending
// queues still hold.
const queueCheckInterval = 10 * time.Millisecond

// Shutdown drains the inputs, all at once, then stops them: the HTTP input
// stops accepting requests and waits for those in progress; the socket
// input delivers what its clients sent; the file input reads every file to
// its end and delivers what it read. Then it waits for the persistent
// sending queues kept in a drain_storage to be sent (see drainQueues). All
// of it within drain_timeout, or ctx if that ends first. When the time runs
// out with lines not delivered, the inputs say how many, and Shutdown
// returns an error (the collector then exits non-zero); the files'
// checkpoints stay where those lines begin. It is safe to call without
// Start and more than once.
func (r *aindReceiver) Shutdown(ctx context.Context) error {
	drainCtx, cancel := input.DrainContext(ctx, r.cfg.DrainTimeout)
	defer cancel()
	errs := make([]error, len(r.inputs), len(r.inputs)+1)
	var wg sync.WaitGroup
	for i, in := range r.inputs {
		wg.Go(func() { errs[i] = in.Shutdown(ctx, drainCtx) })
	}
	wg.Wait()
	if r.cfg.DrainTimeout > 0 {
		errs = append(errs, r.drainQueues(drainCtx))
	}
	r.queues = nil
	r.telemetry.Shutdown()
	return errors.Join(errs...)
}

// sendingQueues is a storage extension that knows what the persistent
// sending queues kept in it hold (drain_storage).
type sendingQueues interface {
	QueueBacklog() (requests, records int64)
}

func findSendingQueues(host component.Host) []sendingQueues {
	var out []sendingQueues
	for _, ext := range host.GetExtensions() {
		if q, ok := ext.(sendingQueues); ok {
			out = append(out, q)
		}
	}
	return out
}

// drainQueues waits until the persistent sending queues kept in a
// drain_storage extension are empty: the exporters, which shut down after
// the receivers, are still sending and retrying meanwhile. What is left
// when ctx ends stays in the queue's storage for the next start.
func (r *aindReceiver) drainQueues(ctx context.Context) error {
	if len(r.queues) == 0 {
		return nil
	}
	tick := time.NewTicker(queueCheckInterval)
	defer tick.Stop()
	for {
		var requests, records int64
		for _, q := range r.queues {
			req, rec := q.QueueBacklog()
			requests, records = requests+req, records+rec
		}
		if requests == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			r.set.Logger.Error("Drain ran out of time: records are still in the persistent sending queue; they stay in its storage and are sent at the next start from it",
				zap.Int64("records", records), zap.Int64("requests", requests), zap.Stringer("drain_timeout", r.cfg.DrainTimeout))
			return fmt.Errorf("drain: %d records still in the persistent sending queue after %s", records, r.cfg.DrainTimeout)
		case <-tick.C:
		}
	}
}
