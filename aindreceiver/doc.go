// Package aindreceiver implements the aind receiver: it tails AIND JSON
// Lines log files with contrib's fileconsumer and delivers each line as one
// log record whose body is the parsed JSON object. A file's checkpoint
// moves only after the next consumer accepted its lines.
//
// internal/metadata is written by hand in mdatagen's layout from
// metadata.yaml.
package aindreceiver // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver"
