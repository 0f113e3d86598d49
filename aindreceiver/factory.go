package aindreceiver // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/consoleinput"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/fileinput"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/httpinput"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/socketinput"
)

// NewFactory returns the factory of the aind receiver, which reads AIND
// JSON Lines log files and, when configured, accepts logs over HTTP and
// from Python logging's SocketHandler.
func NewFactory() receiver.Factory {
	return receiver.NewFactory(
		metadata.Type,
		createDefaultConfig,
		receiver.WithLogs(createLogsReceiver, metadata.LogsStability),
	)
}

func createDefaultConfig() component.Config {
	// The file input's keys are top-level keys, the others' are sections.
	files := fileinput.NewDefaultConfig()
	return &Config{
		StartAt:            files.StartAt,
		PollInterval:       files.PollInterval,
		IncludeFileName:    files.IncludeFileName,
		MaxBatchesInFlight: files.MaxBatchesInFlight,
		Format:             files.Format,
		MaxLogSize:         input.DefaultMaxLogSize,
		DrainTimeout:       input.DefaultDrainTimeout,
		HTTP:               configoptional.Default(httpinput.NewDefaultConfig()),
		Socket:             configoptional.Default(socketinput.NewDefaultConfig()),
		Console:            configoptional.Default(consoleinput.NewDefaultConfig()),
	}
}

func createLogsReceiver(
	_ context.Context,
	set receiver.Settings,
	cfg component.Config,
	next consumer.Logs,
) (receiver.Logs, error) {
	return newReceiver(set, cfg.(*Config), next)
}
