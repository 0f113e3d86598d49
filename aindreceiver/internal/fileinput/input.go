// Package fileinput is the aind receiver's file input: contrib's
// fileconsumer reads the files, and the input delivers each batch of lines
// it emits, checkpoints it once accepted, and drains the files at
// shutdown. See design.md.
package fileinput // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/fileinput"

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/fileconsumer"
	fileattrs "github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/fileconsumer/attrs"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/batchwindow"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/checkpoint"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/consoletext"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
)

// batchesInFlightAllFiles bounds the batches of all files in delivery at
// once (6,400 lines). A backlog of many files would otherwise hold
// max_batches_in_flight built batches per file in the pipeline, most of
// them waiting for the sending queue; 64 keep its 4 consumers busy.
const batchesInFlightAllFiles = 64

// obsFormat names what the file input reads in its obsreport spans.
const obsFormat = "aind_jsonl"

// Input turns the lines fileconsumer reads into log records and hands them
// to the next consumer.
type Input struct {
	set       input.Settings
	cfg       Config
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

	manager *fileconsumer.Manager
	// store is the persister fileconsumer is given, durable or not: it
	// tells the drain when polls end.
	store *checkpoint.Store
	// flushPeriod is fileconsumer's: how long it waits before emitting a
	// line whose newline has not been written.
	flushPeriod time.Duration

	// wrapStorage, set by tests only, wraps the storage client under the
	// checkpoint store.
	wrapStorage func(storage.Client) storage.Client
}

var _ input.Input = (*Input)(nil)

// New returns the file input of cfg.
func New(set input.Settings, cfg Config) (*Input, error) {
	obsrecv, err := set.NewObsReport("file", true)
	if err != nil {
		return nil, err
	}
	var fileAttrs []string
	if cfg.IncludeFileName {
		fileAttrs = append(fileAttrs, fileattrs.LogFileName)
	}
	if cfg.IncludeFilePath {
		fileAttrs = append(fileAttrs, fileattrs.LogFilePath)
	}
	return &Input{
		set:       set,
		cfg:       cfg,
		telemetry: set.Telemetry,
		retry:     input.NewRetrying(set.Logger, set.Next, obsrecv, set.Telemetry, obsFormat),
		// fileconsumer cut the lines at their raw bytes (see
		// fileConsumerConfig) and gives each line away as a fresh copy.
		lines:           jsonlines.Builder{MaxLogSize: set.MaxLogSize, CutRaw: true, Owned: true},
		resource:        maps.Clone(set.Resource),
		fileAttrs:       fileAttrs,
		fingerprintSize: int(cfg.fileConsumerConfig(set.MaxLogSize).FingerprintSize),
		files:           deliveredFiles{ends: map[string]deliveredFile{}},
		window:          batchwindow.New[acceptedBatch](cfg.MaxBatchesInFlight, batchesInFlightAllFiles),
	}, nil
}

// Start gets the checkpoint store and starts polling the files.
func (in *Input) Start(ctx context.Context, host component.Host) error {
	fcConfig := in.cfg.fileConsumerConfig(in.set.MaxLogSize)
	manager, err := fcConfig.Build(in.set.TelemetrySettings, in.emit)
	if err != nil {
		return fmt.Errorf("build file input: %w", err)
	}
	client, err := getStorageClient(ctx, host, in.cfg.Storage, in.set.ID)
	if err != nil {
		return err
	}
	// Without a storage extension offsets live in memory; the store still
	// tells the drain when polls end.
	durable := client != nil
	if !durable {
		client = storage.NewNopClient()
	}
	if in.wrapStorage != nil {
		client = in.wrapStorage(client)
	}
	store := checkpoint.NewStore(client, in.set.Logger, in.window)
	if durable {
		in.checkpoints = store
	}
	// On error Manager.Start has started no goroutine; Stop is not called
	// because it would overwrite the stored checkpoint it failed to read.
	if err := manager.Start(store); err != nil {
		in.checkpoints = nil
		return errors.Join(fmt.Errorf("start file input: %w", err), store.Close(ctx))
	}
	in.flushPeriod = fcConfig.FlushPeriod
	in.manager = manager
	in.store = store
	return nil
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
func (in *Input) emit(ctx context.Context, tokens [][]byte, attrs map[string]any, lastRecordNumber int64, offsets []int64) error {
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
func (in *Input) accept(a acceptedBatch) {
	in.files.delivered(a.id, a.end.Offset)
	if in.checkpoints != nil {
		in.checkpoints.Advance(a.id, a.end, a.first, a.attrs)
	}
}

// preparedBatch is a batch's lines, ready to be built into records, with
// the builder that builds them; or, for a text file, its records.
type preparedBatch struct {
	builder jsonlines.Builder
	lines   []jsonlines.Line
	text    []consoletext.Record
}

// prepare cleans and cuts the batch's lines (jsonlines.Builder.Prepare)
// and looks up the file attributes its records get. The lines hold the
// tokens, which fileconsumer gives away; the slice of them it reuses.
func (in *Input) prepare(tokens [][]byte, attrs map[string]any) *preparedBatch {
	p := &preparedBatch{builder: in.lines}
	p.builder.Observed = pcommon.NewTimestampFromTime(time.Now())
	if in.cfg.Format == FormatText {
		p.text = in.decodeText(tokens)
	} else {
		p.lines = make([]jsonlines.Line, 0, len(tokens))
		for _, token := range tokens {
			if line, ok := p.builder.Prepare(token); ok {
				p.lines = append(p.lines, line)
			}
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

// decodeText reads a batch of a text file's lines as console lines. Each
// batch is decoded on its own, so that its end is a record's end and the
// checkpoints stay those of the lines: a traceback split by a batch's end
// (100 lines) becomes two records.
func (in *Input) decodeText(tokens [][]byte) []consoletext.Record {
	d := consoletext.NewDecoder(consoletext.Config{MaxLogSize: in.set.MaxLogSize})
	now := time.Now()
	records := make([]consoletext.Record, 0, len(tokens))
	for _, token := range tokens {
		records = d.Write(token, now, records)
		records = d.Write(newline, now, records)
	}
	return d.Flush(records)
}

var newline = []byte{'\n'}

// deliver builds the batch's records and delivers them.
func (in *Input) deliver(ctx context.Context, p *preparedBatch) error {
	if len(p.lines) == 0 && len(p.text) == 0 {
		input.CountLines(ctx, in.telemetry, p.builder.Counts())
		return nil
	}
	if in.cfg.Format == FormatText {
		return in.retry.Deliver(ctx, func(attempt int) plog.Logs {
			if attempt == 1 {
				input.CountLines(ctx, in.telemetry, jsonlines.Counts{Truncated: consoletext.Truncated(p.text)})
			}
			return in.buildText(p)
		})
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
func (in *Input) build(lines *jsonlines.Builder, batch []jsonlines.Line) plog.Logs {
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

// buildText makes a text file's batch of records into logs, with the file
// attributes.
func (in *Input) buildText(p *preparedBatch) plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	res := rl.Resource().Attributes()
	for k, v := range in.resource {
		res.PutStr(k, v)
	}
	consoletext.AppendRecords(rl, p.text, p.builder.Observed, p.builder.Attributes)
	return ld
}
