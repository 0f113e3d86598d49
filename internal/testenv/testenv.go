// Package testenv is how a test says that it needs something `make test`
// does not install: a Debian package, a Python module, the AIND originals
// checked out beside the repository. On a developer's machine the test
// skips and says what is missing and how to get it. Where AIND_TEST_STRICT
// is 1, as .ci/run sets it, the same test fails instead: CI installs
// everything, so a skip there would be a test that silently stopped running.
package testenv // import "github.com/AllenNeuralDynamics/otelcol-aind/internal/testenv"

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// StrictVar is the environment variable that turns Missing's skip into a
// failure.
const StrictVar = "AIND_TEST_STRICT"

// Strict reports whether a missing requirement fails the test.
func Strict() bool { return os.Getenv(StrictVar) == "1" }

// Missing ends the test for want of something: a skip with the message, or
// under StrictVar a failure with it.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if Strict() {
		t.Fatalf("%s (%s=1: CI installs this, so the test must run)", msg, StrictVar)
	}
	t.Skip(msg)
}

// Command returns the path of the command name (a name looked up in PATH,
// or an absolute path), or ends the test through Missing, naming the Debian
// package that installs it.
func Command(t testing.TB, name, debPackage string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "%s is missing: install Debian's %s (apt-get install %s)", name, debPackage, debPackage)
	}
	return path
}

// SystemPython is Debian's Python 3, the interpreter the tests run AIND's
// Python clients with: its standard library is the one rigs and capsules use,
// and it carries no module the tests did not ask for.
const SystemPython = "/usr/bin/python3"

// PythonModule returns SystemPython after checking that it imports module,
// or ends the test through Missing, naming the Debian package that
// installs it.
func PythonModule(t testing.TB, module, debPackage string) string {
	t.Helper()
	python := Command(t, SystemPython, "python3")
	if err := exec.Command(python, "-c", "import "+module).Run(); err != nil {
		Missing(t, "%s cannot import %s: install Debian's %s (apt-get install %s)",
			python, module, debPackage, debPackage)
	}
	return python
}
