package testenv

import (
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// helperVar makes TestHelperNeedsMissing run: it is the child that the
// other tests start, with and without StrictVar.
const helperVar = "AIND_TESTENV_HELPER"

func TestHelperNeedsMissing(t *testing.T) {
	if os.Getenv(helperVar) == "" {
		t.Skip("run by TestMissingSkipsLocallyAndFailsInCI as a child process")
	}
	Command(t, "aind-no-such-command", "aind-no-such-package")
	t.Log("reached the end")
}

// runHelper runs TestHelperNeedsMissing in a child test binary with the
// given value of StrictVar and returns its verbose output and whether it
// passed.
func runHelper(t *testing.T, strict string) (string, bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperNeedsMissing$", "-test.v")
	cmd.Env = append(os.Environ(), helperVar+"=1", StrictVar+"="+strict)
	out, err := cmd.CombinedOutput()
	if err != nil {
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, "%s", out)
	}
	return string(out), err == nil
}

func TestMissingSkipsLocallyAndFailsInCI(t *testing.T) {
	out, passed := runHelper(t, "")
	assert.True(t, passed, "%s", out)
	assert.Contains(t, out, "--- SKIP: TestHelperNeedsMissing")
	assert.Contains(t, out, "aind-no-such-command is missing: install Debian's aind-no-such-package")
	assert.NotContains(t, out, "reached the end")

	out, passed = runHelper(t, "1")
	assert.False(t, passed, "%s", out)
	assert.Contains(t, out, "--- FAIL: TestHelperNeedsMissing")
	assert.Contains(t, out, StrictVar+"=1: CI installs this")
	assert.NotContains(t, out, "reached the end")
}

func TestCommandFindsWhatIsThere(t *testing.T) {
	// The test binary itself is a command that is always there.
	assert.Equal(t, os.Args[0], Command(t, os.Args[0], "none"))
}
