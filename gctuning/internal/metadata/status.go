// Written by hand in mdatagen's layout: the module proxy here serves no
// mdatagen for collector v0.165. metadata_test.go holds this package to
// ../../metadata.yaml.

// Package metadata contains the build information for the gc_tuning
// extension.
package metadata // import "github.com/AllenNeuralDynamics/otelcol-aind/gctuning/internal/metadata"

import (
	"go.opentelemetry.io/collector/component"
)

var (
	Type      = component.MustNewType("gc_tuning")
	ScopeName = "github.com/AllenNeuralDynamics/otelcol-aind/gctuning"
)

const (
	ExtensionStability = component.StabilityLevelAlpha
)
