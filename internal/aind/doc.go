// Package aind holds the AIND logging standard once, for every component of
// otelcol-aind: the level table, the field table, the attributes the project
// adds, and timestamp parsing. Decoding lives beside it: the JSON decoder in
// internal/pdatajson, a line's record in internal/jsonlines.
//
// The standard is docs/aind-logging-standard.md; the mapping to
// OpenTelemetry it implements is docs/mapping.md.
package aind // import "github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
