// Written by hand in mdatagen's layout; see status.go.

package metadata // import "github.com/AllenNeuralDynamics/otelcol-aind/aindauth/internal/metadata"

import (
	"errors"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// Meter returns the meter of the aindauth extension's own telemetry.
func Meter(settings component.TelemetrySettings) metric.Meter {
	return settings.MeterProvider.Meter(ScopeName)
}

// TelemetryBuilder holds the instruments declared in metadata.yaml.
type TelemetryBuilder struct {
	meter                            metric.Meter
	ExtensionAindauthRequestsRefused metric.Int64Counter
	ExtensionAindauthReloadFailures  metric.Int64Counter
}

// WithReasonAttr sets the reason attribute of a measurement.
func WithReasonAttr(reason string) metric.MeasurementOption {
	return metric.WithAttributeSet(attribute.NewSet(attribute.String("reason", reason)))
}

// NewTelemetryBuilder creates the instruments declared in metadata.yaml.
func NewTelemetryBuilder(settings component.TelemetrySettings) (*TelemetryBuilder, error) {
	builder := TelemetryBuilder{meter: Meter(settings)}
	var err, errs error
	builder.ExtensionAindauthRequestsRefused, err = builder.meter.Int64Counter(
		"otelcol_extension_aindauth_requests_refused",
		metric.WithDescription("Number of requests refused, by reason [Alpha]"),
		metric.WithUnit("{request}"),
	)
	errs = errors.Join(errs, err)
	builder.ExtensionAindauthReloadFailures, err = builder.meter.Int64Counter(
		"otelcol_extension_aindauth_reload_failures",
		metric.WithDescription("Number of times the tokens file was found missing or invalid for a new reason; the clients of the last good file stay in force [Alpha]"),
		metric.WithUnit("{failure}"),
	)
	errs = errors.Join(errs, err)
	return &builder, errs
}

// Shutdown releases the builder; it registers no callbacks, so there is
// nothing to unregister.
func (builder *TelemetryBuilder) Shutdown() {}
