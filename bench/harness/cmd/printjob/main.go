// Command printjob is the job of benchrun's run mode (bench/README.md,
// "otelcol-aind run"): it prints -lines lines of -bytes bytes (newline
// included) to stdout as fast as it can, then writes its own wall time and
// CPU time to the file named by $PRINTJOB_RESULT.
//
// The lines look like a Python program's logging output on a console
// (a timestamp, a level, a logger name and a message with a counter), are
// plain text, carry no secret and are padded to their size with a
// per-channel readout. They are formatted into a bufio.Writer of -buffer
// bytes (64 KiB) over stdout, so stdout gets unbuffered write(2) calls of
// 64 KiB each and the last, short one at the flush: the fastest a program
// can print, faster per line than a Python job's print().
//
// The result file holds one line, "wall_ns cpu_ns": the wall time from the
// program's start to the return of its last write (the flush), and its own
// user+system CPU time (getrusage RUSAGE_SELF) at that moment.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"
)

// ResultEnv names the file the job writes its times to.
const ResultEnv = "PRINTJOB_RESULT"

func main() {
	start := time.Now()
	lines := flag.Int("lines", 1000000, "lines to print")
	size := flag.Int("bytes", 100, "bytes per line, newline included (at least 64)")
	buffer := flag.Int("buffer", 64<<10, "bytes per write(2) to stdout")
	flag.Parse()
	if *size < 64 || *lines < 0 || *buffer < 1 {
		fmt.Fprintln(os.Stderr, "printjob: -bytes must be ≥ 64, -lines ≥ 0, -buffer ≥ 1")
		os.Exit(2)
	}
	w := bufio.NewWriterSize(os.Stdout, *buffer)
	line := make([]byte, 0, *size)
	for i := range *lines {
		line = appendLine(line[:0], start, i, *size)
		if _, err := w.Write(line); err != nil {
			fmt.Fprintln(os.Stderr, "printjob:", err)
			os.Exit(1)
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "printjob:", err)
		os.Exit(1)
	}
	wall := time.Since(start)
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	cpu := syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime)
	if path := os.Getenv(ResultEnv); path != "" {
		if err := os.WriteFile(path, fmt.Appendf(nil, "%d %d\n", wall.Nanoseconds(), cpu), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "printjob:", err)
			os.Exit(1)
		}
	}
}

var levels = [...]string{"INFO", "INFO", "DEBUG", "INFO", "WARNING", "INFO", "DEBUG", "INFO"}

// appendLine appends line i, exactly size bytes with its newline:
// "2026-12-08 04:53:01,123 INFO acquisition.rig3: frame 0000042 acquired; ch 12 rms 3.41 uV…".
func appendLine(b []byte, base time.Time, i, size int) []byte {
	t := base.Add(time.Duration(i) * time.Microsecond)
	b = t.AppendFormat(b, "2006-01-02 15:04:05")
	b = append(b, ',')
	b = appendPadded(b, t.Nanosecond()/1e6, 3)
	b = append(b, ' ')
	b = append(b, levels[i%len(levels)]...)
	b = append(b, " acquisition.rig3: frame "...)
	b = appendPadded(b, i, 7)
	b = append(b, " acquired;"...)
	for ch := 0; len(b) < size-1; ch++ {
		b = append(b, " ch "...)
		b = strconv.AppendInt(b, int64(ch), 10)
		b = append(b, " rms 3."...)
		b = strconv.AppendInt(b, int64((i+ch)%90+10), 10)
		b = append(b, " uV"...)
	}
	b = b[:size-1]
	if b[len(b)-1] == ' ' {
		b[len(b)-1] = '.'
	}
	return append(b, '\n')
}

func appendPadded(b []byte, n, width int) []byte {
	s := strconv.Itoa(n)
	for range width - len(s) {
		b = append(b, '0')
	}
	return append(b, s...)
}
