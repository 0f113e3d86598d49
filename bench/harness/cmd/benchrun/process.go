package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"syscall"
	"time"
)

// processRun runs a command that exits by itself (the physical reference)
// and measures it with the kernel's own account of the child: wall time
// to its exit, and getrusage's CPU time and maximum RSS.
type processRun struct {
	bin  string
	args []string
}

// physrefLines reads the line count physref prints.
var physrefLines = regexp.MustCompile(`: (\d+) lines, (\d+) errors`)

func (p processRun) run(ctx context.Context) (sample, error) {
	cmd := exec.CommandContext(ctx, p.bin, p.args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return sample{}, fmt.Errorf("%s: %v\n%s", p.bin, err, out.String())
	}
	wall := time.Since(start)
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return sample{}, fmt.Errorf("%s: no rusage", p.bin)
	}
	m := physrefLines.FindSubmatch(out.Bytes())
	if m == nil {
		return sample{}, fmt.Errorf("%s: no line count in its output:\n%s", p.bin, out.String())
	}
	lines, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return sample{
		wall:     wall,
		cpu:      time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime)),
		peakRSS:  ru.Maxrss << 10, // kB on Linux
		records:  lines,
		complete: true,
	}, nil
}
