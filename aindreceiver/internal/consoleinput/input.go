// Package consoleinput is the aind receiver's console input: it delivers
// the stdout and stderr of the job that `otelcol-aind run` runs, reading
// them from the spool the run command writes (internal/consolespool), one
// record per console line (internal/consoletext), then one end-of-run
// record. See design.md.
package consoleinput // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/consoleinput"

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.uber.org/zap"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/consolespool"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/consoletext"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
)

const (
	// obsFormat names what the console input reads in its obsreport spans.
	obsFormat = "console"
	// readBufferSize is the most one read of the spool takes.
	readBufferSize = 256 << 10
	// batchRecords is how many records make a batch worth delivering
	// while the spool has more to read; once it has nothing more, what is
	// ready goes at once. One read bounds a batch: readBufferSize bytes.
	batchRecords = 1000
	// AttrIOStream is semconv's name of the stream a line came from.
	AttrIOStream = "log.iostream"
)

// Input delivers a run's console output. Each stream is read by its own
// goroutine, which delivers one batch at a time and moves the stream's
// checkpoint past each accepted batch.
type Input struct {
	set      input.Settings
	cfg      Config
	retry    input.Retrying
	lines    consoletext.Config
	resource map[string]string

	// stop is closed when Shutdown begins.
	stop chan struct{}
	// ctx bounds the deliveries: cancelled once the drain's time is up.
	ctx    context.Context
	cancel context.CancelFunc
	// done is closed when every goroutine of the input has ended.
	done chan struct{}

	mu sync.Mutex
	// severities counts the records accepted, by severity.
	severities severityCounts
	// undelivered counts, by stream, the spooled lines not accepted when
	// the input stopped.
	undelivered  map[string]int64
	endDelivered bool
}

var _ input.Input = (*Input)(nil)

// New returns the console input of cfg.
func New(set input.Settings, cfg Config) (*Input, error) {
	obsrecv, err := set.NewObsReport(obsFormat, true)
	if err != nil {
		return nil, err
	}
	return &Input{
		set:   set,
		cfg:   cfg,
		retry: input.NewRetrying(set.Logger, set.Next, obsrecv, set.Telemetry, obsFormat),
		lines: consoletext.Config{
			MaxLogSize:     set.MaxLogSize,
			HoldInterval:   cfg.HoldInterval,
			RedrawInterval: cfg.RedrawInterval,
		},
		resource:    maps.Clone(set.Resource),
		stop:        make(chan struct{}),
		undelivered: map[string]int64{},
	}, nil
}

// Start follows the spool's streams.
func (in *Input) Start(context.Context, component.Host) error {
	in.ctx, in.cancel = context.WithCancel(context.Background())
	in.done = make(chan struct{})
	var streams sync.WaitGroup
	for _, stream := range consolespool.Streams {
		streams.Go(func() { in.follow(stream) })
	}
	go func() {
		streams.Wait()
		in.deliverEnd()
		close(in.done)
	}()
	return nil
}

