package job

import (
	"os"

	"golang.org/x/sys/unix"
)

// growPipe asks for a pipe of pipeSize bytes instead of Linux's 64 KiB,
// so that a job printing fast writes more before it waits for the
// wrapper. Past /proc/sys/fs/pipe-max-size (1 MiB by default) or the
// user's pipe quota the kernel refuses, and the pipe keeps its size.
func growPipe(f *os.File) {
	if rc, err := f.SyscallConn(); err == nil {
		_ = rc.Control(func(fd uintptr) {
			_, _ = unix.FcntlInt(fd, unix.F_SETPIPE_SZ, pipeSize)
		})
	}
}
