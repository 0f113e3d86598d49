//go:build !windows

package job

import (
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSignalledChildGives128PlusN(t *testing.T) {
	res, stdout, _, _ := runChild(t, "kill")
	assert.Equal(t, "before the kill\n", stdout.String())
	assert.Equal(t, 137, res.Status)
	assert.Equal(t, "SIGKILL", res.Signal)
	assert.Equal(t, 9, res.SignalNumber)
}

func TestSIGTERMIsForwardedToTheChild(t *testing.T) {
	t.Setenv("JOB_TEST_CHILD", "term")
	stdout, stderr := newOutput(t), newOutput(t)
	done := make(chan Result, 1)
	go func() {
		res, err := Run(Config{Args: []string{os.Args[0]}, Spool: t.TempDir(), SpoolLimit: 1 << 20, Stdout: stdout, Stderr: stderr})
		assert.NoError(t, err)
		done <- res
	}()
	require.Eventually(t, func() bool { return strings.Contains(stdout.String(), "ready") }, 30*time.Second, 10*time.Millisecond)
	// The wrapper gets SIGTERM (here, the test process): it is the
	// child's to handle, and the wrapper lives on to deliver.
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGTERM))
	select {
	case res := <-done:
		assert.Equal(t, 0, res.Status)
		assert.Equal(t, "ready\nhandled SIGTERM\n", stdout.String())
	case <-time.After(30 * time.Second):
		t.Fatal("the child did not end after SIGTERM")
	}
}
