package aindreceiver // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver"

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/fileconsumer"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receiverhelper"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/checkpoint"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/httpinput"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/socketinput"
)

// aindReceiver reads AIND JSON Lines files with contrib's fileconsumer,
// serves the HTTP input and the socket input, as configured, and hands each
// line or frame to the next consumer as one log record.
type aindReceiver struct {
	set   receiver.Settings
	cfg   *Config
	input *fileInput // nil without include
	// listeners are the HTTP and socket inputs, as configured, in the
	// order they start.
	listeners []input.Input
	telemetry *metadata.TelemetryBuilder

	manager     *fileconsumer.Manager
	checkpoints *checkpoint.Store
	// queues are the persistent sending queues the drain waits for.
	queues []sendingQueues

	// flushPeriod is fileconsumer's: how long it waits before emitting a
	// line whose newline has not been written.
	flushPeriod time.Duration

	// wrapStorage, set by tests only, wraps the storage client under the
	// checkpoint store.
	wrapStorage func(storage.Client) storage.Client
}

var _ receiver.Logs = (*aindReceiver)(nil)

func newReceiver(set receiver.Settings, cfg *Config, next consumer.Logs) (*aindReceiver, error) {
	telemetry, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	r := &aindReceiver{
		set:       set,
		cfg:       cfg,
		telemetry: telemetry,
	}
	if len(cfg.Include) > 0 {
		obsrecv, err := receiverhelper.NewObsReport(receiverhelper.ObsReportSettings{
			ReceiverID:             set.ID,
			Transport:              "file",
			LongLivedCtx:           true,
			ReceiverCreateSettings: set,
		})
		if err != nil {
			return nil, err
		}
		r.input = newFileInput(set.Logger, cfg, next, obsrecv, telemetry)
	}
	shared := input.Settings{
		Settings:     set,
		Next:         next,
		Telemetry:    telemetry,
		Resource:     cfg.Resource,
		MaxLogSize:   int(cfg.MaxLogSize),
		DrainTimeout: cfg.DrainTimeout,
	}
	if cfg.HTTP.HasValue() {
		in, err := httpinput.New(shared, *cfg.HTTP.Get())
		if err != nil {
			return nil, err
		}
		r.listeners = append(r.listeners, in)
	}
	if cfg.Socket.HasValue() {
		in, err := socketinput.New(shared, *cfg.Socket.Get())
		if err != nil {
			return nil, err
		}
		r.listeners = append(r.listeners, in)
	}
	return r, nil
}

// Start starts the HTTP server and the socket listener, then gets the
// checkpoint store and starts polling the files. When one fails, those
// already started are stopped.
func (r *aindReceiver) Start(ctx context.Context, host component.Host) error {
	r.queues = findSendingQueues(host)
	err := r.start(ctx, host)
	if err != nil {
		err = errors.Join(err, r.stopListeners(ctx))
	}
	return err
}

func (r *aindReceiver) start(ctx context.Context, host component.Host) error {
	for _, in := range r.listeners {
		if err := in.Start(ctx, host); err != nil {
			return err
		}
	}
	if r.input == nil {
		return nil
	}
	return r.startFiles(ctx, host)
}

// stopListeners stops the HTTP and socket inputs after a failed Start.
func (r *aindReceiver) stopListeners(ctx context.Context) error {
	var errs []error
	for _, in := range r.listeners {
		errs = append(errs, in.Shutdown(ctx, ctx))
	}
	return errors.Join(errs...)
}

// startFiles gets the checkpoint store and starts polling the files.
func (r *aindReceiver) startFiles(ctx context.Context, host component.Host) error {
	fcConfig := r.cfg.fileConsumerConfig()
	manager, err := fcConfig.Build(r.set.TelemetrySettings, r.input.emit)
	if err != nil {
		return fmt.Errorf("build file input: %w", err)
	}
	client, err := getStorageClient(ctx, host, r.cfg.Storage, r.set.ID)
	if err != nil {
		return err
	}
	// Without a storage extension offsets live in memory; the store still
	// tells the drain when polls end.
	durable := client != nil
	if !durable {
		client = storage.NewNopClient()
	}
	if r.wrapStorage != nil {
		client = r.wrapStorage(client)
	}
	checkpoints := checkpoint.NewStore(client, r.set.Logger, r.input.window)
	if durable {
		r.input.checkpoints = checkpoints
	}
	// On error Manager.Start has started no goroutine; Stop is not called
	// because it would overwrite the stored checkpoint it failed to read.
	if err := manager.Start(checkpoints); err != nil {
		r.input.checkpoints = nil
		return errors.Join(fmt.Errorf("start file input: %w", err), checkpoints.Close(ctx))
	}
	r.flushPeriod = fcConfig.FlushPeriod
	r.manager = manager
	r.checkpoints = checkpoints
	return nil
}

// Shutdown drains the inputs, then stops them: the HTTP input stops
// accepting requests and waits for those in progress; the file input reads
// every file to its end and delivers what it read (see stopFiles). Then it
// waits for the persistent sending queues kept in a drain_storage to be
// sent (see drainQueues). All of it within drain_timeout, or ctx if that
// ends first. Then polling stops, the checkpoints are saved and the store
// is closed. When the time runs out with lines not delivered, Shutdown says
// how many and returns an error (the collector then exits non-zero); their
// checkpoints stay where they begin. It is safe to call without Start and
// more than once.
func (r *aindReceiver) Shutdown(ctx context.Context) error {
	drainCtx, cancel := input.DrainContext(ctx, r.cfg.DrainTimeout)
	defer cancel()
	var (
		wg       sync.WaitGroup
		filesErr error
	)
	if r.manager != nil {
		wg.Go(func() { filesErr = r.stopFiles(ctx, drainCtx) })
	}
	listenerErrs := make([]error, len(r.listeners))
	for i, in := range r.listeners {
		wg.Go(func() { listenerErrs[i] = in.Shutdown(ctx, drainCtx) })
	}
	wg.Wait()
	errs := append([]error{filesErr}, listenerErrs...)
	if r.cfg.DrainTimeout > 0 {
		errs = append(errs, r.drainQueues(drainCtx))
	}
	r.queues = nil
	r.telemetry.Shutdown()
	return errors.Join(errs...)
}
