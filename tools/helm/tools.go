//go:build tools

// Package helm pins the Helm command for `go build` in this tools module.
package helm

import _ "helm.sh/helm/v3/cmd/helm"
