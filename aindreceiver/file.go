package aindreceiver // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver"

import (
	"context"
	"maps"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/fileconsumer"
	fileattrs "github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/fileconsumer/attrs"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/trim"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.uber.org/zap"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/batchwindow"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/checkpoint"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
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
	// cut from one that fits exactly: see jsonlines.Builder.CutRaw.
	c.MaxLogSize = cfg.MaxLogSize + 1
	c.MaxLogSizeBehavior = fileconsumer.MaxLogSizeBehaviorTruncate
	// Raw bytes: lengths stay those of the file, and invalid UTF-8 is
	// replaced once, by jsonlines.DecodeLine.
	c.Encoding = "utf-8-raw"
	// No trimming by fileconsumer, so that a cut line is always one byte
	// longer than max_log_size; the Builder cleans the line afterwards.
	c.TrimConfig = trim.Config{PreserveLeading: true, PreserveTrailing: true}
	// The path is always asked for: it names the files whose lines were
	// not delivered when a drain runs out of time. The record gets only the
	// attributes the configuration asks for (fileInput.fileAttrs).
	c.IncludeFileName = cfg.IncludeFileName
	c.IncludeFilePath = true
	return c
}

// batchesInFlightAllFiles bounds the batches of all files in delivery at
// once (6,400 lines). A backlog of many files would otherwise hold
// max_batches_in_flight built batches per file in the pipeline, most of
// them waiting for the sending queue; 64 keep its 4 consumers busy.
const batchesInFlightAllFiles = 64

// obsFormat names what the file input reads in its obsreport spans.
const obsFormat = "aind_jsonl"

// fileInput turns the lines fileconsumer reads into log records and hands
// them to the next consumer.
type fileInput struct {
	logger    *zap.Logger
	telemetry *metadata.TelemetryBuilder
	// retry delivers the batches: a file cannot be told to send again.
	retry input.Retrying
	// lines builds the records; each batch uses a copy, which counts the
	// batch's lines.
	lines    jsonlines.Builder
	resource map[string]string
	// fileAttrs are the file attributes put on each record.
	fileAttrs []string

	// checkpoints, when set, saves a file's position after each accepted
	// batch (set when the receiver has a storage extension).
	checkpoints     *checkpoint.Store
	fingerprintSize int
	// files is where each file's delivered lines end, for the report of a
	// drain that ran out of time.
	files deliveredFiles
	// window bounds each file's batches in delivery and orders their
	// acceptance for the checkpoints.
	window *batchwindow.Windows[acceptedBatch]
}

func newFileInput(logger *zap.Logger, cfg *Config, next consumer.Logs, obsrecv *receiverhelper.ObsReport, telemetry *metadata.TelemetryBuilder) *fileInput {
	resource := maps.Clone(cfg.Resource)
	var fileAttrs []string
	if cfg.IncludeFileName {
		fileAttrs = append(fileAttrs, fileattrs.LogFileName)
	}
	if cfg.IncludeFilePath {
		fileAttrs = append(fileAttrs, fileattrs.LogFilePath)
	}
	return &fileInput{
		logger:    logger,
		telemetry: telemetry,
		retry:     input.NewRetrying(logger, next, obsrecv, telemetry, obsFormat),
		// fileconsumer cut the lines at their raw bytes (see
		// fileConsumerConfig) and gives each line away as a fresh copy.
		lines:           jsonlines.Builder{MaxLogSize: int(cfg.MaxLogSize), CutRaw: true, Owned: true},
		resource:        resource,
		fileAttrs:       fileAttrs,
		fingerprintSize: int(cfg.fileConsumerConfig().FingerprintSize),
		files:           deliveredFiles{ends: map[string]deliveredFile{}},
		window:          batchwindow.New[acceptedBatch](cfg.MaxBatchesInFlight, batchesInFlightAllFiles),
	}
}

