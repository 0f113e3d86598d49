package aindreceiver // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver"

import (
	"context"
	"errors"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/consoleinput"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/fileinput"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/httpinput"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/socketinput"
)

// aindReceiver runs the configured inputs (internal/fileinput, httpinput,
// socketinput, consoleinput), which hand each line or frame to the next consumer as one
// log record, and drains them at shutdown.
type aindReceiver struct {
	set       receiver.Settings
	cfg       *Config
	telemetry *metadata.TelemetryBuilder
	// inputs are the configured inputs in the order they start: the HTTP,
	// socket and console inputs, then the files, so that a listener that cannot
	// listen fails Start before the checkpoints are read.
	inputs []input.Input
	// queues are the persistent sending queues the drain waits for.
	queues []sendingQueues
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
		r.inputs = append(r.inputs, in)
	}
	if cfg.Socket.HasValue() {
		in, err := socketinput.New(shared, *cfg.Socket.Get())
		if err != nil {
			return nil, err
		}
		r.inputs = append(r.inputs, in)
	}
	if cfg.Console.HasValue() {
		in, err := consoleinput.New(shared, *cfg.Console.Get())
		if err != nil {
			return nil, err
		}
		r.inputs = append(r.inputs, in)
	}
	if len(cfg.Include) > 0 {
		in, err := fileinput.New(shared, cfg.fileConfig())
		if err != nil {
			return nil, err
		}
		r.inputs = append(r.inputs, in)
	}
	return r, nil
}

// Start starts the inputs in order. When one fails, those already started
// are stopped.
func (r *aindReceiver) Start(ctx context.Context, host component.Host) error {
	r.queues = findSendingQueues(host)
	for _, in := range r.inputs {
		if err := in.Start(ctx, host); err != nil {
			return errors.Join(err, r.stopInputs(ctx))
		}
	}
	return nil
}

// stopInputs stops the inputs after a failed Start; those not started have
// nothing to stop.
func (r *aindReceiver) stopInputs(ctx context.Context) error {
	var errs []error
	for _, in := range r.inputs {
		errs = append(errs, in.Shutdown(ctx, ctx))
	}
	return errors.Join(errs...)
}
