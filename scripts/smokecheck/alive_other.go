//go:build !windows

package main

import "syscall"

// alive reports whether the process pid still runs.
func alive(pid int) bool {
	return syscall.Kill(pid, 0) == nil
}
