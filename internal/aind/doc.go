// Package aind holds the AIND logging standard once, for every component of
// otelcol-aind: the level table, the field table, timestamp parsing and the
// decoding of one JSON Lines record straight into pdata.
//
// The standard is docs/aind-logging-standard.md; the mapping to
// OpenTelemetry it implements is docs/aind-mapping.md.
package aind // import "github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
