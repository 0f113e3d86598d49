package aindreceiver // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver"

import (
	"context"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/fileconsumer"
	fileattrs "github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/fileconsumer/attrs"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/trim"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.uber.org/zap"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/checkpoint"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/utf8text"
)

// fileConsumerConfig maps the receiver's configuration onto fileconsumer's.
func (cfg *Config) fileConsumerConfig() *fileconsumer.Config {
	c := fileconsumer.NewConfig()
	c.Include = cfg.Include
	c.Exclude = cfg.Exclude
	c.StartAt = cfg.StartAt
	c.PollInterval = cfg.PollInterval
	// fileconsumer hands over at most MaxLogSize bytes of a line and drops
	// the rest of it. One byte more than max_log_size tells a line that was
	// cut from one that fits exactly: see limitLine.
	c.MaxLogSize = cfg.MaxLogSize + 1
	c.MaxLogSizeBehavior = fileconsumer.MaxLogSizeBehaviorTruncate
	// Raw bytes: lengths stay those of the file, and invalid UTF-8 is
	// replaced once, by jsonlines.DecodeLine.
	c.Encoding = "utf-8-raw"
	// No trimming by fileconsumer, so that a cut line is always one byte
	// longer than max_log_size; jsonlines.CleanLine trims afterwards.
	c.TrimConfig = trim.Config{PreserveLeading: true, PreserveTrailing: true}
	// The path is always asked for: it names the files whose lines were
	// not delivered when a drain runs out of time. The record gets only the
	// attributes the configuration asks for (fileInput.fileAttrs).
	c.IncludeFileName = cfg.IncludeFileName
	c.IncludeFilePath = true
	return c
}

const (
	// obsFormat names what the receiver reads in its obsreport spans.
	obsFormat = "aind_jsonl"

	defaultBackoffInitial = 100 * time.Millisecond
	defaultBackoffMax     = 5 * time.Second
)

// fileInput turns the lines fileconsumer reads into log records and hands
// them to the next consumer.
type fileInput struct {
	logger     *zap.Logger
	next       consumer.Logs
	obsrecv    *receiverhelper.ObsReport
	telemetry  *metadata.TelemetryBuilder
	maxLogSize int
	resource   map[string]string
	// fileAttrs are the file attributes put on each record.
	fileAttrs []string

	// checkpoints, when set, saves a file's position after each accepted
	// batch (set when the receiver has a storage extension).
	checkpoints     *checkpoint.Store
	fingerprintSize int
	// files is where each file's delivered lines end, for the report of a
	// drain that ran out of time.
	files deliveredFiles

	backoffInitial time.Duration
	backoffMax     time.Duration
}

func newFileInput(logger *zap.Logger, cfg *Config, next consumer.Logs, obsrecv *receiverhelper.ObsReport, telemetry *metadata.TelemetryBuilder) *fileInput {
	resource := make(map[string]string, len(cfg.Resource))
	for k, v := range cfg.Resource {
		resource[k] = v
	}
	var fileAttrs []string
	if cfg.IncludeFileName {
		fileAttrs = append(fileAttrs, fileattrs.LogFileName)
	}
	if cfg.IncludeFilePath {
		fileAttrs = append(fileAttrs, fileattrs.LogFilePath)
	}
	return &fileInput{
		logger:          logger,
		next:            next,
		obsrecv:         obsrecv,
		telemetry:       telemetry,
		maxLogSize:      int(cfg.MaxLogSize),
		resource:        resource,
		fileAttrs:       fileAttrs,
		fingerprintSize: int(cfg.fileConsumerConfig().FingerprintSize),
		files:           deliveredFiles{ends: map[string]deliveredFile{}},
		backoffInitial:  defaultBackoffInitial,
		backoffMax:      defaultBackoffMax,
	}
}

// line is one non-empty line of a file, ready to decode.
type line struct {
	data      []byte
	truncated bool
}

// emit is fileconsumer's callback for a batch of lines of one file. The
// reader moves the file's offset past the batch when emit returns, unless
// the context is cancelled by then; so emit returns only once the next
// consumer accepted the batch (or refused it for good), and with ctx.Err()
// when the receiver stops first. Once the batch is accepted, its end is the
// file's checkpoint. It is called concurrently for different files.
func (in *fileInput) emit(ctx context.Context, tokens [][]byte, attrs map[string]any, lastRecordNumber int64, offsets []int64) error {
	id := checkpoint.FileID(attrs)
	path, _ := attrs[fileattrs.LogFilePath].(string)
	in.files.reading(id, path, offsets[0])
	if err := in.consume(ctx, tokens, attrs); err != nil {
		return err
	}
	end := checkpoint.Position{Offset: offsets[len(tokens)], RecordNum: lastRecordNumber}
	in.files.delivered(id, end.Offset)
	if in.checkpoints != nil {
		var first []byte
		if offsets[0] == 0 {
			first = checkpoint.FirstBytes(tokens, offsets, in.fingerprintSize)
		}
		in.checkpoints.Advance(id, end, first, attrs)
	}
	return nil
}

