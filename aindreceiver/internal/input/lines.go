package input

import (
	"context"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
)

// CountLines adds the counts of lines made records (a file's batch, an
// accepted HTTP request, a socket batch's frames) to the receiver's
// telemetry.
func CountLines(ctx context.Context, telemetry *metadata.TelemetryBuilder, c jsonlines.Counts) {
	if c.Empty > 0 {
		telemetry.ReceiverAindEmptyLines.Add(ctx, int64(c.Empty))
	}
	if c.Truncated > 0 {
		telemetry.ReceiverAindTruncatedLines.Add(ctx, int64(c.Truncated))
	}
	if c.ParseErrors > 0 {
		telemetry.ReceiverAindParseErrors.Add(ctx, int64(c.ParseErrors))
	}
}
