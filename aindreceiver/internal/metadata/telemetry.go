// Written by hand in mdatagen's layout; see status.go.

package metadata // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"

import (
	"errors"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/otel/metric"
)

// Meter returns the meter of the aind receiver's own telemetry.
func Meter(settings component.TelemetrySettings) metric.Meter {
	return settings.MeterProvider.Meter(ScopeName)
}

// TelemetryBuilder holds the instruments declared in metadata.yaml.
type TelemetryBuilder struct {
	meter                      metric.Meter
	ReceiverAindConsumeRetries metric.Int64Counter
	ReceiverAindDroppedRecords metric.Int64Counter
	ReceiverAindEmptyLines     metric.Int64Counter
	ReceiverAindParseErrors    metric.Int64Counter
	ReceiverAindTruncatedLines metric.Int64Counter
	// ReceiverAindSocketConnections and ReceiverAindSocketConnectionsClosed
	// (by reason) count the socket input's connections; their difference is
	// the connections open.
	ReceiverAindSocketConnections       metric.Int64Counter
	ReceiverAindSocketConnectionsClosed metric.Int64Counter
	// ReceiverAindHttpBodyInFlight goes up and down with the HTTP input's
	// reservations; ReceiverAindHttpBodyInFlightRefusals counts the
	// requests it refused for want of one.
	ReceiverAindHttpBodyInFlight         metric.Int64UpDownCounter
	ReceiverAindHttpBodyInFlightRefusals metric.Int64Counter
}

// NewTelemetryBuilder creates the instruments declared in metadata.yaml.
func NewTelemetryBuilder(settings component.TelemetrySettings) (*TelemetryBuilder, error) {
	builder := TelemetryBuilder{meter: Meter(settings)}
	var err, errs error
	builder.ReceiverAindConsumeRetries, err = builder.meter.Int64Counter(
		"otelcol_receiver_aind_consume_retries",
		metric.WithDescription("Number of times a batch was offered again to the next consumer after a retryable error [Alpha]"),
		metric.WithUnit("{retry}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverAindDroppedRecords, err = builder.meter.Int64Counter(
		"otelcol_receiver_aind_dropped_records",
		metric.WithDescription("Number of log records dropped because the next consumer returned a permanent error [Alpha]"),
		metric.WithUnit("{record}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverAindEmptyLines, err = builder.meter.Int64Counter(
		"otelcol_receiver_aind_empty_lines",
		metric.WithDescription("Number of empty or whitespace-only lines skipped [Alpha]"),
		metric.WithUnit("{line}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverAindParseErrors, err = builder.meter.Int64Counter(
		"otelcol_receiver_aind_parse_errors",
		metric.WithDescription("Number of lines that were not a JSON object, delivered as raw text with aind.parse.error, and of socket frames that were not a plain pickled dict, delivered with what could be decoded and aind.parse.error [Alpha]"),
		metric.WithUnit("{line}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverAindTruncatedLines, err = builder.meter.Int64Counter(
		"otelcol_receiver_aind_truncated_lines",
		metric.WithDescription("Number of lines longer than max_log_size, delivered truncated [Alpha]"),
		metric.WithUnit("{line}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverAindSocketConnections, err = builder.meter.Int64Counter(
		"otelcol_receiver_aind_socket_connections",
		metric.WithDescription("Number of connections the socket input accepted [Alpha]"),
		metric.WithUnit("{connection}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverAindSocketConnectionsClosed, err = builder.meter.Int64Counter(
		"otelcol_receiver_aind_socket_connections_closed",
		metric.WithDescription("Number of connections of the socket input that were closed, by reason [Alpha]"),
		metric.WithUnit("{connection}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverAindHttpBodyInFlight, err = builder.meter.Int64UpDownCounter(
		"otelcol_receiver_aind_http_body_in_flight",
		metric.WithDescription("Bytes the bodies of the HTTP requests in progress hold, decompressed, counted against max_bytes_in_flight [Alpha]"),
		metric.WithUnit("By"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverAindHttpBodyInFlightRefusals, err = builder.meter.Int64Counter(
		"otelcol_receiver_aind_http_body_in_flight_refusals",
		metric.WithDescription("Number of HTTP requests refused with 503 because the bodies of the requests in progress held max_bytes_in_flight [Alpha]"),
		metric.WithUnit("{request}"),
	)
	errs = errors.Join(errs, err)
	return &builder, errs
}

// Shutdown releases the builder; it registers no callbacks, so there is
// nothing to unregister.
func (builder *TelemetryBuilder) Shutdown() {}
