// Package procfs reads what the benchmarks measure of a running process
// from Linux's /proc: its CPU time and its peak resident set size. A
// collector never exits by itself, so getrusage after wait is no option:
// the runner reads these just before it stops the process.
package procfs

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// ClockTick is the unit of /proc/<pid>/stat's times: USER_HZ, 100 on
// every Linux architecture Go supports (sysconf(_SC_CLK_TCK)).
const ClockTick = 10 * time.Millisecond

// CPUTime returns the user plus system CPU time of process pid, at the
// resolution of a clock tick (10 ms).
func CPUTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return ParseStatCPU(b)
}

// ParseStatCPU returns utime+stime from the contents of /proc/<pid>/stat.
func ParseStatCPU(stat []byte) (time.Duration, error) {
	// The command name (field 2) is in parentheses and may hold spaces and
	// parentheses: fields are counted from the last ')'.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("procfs: stat: no command name")
	}
	f := strings.Fields(string(stat[i+1:]))
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return 0, fmt.Errorf("procfs: stat: %d fields after the command name", len(f))
	}
	var ticks int64
	for _, s := range f[11:13] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("procfs: stat: %v", err)
		}
		ticks += n
	}
	return time.Duration(ticks) * ClockTick, nil
}

// PeakRSS returns the peak resident set size (VmHWM) of process pid in
// bytes.
func PeakRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	return ParseStatusKB(b, "VmHWM")
}

// ParseStatusKB returns field (e.g. VmHWM, VmRSS) of the contents of
// /proc/<pid>/status, converted from kB to bytes.
func ParseStatusKB(status []byte, field string) (int64, error) {
	for line := range strings.SplitSeq(string(status), "\n") {
		rest, ok := strings.CutPrefix(line, field+":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("procfs: status: malformed %s line %q", field, line)
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("procfs: status: %v", err)
		}
		return n << 10, nil
	}
	return 0, fmt.Errorf("procfs: status: no %s line", field)
}
