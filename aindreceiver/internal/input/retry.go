package input

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.uber.org/zap"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
)

const (
	defaultBackoffInitial = 100 * time.Millisecond
	defaultBackoffMax     = 5 * time.Second
)

// Retrying hands an input's batches to the next consumer until it accepts
// them. The inputs whose source cannot be told to retry (a file, a socket)
// use it; the HTTP input answers the client instead.
type Retrying struct {
	logger    *zap.Logger
	next      consumer.Logs
	obsrecv   *receiverhelper.ObsReport
	telemetry *metadata.TelemetryBuilder
	// format names what the input reads in its obsreport spans.
	format string

	// BackoffInitial is the pause after the first refusal; each refusal
	// doubles it, up to BackoffMax. NewRetrying sets the defaults; tests
	// shorten them.
	BackoffInitial time.Duration
	BackoffMax     time.Duration
}

// NewRetrying returns a Retrying that delivers to next and reports each
// attempt in obsrecv, format naming what the input reads.
func NewRetrying(logger *zap.Logger, next consumer.Logs, obsrecv *receiverhelper.ObsReport, telemetry *metadata.TelemetryBuilder, format string) Retrying {
	return Retrying{
		logger:         logger,
		next:           next,
		obsrecv:        obsrecv,
		telemetry:      telemetry,
		format:         format,
		BackoffInitial: defaultBackoffInitial,
		BackoffMax:     defaultBackoffMax,
	}
}

// Deliver offers the batch build makes until the next consumer accepts it.
// A retryable error is retried with exponential backoff for as long as ctx
// lasts; a permanent error drops the batch (it cannot succeed) and counts
// it. build is called for each attempt, from 1: a consumer that refused
// the records may have changed them. Deliver returns ctx.Err() when ctx
// ends first, else nil.
func (c *Retrying) Deliver(ctx context.Context, build func(attempt int) plog.Logs) error {
	backoff := c.BackoffInitial
	for attempt := 1; ; attempt++ {
		ld := build(attempt)
		count := ld.LogRecordCount()
		obsCtx := c.obsrecv.StartLogsOp(ctx)
		err := c.next.ConsumeLogs(obsCtx, ld)
		c.obsrecv.EndLogsOp(obsCtx, c.format, count, err)
		if err == nil {
			return nil
		}
		if consumererror.IsPermanent(err) {
			c.telemetry.ReceiverAindDroppedRecords.Add(ctx, int64(count))
			c.logger.Error("Next consumer refused log records permanently; dropping them",
				zap.Int("records", count), zap.Error(err))
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		c.logger.Warn("Next consumer refused log records; retrying",
			zap.Int("records", count), zap.Int("attempt", attempt),
			zap.Duration("backoff", backoff), zap.Error(err))
		timer := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
		c.telemetry.ReceiverAindConsumeRetries.Add(ctx, 1)
		backoff = min(2*backoff, c.BackoffMax)
	}
}
