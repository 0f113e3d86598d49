// Package config holds the configurations teams copy. The capsule run's is
// also the embedded default of `otelcol-aind run`, so that a capsule needs
// no YAML of its own: embedding the file keeps the two equal.
package config // import "github.com/AllenNeuralDynamics/otelcol-aind/config"

import _ "embed"

// CapsuleRun is capsule-run.yaml.
//
//go:embed capsule-run.yaml
var CapsuleRun string
