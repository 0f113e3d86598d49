package aindreceiver // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/httpinput"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/socketinput"
)

// NewFactory returns the factory of the aind receiver, which reads AIND
// JSON Lines log files and, when configured, accepts logs over HTTP.
func NewFactory() receiver.Factory {
	return receiver.NewFactory(
		metadata.Type,
		createDefaultConfig,
		receiver.WithLogs(createLogsReceiver, metadata.LogsStability),
	)
}

func createDefaultConfig() component.Config {
	return &Config{
		StartAt:         StartAtEnd,
		PollInterval:    defaultPollInterval,
		MaxLogSize:      input.DefaultMaxLogSize,
		IncludeFileName: true,
		DrainTimeout:    input.DefaultDrainTimeout,
		// Four round trips at once per file; see MaxBatchesInFlight.
		MaxBatchesInFlight: defaultMaxBatchesInFlight,
		HTTP:               configoptional.Default(httpinput.NewDefaultConfig()),
		Socket:             configoptional.Default(socketinput.NewDefaultConfig()),
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
