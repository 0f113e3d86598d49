// Package job runs the command of `otelcol-aind run` as a child process:
// it passes the child's stdout and stderr through byte for byte, spools
// them for the console input (internal/consolespool), forwards the
// signals a job expects, and reports how the child ended. See design.md.
package job // import "github.com/AllenNeuralDynamics/otelcol-aind/aindcli/internal/job"

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/consolespool"
)

// pipeSize is the size of the child's pipes where the system lets it be
// set (Linux; see growPipe), and copyBufferSize what one read of a pipe
// takes at most: a job printing fast blocks less often on a full pipe, and
// its output is passed through and spooled in fewer, larger writes.
const (
	pipeSize       = 1 << 20
	copyBufferSize = 1 << 20
)

// trailingOutputWait bounds the wait for the end of a stream once the
// child exited: a process the job left behind may hold the pipe open.
const trailingOutputWait = 5 * time.Second

// Config is what to run and where its output goes.
type Config struct {
	// Args is the command and its arguments.
	Args []string
	// Spool is the spool directory; SpoolLimit bounds each stream's spool.
	Spool      string
	SpoolLimit int64
	// Stdout and Stderr receive the child's output as it was written.
	Stdout, Stderr io.Writer
}

// Result is how the child ended.
type Result struct {
	consolespool.Exit
	// Status is the wrapper's exit status: the child's, or 128+N for
	// signal N; 127 when the command was not found, 126 when it could not
	// be run.
	Status int
	// DroppedLines counts the lines not spooled, by stream.
	DroppedLines map[string]int64
}

// Run runs the command to its end. The child inherits stdin and the
// environment. Run returns an error only when the spool could not be
// written at all; a command that cannot be started is a Result with
// StartError.
func Run(cfg Config) (Result, error) {
	res := Result{Exit: consolespool.Exit{Command: filepath.Base(cfg.Args[0]), Started: time.Now()}, DroppedLines: map[string]int64{}}
	cmd := exec.Command(cfg.Args[0], cfg.Args[1:]...)
	cmd.Stdin = os.Stdin
	procAttr(cmd)

	writers := map[string]io.Writer{consolespool.Stdout: cfg.Stdout, consolespool.Stderr: cfg.Stderr}
	var pipes []*stream
	var childEnds []*os.File
	for _, name := range consolespool.Streams {
		r, w, err := os.Pipe()
		if err != nil {
			return res, fmt.Errorf("create the %s pipe: %w", name, err)
		}
		growPipe(w)
		pipes = append(pipes, &stream{name: name, r: r, out: writers[name], spool: consolespool.NewWriter(cfg.Spool, name, cfg.SpoolLimit)})
		childEnds = append(childEnds, w)
	}
	cmd.Stdout, cmd.Stderr = childEnds[0], childEnds[1]

	// Signals are taken from before the start, so that none ends the
	// wrapper; they reach the child once it runs.
	var child atomic.Pointer[os.Process]
	stopSignals := forwardSignals(child.Load)
	defer stopSignals()
	err := cmd.Start()
	if err == nil {
		child.Store(cmd.Process)
	}
	for _, w := range childEnds {
		w.Close() // the child has its own copies
	}
	var wg sync.WaitGroup
	for _, s := range pipes {
		wg.Go(s.copy)
	}
	if err != nil {
		res.StartError = startError(err)
		res.Status = startStatus(err)
		res.Code = res.Status
	} else {
		restore := foreground(cmd)
		// Wait's error says the child failed, which the status says too.
		_ = cmd.Wait()
		restore()
		res.Code, res.Signal, res.SignalNumber = exitOf(cmd.ProcessState)
		res.Status = res.Code
		if res.SignalNumber > 0 {
			res.Status = 128 + res.SignalNumber
		}
	}
	res.Ended = time.Now()

	// The child is gone; what it wrote is in the pipes. A process it left
	// behind that still holds them open is not waited for long.
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(trailingOutputWait):
		for _, s := range pipes {
			s.r.Close()
		}
		<-done
	}
	var errs []error
	for _, s := range pipes {
		errs = append(errs, s.spool.Close())
		res.DroppedLines[s.name] = s.spool.DroppedLines()
	}
	errs = append(errs, consolespool.WriteExit(cfg.Spool, res.Exit))
	return res, errors.Join(errs...)
}

// stream is one of the child's output streams.
type stream struct {
	name  string
	r     *os.File
	out   io.Writer
	spool *consolespool.Writer
}

// copy passes the stream through and spools it until the child's end of
// the pipe is closed. Passing through stops at the first failed write (a
// closed terminal or pipe): the job goes on and its output is still
// spooled.
func (s *stream) copy() {
	buf := make([]byte, copyBufferSize)
	passThrough := true
	for {
		n, err := s.r.Read(buf)
		if n > 0 {
			if passThrough {
				if _, werr := s.out.Write(buf[:n]); werr != nil {
					passThrough = false
				}
			}
			s.spool.Write(buf[:n])
		}
		if err != nil {
			s.r.Close()
			return
		}
	}
}

// startError says why the command could not be started, naming the
// program only.
func startError(err error) string {
	switch {
	case errors.Is(err, exec.ErrNotFound), errors.Is(err, os.ErrNotExist):
		return "command not found"
	case errors.Is(err, os.ErrPermission):
		return "permission denied"
	default:
		return "could not be started"
	}
}

// startStatus is the shell's status for a command that could not be run.
func startStatus(err error) int {
	if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
		return 127
	}
	return 126
}
