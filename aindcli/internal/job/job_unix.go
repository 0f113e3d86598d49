//go:build !windows

package job

import (
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// procAttr puts the child in its own process group, so that a signal sent
// to the wrapper's group (a supervisor's, say) reaches it once, forwarded,
// not twice. On a terminal the child's group becomes the foreground one
// (see foreground), so that Ctrl-C reaches the job directly and it can
// read the terminal.
func procAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if term.IsTerminal(0) {
		cmd.SysProcAttr.Foreground = true
		cmd.SysProcAttr.Ctty = 0
	}
}

// foreground returns what gives the terminal back to the wrapper's
// process group once the child, which had it, has ended.
func foreground(cmd *exec.Cmd) (restore func()) {
	if !cmd.SysProcAttr.Foreground {
		return func() {}
	}
	return func() {
		// A background group that sets the foreground gets SIGTTOU.
		signal.Ignore(syscall.SIGTTOU)
		defer signal.Reset(syscall.SIGTTOU)
		_ = unix.IoctlSetPointerInt(0, unix.TIOCSPGRP, unix.Getpgrp())
	}
}

// forwardSignals forwards SIGINT, SIGTERM and SIGHUP to the child once it
// has started, and keeps a closed stdout (SIGPIPE) from ending the
// wrapper.
func forwardSignals(child func() *os.Process) (stop func()) {
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGPIPE)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				if s == syscall.SIGPIPE {
					continue
				}
				if p := child(); p != nil {
					_ = p.Signal(s)
				}
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}

// exitOf reads how the child ended: its exit code, or the signal that
// ended it (code -1).
func exitOf(state *os.ProcessState) (code int, signalName string, signalNumber int) {
	if ws, ok := state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		sig := ws.Signal()
		return -1, unix.SignalName(sig), int(sig)
	}
	return state.ExitCode(), "", 0
}
