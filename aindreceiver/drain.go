package aindreceiver // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver"

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/fileconsumer/matcher"
	"go.opentelemetry.io/collector/component"
	"go.uber.org/zap"
)

const (
	// stopGrace bounds the wait for the file reads to stop once they are
	// cancelled, after the drain.
	stopGrace = 5 * time.Second
	// drainCheckInterval is how often a drain compares what was delivered
	// with what it waits for.
	drainCheckInterval = 10 * time.Millisecond
)

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
	tick := time.NewTicker(drainCheckInterval)
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

// stopFiles drains the file input (drainFiles), then stops it. If drainCtx
// ends first, the reads in progress are cancelled: the lines they held are
// not checkpointed, and are counted and reported with the unread rest.
func (r *aindReceiver) stopFiles(ctx, drainCtx context.Context) error {
	manager := r.manager
	r.manager = nil
	drainErr := drainCtx.Err()
	if drainErr == nil {
		drainErr = r.drainFiles(drainCtx)
	}

	// Stop cancels the reads and waits for them; a read blocked in a
	// consumer that ignores cancellation must not hang the collector.
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopGrace)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- manager.Stop() }()
	select {
	case err := <-done:
		if err != nil {
			return err
		}
	case <-stopCtx.Done():
		// The store is still in use by the stopping reads: leave it open.
		r.checkpoints = nil
		return fmt.Errorf("stop file input: the reads did not stop within %s", stopGrace)
	case <-ctx.Done():
		r.checkpoints = nil
		return fmt.Errorf("stop file input: %w", ctx.Err())
	}
	closeErr := r.checkpoints.Close(ctx)
	r.checkpoints = nil
	if drainErr == nil || r.cfg.DrainTimeout <= 0 {
		return closeErr
	}
	return errors.Join(r.reportUndelivered(), closeErr)
}

// drainFiles waits until the lines written before the call are delivered:
// until a poll that started after the call has read every file to its end
// (WaitDrained), or every file matched at the call was delivered up to the
// size it had then. The second ends the drain when a writer keeps
// appending, and a poll never finds the end of its file.
func (r *aindReceiver) drainFiles(ctx context.Context) error {
	targets, err := sizes(matcher.Criteria{Include: r.cfg.Include, Exclude: r.cfg.Exclude})
	if err != nil {
		targets = nil // the polls alone tell
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	polled := make(chan error, 1)
	go func() { polled <- r.checkpoints.WaitDrained(ctx, r.flushPeriod) }()
	tick := time.NewTicker(drainCheckInterval)
	defer tick.Stop()
	for {
		select {
		case err := <-polled:
			return err
		case <-tick.C:
			if targets != nil && r.input.files.reached(targets) {
				return nil
			}
		}
	}
}

// reportUndelivered logs, at error level, the files whose lines were not
// all delivered when the drain ran out of time (counts, never content), and
// returns the error Shutdown returns.
func (r *aindReceiver) reportUndelivered() error {
	files, countErr := r.input.files.undelivered()
	var lines int64
	for _, f := range files {
		lines += f.lines
		r.set.Logger.Error("Drain ran out of time: lines of this file were not delivered; its checkpoint stays where they begin",
			zap.String("path", f.path), zap.Int64("lines", f.lines), zap.Int64("from_offset", f.from))
	}
	if countErr != nil {
		r.set.Logger.Error("Drain ran out of time, and some files could not be read to count their lines not delivered", zap.Error(countErr))
	} else if lines == 0 {
		// A poll still reading (a writer appending to a file that was not
		// there at the signal) held the drain, but every line was delivered.
		r.set.Logger.Warn("Drain ran out of time, but every line of the files read was delivered",
			zap.Stringer("drain_timeout", r.cfg.DrainTimeout))
		return nil
	}
	r.set.Logger.Error("Drain ran out of time: lines were not delivered",
		zap.Int64("lines", lines), zap.Int("files", len(files)), zap.Stringer("drain_timeout", r.cfg.DrainTimeout))
	return fmt.Errorf("drain: %d lines of %d files not delivered within %s; their checkpoints stay where they begin", lines, len(files), r.cfg.DrainTimeout)
}
