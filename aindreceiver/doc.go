// Package aindreceiver implements the aind receiver. It tails AIND JSON
// Lines log files with contrib's fileconsumer, serves AIND JSON Lines and
// Loki's push API over HTTP, and reads Python logging's SocketHandler; each
// line or frame becomes one log record whose body is the parsed JSON object
// (or, from Loki pushes, the line; from the socket, the LogRecord's dict).
// A file's checkpoint moves only after the next consumer accepted its
// lines; an HTTP request is accepted or refused whole.
//
// Each input is a package of its own under internal/ (fileinput,
// httpinput, socketinput, sharing internal/input); this package is the
// wiring: the configuration, the factory, and the receiver that starts the
// inputs and drains them at shutdown. design.md maps the packages.
//
// internal/metadata is written by hand in mdatagen's layout from
// metadata.yaml.
package aindreceiver // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver"
