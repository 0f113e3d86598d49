//go:build integration

// Package integration runs the built otelcol-aind against a real Grafana Loki
// (v3.7.x, built by `make loki`) on 127.0.0.1 and asserts on what Loki
// stored, queried over its HTTP API. Run it with `make test-integration`.
//
// LOKI_BIN and OTELCOL_BIN name the binaries (default ../build/loki and
// ../build/otelcol-aind).
package integration
