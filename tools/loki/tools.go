//go:build tools

// Package loki pins the Loki command for `go build` in this tools module.
package loki

import _ "github.com/grafana/loki/v3/cmd/loki"
