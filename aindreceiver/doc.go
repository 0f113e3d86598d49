// Package aindreceiver implements the aind receiver. It tails AIND JSON
// Lines log files with contrib's fileconsumer, and serves AIND JSON Lines and
// Loki's push API over HTTP; each line becomes one log record whose body is
// the parsed JSON object (or, from Loki pushes, the line). A file's
// checkpoint moves only after the next consumer accepted its lines; an HTTP
// request is accepted or refused whole.
//
// internal/metadata is written by hand in mdatagen's layout from
// metadata.yaml.
package aindreceiver // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver"
