package aindreceiver // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver"

import (
	"context"
	"errors"
	"fmt"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/fileconsumer"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/operator"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receiverhelper"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
)

// aindReceiver reads AIND JSON Lines files with contrib's fileconsumer
// and/or serves the HTTP input, and hands each line to the next consumer as
// one log record.
type aindReceiver struct {
	set       receiver.Settings
	cfg       *Config
	input     *fileInput // nil without include
	http      *httpInput // nil without http
	telemetry *metadata.TelemetryBuilder

	manager       *fileconsumer.Manager
	storageClient storage.Client

	// wrapPersister, set by tests only, wraps the checkpoint store handed to
	// fileconsumer.
	wrapPersister func(operator.Persister) operator.Persister
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
	if cfg.HTTP.HasValue() {
		if r.http, err = newHTTPInput(set, cfg, next, telemetry); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Start starts the HTTP server, then gets the checkpoint store and starts
// polling the files.
func (r *aindReceiver) Start(ctx context.Context, host component.Host) error {
	if r.http != nil {
		if err := r.http.start(ctx, host); err != nil {
			return err
		}
	}
	if r.input == nil {
		return nil
	}
	if err := r.startFiles(ctx, host); err != nil {
		if r.http != nil {
			err = errors.Join(err, r.http.shutdown(ctx))
		}
		return err
	}
	return nil
}

// startFiles gets the checkpoint store and starts polling the files.
func (r *aindReceiver) startFiles(ctx context.Context, host component.Host) error {
	manager, err := r.cfg.fileConsumerConfig().Build(r.set.TelemetrySettings, r.input.emit)
	if err != nil {
		return fmt.Errorf("build file input: %w", err)
	}
	client, err := getStorageClient(ctx, host, r.cfg.Storage, r.set.ID)
	if err != nil {
		return err
	}
	var persister operator.Persister
	if client != nil {
		persister = client
		if r.wrapPersister != nil {
			persister = r.wrapPersister(persister)
		}
	}
	// On error Manager.Start has started no goroutine; Stop is not called
	// because it would overwrite the stored checkpoint it failed to read.
	if err := manager.Start(persister); err != nil {
		if client != nil {
			err = errors.Join(err, client.Close(ctx))
		}
		return fmt.Errorf("start file input: %w", err)
	}
	r.manager = manager
	r.storageClient = client
	return nil
}

// Shutdown stops the HTTP server (letting requests in progress finish
// while ctx allows), stops polling, saves the checkpoints and closes the
// store. It is safe to call without Start and more than once.
func (r *aindReceiver) Shutdown(ctx context.Context) error {
	var errs []error
	if r.http != nil {
		if err := r.http.shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("stop HTTP input: %w", err))
		}
	}
	if r.manager != nil {
		// Stop cancels the reads and waits for them; a read blocked in a
		// consumer that ignores cancellation must not hang the collector.
		manager := r.manager
		r.manager = nil
		done := make(chan error, 1)
		go func() { done <- manager.Stop() }()
		select {
		case err := <-done:
			errs = append(errs, err)
		case <-ctx.Done():
			// The store is still in use by the stopping reads: leave it open.
			r.storageClient = nil
			return errors.Join(append(errs, fmt.Errorf("stop file input: %w", ctx.Err()))...)
		}
	}
	if r.storageClient != nil {
		errs = append(errs, r.storageClient.Close(ctx))
		r.storageClient = nil
	}
	r.telemetry.Shutdown()
	return errors.Join(errs...)
}
