// Written by hand in mdatagen's layout; see status.go.

package metadata // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"

import (
	"errors"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/otel/attribute"
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
	ProcessorAindLokiLimitFixes     metric.Int64Counter
	ProcessorAindLokiLimitUnfixable metric.Int64Counter
	ProcessorAindRedactions         metric.Int64Counter

	ProcessorAindValidationViolations metric.Int64Counter
	ProcessorAindValidationDropped    metric.Int64Counter
}

// WithRuleAttr sets the rule attribute of a measurement.
func WithRuleAttr(rule string) metric.MeasurementOption {
	return metric.WithAttributeSet(attribute.NewSet(attribute.String("rule", rule)))
}

// WithKindAttr sets the kind attribute of a measurement.
func WithKindAttr(kind string) metric.MeasurementOption {
	return metric.WithAttributeSet(attribute.NewSet(attribute.String("kind", kind)))
}

// WithLimitAttr sets the limit attribute of a measurement.
func WithLimitAttr(limit string) metric.MeasurementOption {
	return metric.WithAttributeSet(attribute.NewSet(attribute.String("limit", limit)))
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
	builder.ProcessorAindLokiLimitFixes, err = builder.meter.Int64Counter(
		"otelcol_processor_aind_loki_limit_fixes",
		metric.WithDescription("Number of log records changed to fit a Loki limit, by limit [Alpha]"),
		metric.WithUnit("{record}"),
	)
	errs = errors.Join(errs, err)
	builder.ProcessorAindLokiLimitUnfixable, err = builder.meter.Int64Counter(
		"otelcol_processor_aind_loki_limit_unfixable",
		metric.WithDescription("Number of log records that still break a Loki limit after the guard, by limit: Loki will refuse their batch [Alpha]"),
		metric.WithUnit("{record}"),
	)
	errs = errors.Join(errs, err)
	builder.ProcessorAindRedactions, err = builder.meter.Int64Counter(
		"otelcol_processor_aind_redactions",
		metric.WithDescription("Number of secrets redacted, by kind [Alpha]"),
		metric.WithUnit("{redaction}"),
	)
	errs = errors.Join(errs, err)
	builder.ProcessorAindValidationViolations, err = builder.meter.Int64Counter(
		"otelcol_processor_aind_validation_violations",
		metric.WithDescription("Number of log records that broke a rule of the AIND standard, by rule [Alpha]"),
		metric.WithUnit("{record}"),
	)
	errs = errors.Join(errs, err)
	builder.ProcessorAindValidationDropped, err = builder.meter.Int64Counter(
		"otelcol_processor_aind_validation_dropped",
		metric.WithDescription("Number of log records not delivered because they broke a rule of the AIND standard (on_violation: drop) [Alpha]"),
		metric.WithUnit("{record}"),
	)
	errs = errors.Join(errs, err)
	return &builder, errs
}

// Shutdown releases the builder; it registers no callbacks, so there is
// nothing to unregister.
func (builder *TelemetryBuilder) Shutdown() {}
