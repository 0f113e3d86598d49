//go:build tools

// Package goreleaser pins the GoReleaser command for `go build` in this tools
// module.
package goreleaser

import _ "github.com/goreleaser/goreleaser/v2"
