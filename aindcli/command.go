// Package aindcli is the otelcol-aind command: the collector's own command
// with the `run` subcommand added. ocb generates the distribution's
// components (otelcol-dev/components.go); the Makefile puts a main.go
// beside them that calls this package (main.go.tmpl), so that the
// subcommand is added without editing what ocb generates.
package aindcli // import "github.com/AllenNeuralDynamics/otelcol-aind/aindcli"

import (
	"errors"

	"github.com/spf13/cobra"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/provider/envprovider"
	"go.opentelemetry.io/collector/confmap/provider/fileprovider"
	"go.opentelemetry.io/collector/confmap/provider/yamlprovider"
	"go.opentelemetry.io/collector/otelcol"
)

// Settings are the collector settings of the distribution: its build
// information, the generated components and the env, file and yaml
// configuration providers.
func Settings(components func() (otelcol.Factories, error), info component.BuildInfo) otelcol.CollectorSettings {
	return otelcol.CollectorSettings{
		BuildInfo: info,
		Factories: components,
		ConfigProviderSettings: otelcol.ConfigProviderSettings{
			ResolverSettings: confmap.ResolverSettings{
				ProviderFactories: []confmap.ProviderFactory{
					envprovider.NewFactory(),
					fileprovider.NewFactory(),
					yamlprovider.NewFactory(),
				},
			},
		},
	}
}

// NewCommand returns the collector's command with the run subcommand.
func NewCommand(set otelcol.CollectorSettings) *cobra.Command {
	cmd := otelcol.NewCommand(set)
	cmd.AddCommand(newRunCommand(set))
	return cmd
}

// ExitError is the exit status a command asks for.
type ExitError struct{ Status int }

func (e *ExitError) Error() string { return "exit status" }

// ExitCode is the process's exit status for what the command returned:
// the status an ExitError asks for, 1 for any other error.
func ExitCode(err error) int {
	var exit *ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.Status
	default:
		return 1
	}
}
