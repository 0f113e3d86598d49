// Written by hand in mdatagen's layout; see generated_status.go.

package metadata // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"

import (
	"errors"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/otel/metric"
)

// Meter returns the meter of the aind processor's own telemetry.
func Meter(settings component.TelemetrySettings) metric.Meter {
	return settings.MeterProvider.Meter(ScopeName)
}

// TelemetryBuilder holds the instruments declared in metadata.yaml.
type TelemetryBuilder struct {
	meter                           metric.Meter
	ProcessorAindRecordsMapped      metric.Int64Counter
	ProcessorAindRecordsPassthrough metric.Int64Counter
}

// NewTelemetryBuilder creates the instruments declared in metadata.yaml.
func NewTelemetryBuilder(settings component.TelemetrySettings) (*TelemetryBuilder, error) {
	builder := TelemetryBuilder{meter: Meter(settings)}
	var err, errs error
	builder.ProcessorAindRecordsMapped, err = builder.meter.Int64Counter(
		"otelcol_processor_aind_records_mapped",
		metric.WithDescription("Number of log records mapped from the AIND standard [Alpha]"),
		metric.WithUnit("{record}"),
	)
	errs = errors.Join(errs, err)
	builder.ProcessorAindRecordsPassthrough, err = builder.meter.Int64Counter(
		"otelcol_processor_aind_records_passthrough",
		metric.WithDescription("Number of log records passed through untouched because they held no AIND record [Alpha]"),
		metric.WithUnit("{record}"),
	)
	errs = errors.Join(errs, err)
	return &builder, errs
}

// Shutdown releases the builder; it registers no callbacks, so there is
// nothing to unregister.
func (builder *TelemetryBuilder) Shutdown() {}
