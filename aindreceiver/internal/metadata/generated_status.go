// Written by hand in mdatagen's layout: no mdatagen release served by the
// module proxy here works with collector v0.165. Keep in sync with
// ../../metadata.yaml.

// Package metadata contains the telemetry and build information for the
// aind receiver.
package metadata // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"

import (
	"go.opentelemetry.io/collector/component"
)

var (
	Type      = component.MustNewType("aind")
	ScopeName = "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver"
)

const (
	LogsStability = component.StabilityLevelAlpha
)
