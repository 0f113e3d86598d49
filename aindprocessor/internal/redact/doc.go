// Package redact replaces secrets (passwords, tokens, keys) in log batches
// before they leave the collector: the value under a blocked key name, and
// the secrets the built-in detectors and the configured patterns find
// inside strings, in every record, resource and scope.
//
// New compiles a Config once into an immutable Redactor; Redactor.Redact
// redacts a batch in place and reports the redactions per kind. How the
// scan works and what it costs is design.md; what a user configures is the
// Redaction section of the aind processor's README.
package redact // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"
