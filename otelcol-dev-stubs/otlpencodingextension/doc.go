// Package otlpencodingextension is an intentionally empty stand-in for the
// contrib module of the same path.
//
// fileexporter v0.165.0 depends on otlpencodingextension only from its tests,
// but ocb's `go mod tidy` still needs that module's go.mod, and the module
// proxy available to this project refuses to serve it. builder-config.yaml
// replaces the module with this directory so that the otelcol-dev
// distribution can be generated and built. Nothing in the collector imports
// this package; do not add code here.
package otlpencodingextension