// Shutdown lets the streams be read to their end and delivered, with the
// end-of-run record, until drainCtx ends; then it reports what was not
// delivered, in the spool's report and, as counts, in the log.
func (in *Input) Shutdown(ctx, drainCtx context.Context) error {
	if in.done == nil {
		return nil
	}
	select {
	case <-in.stop:
	default:
		close(in.stop)
	}
	select {
	case <-in.done:
	case <-drainCtx.Done():
		in.cancel()
		select {
		case <-in.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	in.cancel()

	in.mu.Lock()
	report := consolespool.Report{UndeliveredLines: maps.Clone(in.undelivered), EndRecordDelivered: in.endDelivered}
	in.mu.Unlock()
	var errs []error
	if err := consolespool.WriteReport(in.cfg.Spool, report); err != nil {
		errs = append(errs, fmt.Errorf("write the console input's report: %w", err))
	}
	var total int64
	for _, n := range report.UndeliveredLines {
		total += n
	}
	if total > 0 {
		in.set.Logger.Warn("Console lines not delivered before the drain's deadline; they stay in the spool",
			zap.Int64("stdout_lines", report.UndeliveredLines[consolespool.Stdout]),
			zap.Int64("stderr_lines", report.UndeliveredLines[consolespool.Stderr]))
		errs = append(errs, fmt.Errorf("console input: %d lines not delivered", total))
	}
	return errors.Join(errs...)
}

// follow reads one stream from its checkpoint and delivers its records
// until the stream ended and all of it was delivered, or the input stops.
func (in *Input) follow(stream string) {
	spool := in.cfg.Spool
	from, err := consolespool.ReadCheckpoint(spool, stream)
	if err != nil {
		in.set.Logger.Error("Cannot read the console checkpoint; reading the stream from its start", zap.String("stream", stream), zap.Error(err))
	}
	reader := consolespool.NewReader(spool, stream, from)
	defer reader.Close()
	decoder := consoletext.NewDecoder(in.lines)
	checkpoint := from
	// next is the least observed time of the stream's next record: the
	// records' times increase along the stream (consoletext.AppendRecords).
	var next pcommon.Timestamp
	buf := make([]byte, readBufferSize)
	var records []consoletext.Record
	wait := time.NewTimer(0)
	defer wait.Stop()
	<-wait.C
	for {
		n, err := reader.Read(buf)
		if err != nil {
			in.set.Logger.Error("Cannot read the console spool", zap.String("stream", stream), zap.Error(err))
		}
		now := time.Now()
		final := false
		if n > 0 {
			records = decoder.Write(buf[:n], now, records)
		} else {
			records = decoder.Tick(now, records)
			ended, ok, err := consolespool.ReadEnded(spool, stream)
			switch {
			case err != nil:
				in.set.Logger.Error("Cannot read the end of a console stream", zap.String("stream", stream), zap.Error(err))
			case ok && reader.Offset() >= ended.Bytes:
				records = decoder.Flush(records)
				final = true
			}
			if !final && in.stopping() {
				// Stopped before the stream ended (a reload): what is
				// held stays after the checkpoint, read again next time.
				final = true
			}
		}
		if len(records) > 0 && (len(records) >= batchRecords || n == 0) {
			if !in.deliver(stream, records, &next) {
				in.countUndelivered(stream, checkpoint)
				return
			}
			records = records[:0]
		}
		if len(records) == 0 && from+decoder.Consumed() != checkpoint {
			checkpoint = from + decoder.Consumed()
			if err := consolespool.WriteCheckpoint(spool, stream, checkpoint); err != nil {
				in.set.Logger.Error("Cannot save the console checkpoint", zap.String("stream", stream), zap.Error(err))
			}
			reader.Release(checkpoint)
		}
		if final {
			return
		}
		if n == 0 {
			wait.Reset(in.cfg.PollInterval)
			select {
			case <-wait.C:
			case <-in.stop:
				// Look once more at once: the stream may have ended.
				wait.Stop()
			}
		}
	}
}

func (in *Input) stopping() bool {
	select {
	case <-in.stop:
		return true
	default:
		return false
	}
}

// deliver delivers the records of one stream and counts them by severity
// once accepted. It reports false when the drain's time ran out first.
func (in *Input) deliver(stream string, records []consoletext.Record, next *pcommon.Timestamp) bool {
	var counts severityCounts
	observed := max(pcommon.NewTimestampFromTime(time.Now()), *next)
	*next = observed + pcommon.Timestamp(len(records))
	err := in.retry.Deliver(in.ctx, func(attempt int) plog.Logs {
		ld := in.build(stream, records, observed)
		if attempt == 1 {
			counts = countSeverities(ld)
			input.CountLines(in.ctx, in.set.Telemetry, jsonlines.Counts{Truncated: consoletext.Truncated(records)})
		}
		return ld
	})
	if err != nil {
		return false
	}
	in.mu.Lock()
	in.severities.add(counts)
	in.mu.Unlock()
	return true
}

// build makes the records of one stream into logs, with the receiver's
// resource and the stream on every record.
func (in *Input) build(stream string, records []consoletext.Record, observed pcommon.Timestamp) plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	in.putResource(rl.Resource().Attributes())
	consoletext.AppendRecords(rl, records, observed, [][2]string{{AttrIOStream, stream}})
	return ld
}

func (in *Input) putResource(attrs pcommon.Map) {
	attrs.EnsureCapacity(len(in.resource))
	for k, v := range in.resource {
		attrs.PutStr(k, v)
	}
}

// countUndelivered counts the lines of stream spooled past checkpoint.
func (in *Input) countUndelivered(stream string, checkpoint int64) {
	n, err := consolespool.CountLines(in.cfg.Spool, stream, checkpoint)
	if err != nil {
		in.set.Logger.Error("Cannot count the console lines not delivered", zap.String("stream", stream), zap.Error(err))
	}
	in.mu.Lock()
	in.undelivered[stream] = n
	in.mu.Unlock()
}
