package metadata

import (
	"testing"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/telemetrytest"
)

func TestMatchesMetadataYAML(t *testing.T) {
	telemetrytest.CheckMetadata(t, "../../metadata.yaml", telemetrytest.Status{
		Type:      Type,
		Stability: map[string]component.StabilityLevel{"extension": ExtensionStability},
	}, componenttest.NewTelemetry(), nil)
}
