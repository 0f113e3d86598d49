//go:build integration

package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// collectorProcess is the built otelcol-aind running one configuration.
type collectorProcess struct {
	cmd     *exec.Cmd
	logPath string
	exited  chan struct{}
}

// startCollector runs otelcol-aind with the given configuration file and
// environment (added to the test's own). It is stopped at the end of the
// test if the test did not stop it.
func startCollector(t *testing.T, configPath string, env ...string) *collectorProcess {
	t.Helper()
	bin := binary(t, "OTELCOL_BIN", "../build/otelcol-aind")
	c := &collectorProcess{logPath: filepath.Join(t.TempDir(), "collector.log")}
	logFile, err := os.Create(c.logPath)
	require.NoError(t, err)
	c.cmd = exec.Command(bin, "--config", configPath)
	c.cmd.Env = append(os.Environ(), env...)
	c.cmd.Stdout, c.cmd.Stderr = logFile, logFile
	require.NoError(t, c.cmd.Start())
	c.exited = make(chan struct{})
	go func() {
		_ = c.cmd.Wait()
		logFile.Close()
		close(c.exited)
	}()
	t.Cleanup(func() {
		c.stop(t)
		if t.Failed() {
			t.Logf("collector log:\n%s", c.logTail())
		}
	})
	// A configuration error ends the collector at once: fail now rather
	// than wait for lines that cannot come.
	select {
	case <-c.exited:
		t.Fatalf("collector exited at start:\n%s", c.logTail())
	case <-time.After(time.Second):
	}
	return c
}

// stopTimeout is how long stop waits after SIGTERM: the shipped configs'
// drain at shutdown (60 s) and a margin.
const stopTimeout = 75 * time.Second

// stop ends the collector with SIGTERM (a graceful shutdown: the drain,
// then the last checkpoints), killing it after stopTimeout.
func (c *collectorProcess) stop(t *testing.T) {
	t.Helper()
	select {
	case <-c.exited:
		return
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
	case <-time.After(stopTimeout):
		_ = c.cmd.Process.Kill()
		<-c.exited
		t.Errorf("collector did not stop within %s of SIGTERM", stopTimeout)
	}
}

// log is the collector's whole log so far.
func (c *collectorProcess) log(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(c.logPath)
	require.NoError(t, err)
	return string(data)
}

func (c *collectorProcess) logTail() string {
	data, _ := os.ReadFile(c.logPath)
	if len(data) > 6000 {
		data = data[len(data)-6000:]
	}
	return string(data)
}

// writeConfig writes a collector configuration for one test.
func writeConfig(t *testing.T, yaml string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "collector.yaml")
	require.NoError(t, os.WriteFile(path, []byte(yaml), 0o600))
	return path
}