// emit is fileconsumer's callback for a batch of lines of one file. The
// reader moves the file's offset past the batch when emit returns, unless
// the context is cancelled by then. emit prepares the batch's lines and
// starts their delivery: it returns once the file has room in its window
// (batchwindow), at most max_batches_in_flight batches in delivery, or
// with ctx.Err() when the receiver stops first. Once a batch and every
// batch of the file read before it are accepted, its end is the file's
// checkpoint; the save of fileconsumer's own record waits for the batches
// in delivery (checkpoint.Deliveries). It is called concurrently for
// different files.
func (in *fileInput) emit(ctx context.Context, tokens [][]byte, attrs map[string]any, lastRecordNumber int64, offsets []int64) error {
	id := checkpoint.FileID(attrs)
	path, _ := attrs[fileattrs.LogFilePath].(string)
	in.files.reading(id, path, offsets[0])
	start := checkpoint.Position{Offset: offsets[0], RecordNum: lastRecordNumber - int64(len(tokens))}
	done := acceptedBatch{id: id, end: checkpoint.Position{Offset: offsets[len(tokens)], RecordNum: lastRecordNumber}}
	if in.checkpoints != nil && offsets[0] == 0 {
		// The reader keeps using its map; the journal needs the first
		// batch's view of it.
		done.first = checkpoint.FirstBytes(tokens, offsets, in.fingerprintSize)
		done.attrs = maps.Clone(attrs)
	}
	lines := in.prepare(tokens, attrs)
	b, err := in.window.Begin(ctx, id, start, done)
	if err != nil {
		return err
	}
	go func() {
		accepted := in.deliver(ctx, lines) == nil
		in.window.Finish(b, accepted, in.accept)
	}()
	return nil
}

// acceptedBatch is what the checkpoint needs of a batch once it counts as
// accepted.
type acceptedBatch struct {
	id    string
	end   checkpoint.Position
	first []byte         // the file's first bytes, for its first batch
	attrs map[string]any // with first
}

// accept moves the file's delivered end, and its checkpoint, to the end of
// an accepted batch.
func (in *fileInput) accept(a acceptedBatch) {
	in.files.delivered(a.id, a.end.Offset)
	if in.checkpoints != nil {
		in.checkpoints.Advance(a.id, a.end, a.first, a.attrs)
	}
}

// preparedBatch is a batch's lines, ready to be built into records, with
// the builder that builds them.
type preparedBatch struct {
	builder jsonlines.Builder
	lines   []jsonlines.Line
}

// prepare cleans and cuts the batch's lines (jsonlines.Builder.Prepare)
// and looks up the file attributes its records get. The lines hold the
// tokens, which fileconsumer gives away; the slice of them it reuses.
func (in *fileInput) prepare(tokens [][]byte, attrs map[string]any) *preparedBatch {
	p := &preparedBatch{builder: in.lines, lines: make([]jsonlines.Line, 0, len(tokens))}
	p.builder.Observed = pcommon.NewTimestampFromTime(time.Now())
	for _, token := range tokens {
		if line, ok := p.builder.Prepare(token); ok {
			p.lines = append(p.lines, line)
		}
	}
	p.builder.Attributes = make([][2]string, 0, len(in.fileAttrs))
	for _, k := range in.fileAttrs {
		if v, ok := attrs[k].(string); ok {
			p.builder.Attributes = append(p.builder.Attributes, [2]string{k, v})
		}
	}
	return p
}

// deliver builds the batch's records and delivers them.
func (in *fileInput) deliver(ctx context.Context, p *preparedBatch) error {
	if len(p.lines) == 0 {
		input.CountLines(ctx, in.telemetry, p.builder.Counts())
		return nil
	}
	return in.retry.Deliver(ctx, func(attempt int) plog.Logs {
		ld := in.build(&p.builder, p.lines)
		if attempt == 1 {
			// The lines' counts, parse errors of this first build included;
			// later attempts build the same records again.
			input.CountLines(ctx, in.telemetry, p.builder.Counts())
		}
		return ld
	})
}

// build makes one log record per line (see jsonlines.Builder.Append), with
// the static resource attributes on the resource.
func (in *fileInput) build(lines *jsonlines.Builder, batch []jsonlines.Line) plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	res := rl.Resource().Attributes()
	res.EnsureCapacity(len(in.resource))
	for k, v := range in.resource {
		res.PutStr(k, v)
	}
	records := rl.ScopeLogs().AppendEmpty().LogRecords()
	records.EnsureCapacity(len(batch))
	for _, line := range batch {
		lines.Append(records, line)
	}
	return ld
}
