// Written by hand in mdatagen's layout: the module proxy here serves no
// mdatagen for collector v0.165. metadata_test.go holds this package to
// ../../metadata.yaml.

// Package metadata contains the build information for the drain_storage
// extension.
package metadata // import "github.com/AllenNeuralDynamics/otelcol-aind/drainstorage/internal/metadata"

import (
	"go.opentelemetry.io/collector/component"
)

var (
	Type      = component.MustNewType("drain_storage")
	ScopeName = "github.com/AllenNeuralDynamics/otelcol-aind/drainstorage"
)

const (
	ExtensionStability = component.StabilityLevelAlpha
)
