// Written by hand in mdatagen's layout: the module proxy here serves no
// mdatagen for collector v0.165. metadata_test.go holds this package to
// ../../metadata.yaml.

// Package metadata contains the telemetry and build information for the
// aindauth extension.
package metadata // import "github.com/AllenNeuralDynamics/otelcol-aind/aindauth/internal/metadata"

import (
	"go.opentelemetry.io/collector/component"
)

var (
	Type      = component.MustNewType("aindauth")
	ScopeName = "github.com/AllenNeuralDynamics/otelcol-aind/aindauth"
)

const (
	ExtensionStability = component.StabilityLevelAlpha
)
