// Command child is the job of the Windows smoke test's run of
// `otelcol-aind.exe run` (scripts/windows-smoke.sh): cross-compiled as
// child.exe, it writes childout.Writes to its stdout and stderr and exits
// with childout.ExitCode.
package main

import (
	"os"

	"github.com/AllenNeuralDynamics/otelcol-aind/scripts/windows-smoke/internal/childout"
)

func main() {
	for _, w := range childout.Writes {
		f := os.Stdout
		if w.Stream == childout.Stderr {
			f = os.Stderr
		}
		if _, err := f.WriteString(w.Text); err != nil {
			os.Exit(125)
		}
	}
	os.Exit(childout.ExitCode)
}
