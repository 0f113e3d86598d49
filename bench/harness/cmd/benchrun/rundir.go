package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// runDirectory is one collector run's working directory, with the
// collector's log in it. It is removed after the run unless kept (-keep),
// for a look at what the collector wrote.
type runDirectory struct {
	path, logPath string
	log           *os.File
	keep          bool
}

func newRunDirectory(prefix string, keep bool) (*runDirectory, error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, "collector.log")
	log, err := os.Create(logPath)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	if keep {
		fmt.Fprintf(os.Stderr, "benchrun: run directory %s kept\n", dir)
	}
	return &runDirectory{path: dir, logPath: logPath, log: log, keep: keep}, nil
}

func (d *runDirectory) close() {
	_ = d.log.Close()
	if !d.keep {
		_ = os.RemoveAll(d.path)
	}
}

// failure is err with the last lines of the collector's log, which say why
// a run failed more often than the harness can.
func (d *runDirectory) failure(err error) error {
	return fmt.Errorf("%w\n--- %s (last lines) ---\n%s", err, d.logPath, tail(d.logPath, 20))
}

// tail returns the last n lines of the file at path, for error messages.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	end := len(b)
	for i := len(b) - 1; i >= 0 && n >= 0; i-- {
		if b[i] == '\n' {
			n--
			if n < 0 {
				return string(b[i+1 : end])
			}
		}
	}
	return string(b)
}
