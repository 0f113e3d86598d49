package fileinput

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/fileconsumer/matcher"
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

// Shutdown drains the file input (drain), then stops it: polling stops,
// the checkpoints are saved and the store is closed. If drainCtx ends
// first, the reads in progress are cancelled: the lines they held are not
// checkpointed, and are counted and reported with the unread rest. It is
// safe to call without Start and more than once.
func (in *Input) Shutdown(ctx, drainCtx context.Context) error {
	manager := in.manager
	if manager == nil {
		return nil
	}
	in.manager = nil
	drainErr := drainCtx.Err()
	if drainErr == nil {
		drainErr = in.drain(drainCtx)
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
		in.store = nil
		return fmt.Errorf("stop file input: the reads did not stop within %s", stopGrace)
	case <-ctx.Done():
		in.store = nil
		return fmt.Errorf("stop file input: %w", ctx.Err())
	}
	closeErr := in.store.Close(ctx)
	in.store = nil
	if drainErr == nil || in.set.DrainTimeout <= 0 {
		return closeErr
	}
	return errors.Join(in.reportUndelivered(), closeErr)
}

// drain waits until the lines written before the call are delivered:
// until a poll that started after the call has read every file to its end
// (WaitDrained), or every file matched at the call was delivered up to the
// size it had then. The second ends the drain when a writer keeps
// appending, and a poll never finds the end of its file.
func (in *Input) drain(ctx context.Context) error {
	targets, err := sizes(matcher.Criteria{Include: in.cfg.Include, Exclude: in.cfg.Exclude})
	if err != nil {
		targets = nil // the polls alone tell
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	polled := make(chan error, 1)
	go func() { polled <- in.store.WaitDrained(ctx, in.flushPeriod) }()
	tick := time.NewTicker(drainCheckInterval)
	defer tick.Stop()
	for {
		select {
		case err := <-polled:
			return err
		case <-tick.C:
			if targets != nil && in.files.reached(targets) {
				return nil
			}
		}
	}
}

// reportUndelivered logs, at error level, the files whose lines were not
// all delivered when the drain ran out of time (counts, never content), and
// returns the error Shutdown returns.
func (in *Input) reportUndelivered() error {
	files, countErr := in.files.undelivered()
	var lines int64
	for _, f := range files {
		lines += f.lines
		in.set.Logger.Error("Drain ran out of time: lines of this file were not delivered; its checkpoint stays where they begin",
			zap.String("path", f.path), zap.Int64("lines", f.lines), zap.Int64("from_offset", f.from))
	}
	if countErr != nil {
		in.set.Logger.Error("Drain ran out of time, and some files could not be read to count their lines not delivered", zap.Error(countErr))
	} else if lines == 0 {
		// A poll still reading (a writer appending to a file that was not
		// there at the signal) held the drain, but every line was delivered.
		in.set.Logger.Warn("Drain ran out of time, but every line of the files read was delivered",
			zap.Stringer("drain_timeout", in.set.DrainTimeout))
		return nil
	}
	in.set.Logger.Error("Drain ran out of time: lines were not delivered",
		zap.Int64("lines", lines), zap.Int("files", len(files)), zap.Stringer("drain_timeout", in.set.DrainTimeout))
	return fmt.Errorf("drain: %d lines of %d files not delivered within %s; their checkpoints stay where they begin", lines, len(files), in.set.DrainTimeout)
}
