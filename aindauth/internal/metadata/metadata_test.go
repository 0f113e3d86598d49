package metadata

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/telemetrytest"
)

func TestMatchesMetadataYAML(t *testing.T) {
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	builder, err := NewTelemetryBuilder(tel.NewTelemetrySettings())
	require.NoError(t, err)
	defer builder.Shutdown()
	telemetrytest.CheckMetadata(t, "../../metadata.yaml", telemetrytest.Status{
		Type:      Type,
		Stability: map[string]component.StabilityLevel{"extension": ExtensionStability},
	}, tel, builder)
}
