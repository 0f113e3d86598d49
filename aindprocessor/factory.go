package aindprocessor // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
)

// NewFactory returns the factory of the aind processor.
func NewFactory() processor.Factory {
	return processor.NewFactory(
		metadata.Type,
		func() component.Config { return createDefaultConfig() },
		processor.WithLogs(createLogs, metadata.LogsStability),
	)
}

func createLogs(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Logs) (processor.Logs, error) {
	telemetry, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	p := newLogsProcessor(cfg.(*Config), telemetry)
	if p.guardErr != nil {
		telemetry.Shutdown()
		return nil, p.guardErr
	}
	if err := p.redaction.compileErr(); err != nil {
		telemetry.Shutdown()
		return nil, err
	}
	return processorhelper.NewLogs(ctx, set, cfg, next, p.processLogs,
		// The processor rewrites records in place and moves them between
		// ResourceLogs, so it must get its own copy in a fan-out.
		processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: true}),
		processorhelper.WithShutdown(func(context.Context) error {
			telemetry.Shutdown()
			return nil
		}),
	)
}