// consume builds the batch's records and delivers them.
func (in *fileInput) consume(ctx context.Context, tokens [][]byte, attrs map[string]any) error {
	observed := pcommon.NewTimestampFromTime(time.Now())
	lines := make([]line, 0, len(tokens))
	var empty, truncated int64
	for _, token := range tokens {
		data, cut := limitLine(token, in.maxLogSize)
		data = jsonlines.CleanLine(data)
		if len(data) == 0 {
			empty++
			continue
		}
		if cut {
			truncated++
		}
		lines = append(lines, line{data: data, truncated: cut})
	}
	if empty > 0 {
		in.telemetry.ReceiverAindEmptyLines.Add(ctx, empty)
	}
	if truncated > 0 {
		in.telemetry.ReceiverAindTruncatedLines.Add(ctx, truncated)
	}
	if len(lines) == 0 {
		return nil
	}
	// The file attributes the records get, looked up once per batch.
	fileAttrs := make([][2]string, 0, len(in.fileAttrs))
	for _, k := range in.fileAttrs {
		if v, ok := attrs[k].(string); ok {
			fileAttrs = append(fileAttrs, [2]string{k, v})
		}
	}
	return in.deliver(ctx, lines, fileAttrs, observed)
}

// limitLine cuts a line longer than maxLogSize to at most maxLogSize bytes,
// ending on a UTF-8 boundary, and reports whether it did. fileconsumer hands
// over maxLogSize+1 bytes of a longer line (see fileConsumerConfig), so a
// token of that length was cut, except when its last byte is the CR of a
// CRLF ending that fileconsumer's buffer split from its LF.
func limitLine(token []byte, maxLogSize int) ([]byte, bool) {
	if len(token) <= maxLogSize {
		return token, false
	}
	if len(token) == maxLogSize+1 && token[maxLogSize] == '\r' {
		return token[:maxLogSize], false
	}
	return utf8text.Cut(token, maxLogSize), true
}

// deliver hands the lines to the next consumer until it accepts them. A
// retryable error is retried with exponential backoff for as long as the
// receiver runs; a permanent error drops the lines (they cannot succeed).
// The records are rebuilt for each attempt: a consumer that refused them
// may have changed them.
func (in *fileInput) deliver(ctx context.Context, lines []line, fileAttrs [][2]string, observed pcommon.Timestamp) error {
	backoff := in.backoffInitial
	for attempt := 1; ; attempt++ {
		ld, parseErrors := in.build(lines, fileAttrs, observed)
		if attempt == 1 && parseErrors > 0 {
			in.telemetry.ReceiverAindParseErrors.Add(ctx, int64(parseErrors))
		}
		count := ld.LogRecordCount()
		obsCtx := in.obsrecv.StartLogsOp(ctx)
		err := in.next.ConsumeLogs(obsCtx, ld)
		in.obsrecv.EndLogsOp(obsCtx, obsFormat, count, err)
		if err == nil {
			return nil
		}
		if consumererror.IsPermanent(err) {
			in.telemetry.ReceiverAindDroppedRecords.Add(ctx, int64(count))
			in.logger.Error("Next consumer refused log records permanently; dropping them",
				zap.Int("records", count), zap.Error(err))
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		in.logger.Warn("Next consumer refused log records; retrying",
			zap.Int("records", count), zap.Int("attempt", attempt),
			zap.Duration("backoff", backoff), zap.Error(err))
		timer := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
		in.telemetry.ReceiverAindConsumeRetries.Add(ctx, 1)
		backoff = min(2*backoff, in.backoffMax)
	}
}

// build makes one log record per line: body and aind.parse.error from
// jsonlines.DecodeLine, the file attributes and aind.truncated on the record, the
// static resource attributes on the resource. It returns the number of
// lines that were not a JSON object.
func (in *fileInput) build(lines []line, fileAttrs [][2]string, observed pcommon.Timestamp) (plog.Logs, int) {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	res := rl.Resource().Attributes()
	res.EnsureCapacity(len(in.resource))
	for k, v := range in.resource {
		res.PutStr(k, v)
	}
	records := rl.ScopeLogs().AppendEmpty().LogRecords()
	records.EnsureCapacity(len(lines))
	parseErrors := 0
	for _, l := range lines {
		lr := records.AppendEmpty()
		lr.SetObservedTimestamp(observed)
		// The line is fileconsumer's own copy: the record may share it.
		if !jsonlines.DecodeOwnedLine(l.data, lr) {
			parseErrors++
		}
		for _, kv := range fileAttrs {
			lr.Attributes().PutStr(kv[0], kv[1])
		}
		if l.truncated {
			lr.Attributes().PutBool(aind.AttrTruncated, true)
		}
	}
	return ld, parseErrors
}
