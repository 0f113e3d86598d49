package consoleinput

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.uber.org/zap"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/consolespool"
)

// The end-of-run record's event names: log-schema's vocabulary for the
// end of a stage.
const (
	EventStageComplete = "stage_complete"
	EventStageError    = "stage_error"
)

// The end-of-run record's attributes: semconv's process attributes, and
// ours for what semconv has no name for.
const (
	AttrExitCode     = "process.exit.code"
	AttrExitSignal   = "process.exit.signal"
	AttrCommand      = "process.command"
	AttrCreationTime = "process.creation.time"
	AttrExitTime     = "process.exit.time"
	// AttrDuration is the job's wall time in seconds.
	AttrDuration = "aind.run.duration"
	// AttrRecordsPrefix prefixes the counts of the console's records by
	// severity: aind.run.records.error, ... and .unset.
	AttrRecordsPrefix = "aind.run.records."
	// AttrDroppedLines counts the lines not spooled (past its bound).
	AttrDroppedLines = "aind.run.lines.dropped"
	// AttrEventType repeats the EventName under log-schema's own key:
	// Loki 3.7 does not store a record's EventName, and a query filters on
	// event_type as it does on log-schema's records.
	AttrEventType = "event_type"
	// endScope is the end-of-run record's scope.
	endScope = "otelcol-aind run"
	// endDeliveredFile marks, in the spool, that the end-of-run record was
	// accepted, so that a reload does not send it twice.
	endDeliveredFile = "end.delivered"
)

// deliverEnd delivers the end-of-run record once the job ended and its
// streams were delivered. The run command writes exit.json just after it
// ended the streams, so it may not be there yet: it is waited for until the
// input stops.
func (in *Input) deliverEnd() {
	spool := in.cfg.Spool
	exit, ok, err := consolespool.ReadExit(spool)
	for err == nil && !ok && in.ctx.Err() == nil {
		select {
		case <-time.After(in.cfg.PollInterval):
		case <-in.stop:
		}
		exit, ok, err = consolespool.ReadExit(spool)
		if !ok && in.stopping() {
			break
		}
	}
	if err != nil {
		in.set.Logger.Error("Cannot read how the job ended", zap.Error(err))
		return
	}
	if !ok || in.ctx.Err() != nil {
		return
	}
	marker := filepath.Join(spool, endDeliveredFile)
	if _, err := os.Stat(marker); err == nil {
		in.setEndDelivered()
		return
	}
	var dropped int64
	for _, stream := range consolespool.Streams {
		if ended, ok, err := consolespool.ReadEnded(spool, stream); err == nil && ok {
			dropped += ended.DroppedLines
		}
	}
	in.mu.Lock()
	counts := in.severities
	in.mu.Unlock()
	err = in.retry.Deliver(in.ctx, func(int) plog.Logs { return in.buildEnd(exit, counts, dropped) })
	if err != nil {
		return
	}
	if err := os.WriteFile(marker, nil, 0o600); err != nil {
		in.set.Logger.Error("Cannot mark the end-of-run record delivered", zap.Error(err))
	}
	in.setEndDelivered()
}

func (in *Input) setEndDelivered() {
	in.mu.Lock()
	in.endDelivered = true
	in.mu.Unlock()
}

// buildEnd makes the end-of-run record, the standard's canonical log line
// of the run: how the job ended, how long it ran, and its records by
// severity.
func (in *Input) buildEnd(exit consolespool.Exit, counts severityCounts, dropped int64) plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	in.putResource(rl.Resource().Attributes())
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName(endScope)
	lr := sl.LogRecords().AppendEmpty()
	lr.SetTimestamp(pcommon.NewTimestampFromTime(exit.Ended))
	lr.SetObservedTimestamp(pcommon.NewTimestampFromTime(time.Now()))

	status := exit.Code
	if exit.SignalNumber > 0 {
		status = 128 + exit.SignalNumber
	}
	duration := exit.Ended.Sub(exit.Started)
	rounded := duration.Round(time.Millisecond)
	var body string
	switch {
	case exit.StartError != "":
		body = fmt.Sprintf("%s could not be started: %s", exit.Command, exit.StartError)
	case exit.SignalNumber > 0:
		body = fmt.Sprintf("%s was ended by %s after %s", exit.Command, exit.Signal, rounded)
	default:
		body = fmt.Sprintf("%s exited with status %d after %s", exit.Command, status, rounded)
	}
	lr.Body().SetStr(body)
	if status == 0 {
		lr.SetSeverityNumber(plog.SeverityNumberInfo)
		lr.SetSeverityText("INFO")
		lr.SetEventName(EventStageComplete)
	} else {
		lr.SetSeverityNumber(plog.SeverityNumberError)
		lr.SetSeverityText("ERROR")
		lr.SetEventName(EventStageError)
	}
	attrs := lr.Attributes()
	attrs.PutStr(AttrEventType, lr.EventName())
	attrs.PutInt(AttrExitCode, int64(status))
	if exit.Signal != "" {
		attrs.PutStr(AttrExitSignal, exit.Signal)
	}
	attrs.PutStr(AttrCommand, exit.Command)
	attrs.PutStr(AttrCreationTime, exit.Started.UTC().Format(time.RFC3339Nano))
	attrs.PutStr(AttrExitTime, exit.Ended.UTC().Format(time.RFC3339Nano))
	attrs.PutDouble(AttrDuration, duration.Seconds())
	for b, n := range counts {
		attrs.PutInt(AttrRecordsPrefix+severityBuckets[b], n)
	}
	if dropped > 0 {
		attrs.PutInt(AttrDroppedLines, dropped)
	}
	return ld
}
