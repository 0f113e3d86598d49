//go:build windows

package job

import (
	"os"
	"os/exec"
	"os/signal"
)

// procAttr leaves the child in the wrapper's console: Ctrl-C reaches both.
func procAttr(*exec.Cmd) {}

func foreground(*exec.Cmd) func() { return func() {} }

// forwardSignals keeps Ctrl-C from ending the wrapper: the child, in the
// same console, gets it itself, and the wrapper must outlive it to
// deliver its output. Windows has no signals to forward.
func forwardSignals(func() *os.Process) (stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	return func() { signal.Stop(sigs) }
}

func exitOf(state *os.ProcessState) (code int, signalName string, signalNumber int) {
	return state.ExitCode(), "", 0
}
