// Package consolespool is the on-disk spool between `otelcol-aind run`,
// which captures a job's stdout and stderr, and the aind receiver's console
// input, which delivers them. The job's writes must never wait on the
// pipeline or the backend: the wrapper appends what the job prints to the
// spool (Writer) and goes on; the console input reads it at its own pace
// (Reader) and moves a checkpoint past what the pipeline accepted. See
// design.md.
//
// A spool directory holds, for each stream (stdout, stderr):
//
//	<stream>.<start>  segments of the stream's bytes; start is the offset
//	                  of the segment's first byte in the stream, 16 digits
//	<stream>.end      written once the stream is closed (Ended)
//	<stream>.pos      the console input's checkpoint: the offset of the
//	                  first byte not yet in an accepted record
//
// and for the run: exit.json, the job's end (Exit), written by the wrapper
// after both streams ended; report.json, what the console input could not
// deliver (Report), written when it stops.
package consolespool // import "github.com/AllenNeuralDynamics/otelcol-aind/internal/consolespool"

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// The two streams of a job.
const (
	Stdout = "stdout"
	Stderr = "stderr"
)

// Streams are the streams of a job, in the order they are read.
var Streams = []string{Stdout, Stderr}

const (
	exitFile   = "exit.json"
	reportFile = "report.json"
)

// Ended is what a stream's .end file says: how long the stream was and how
// many of its lines were not spooled.
type Ended struct {
	// Bytes is the length of the stream as spooled.
	Bytes int64 `json:"bytes"`
	// DroppedLines counts the lines not spooled: past the spool's bound, or
	// after a write to it failed. They were still passed through.
	DroppedLines int64 `json:"dropped_lines"`
}

// Exit is the job's end, as the wrapper saw it.
type Exit struct {
	// Command is the program's name only: its arguments may hold secrets.
	Command string `json:"command"`
	// Code is the exit status, -1 when a signal ended the job.
	Code int `json:"code"`
	// Signal names the signal that ended the job ("SIGKILL"), if one did.
	Signal string `json:"signal,omitempty"`
	// SignalNumber is the signal's number, 0 if none.
	SignalNumber int       `json:"signal_number,omitempty"`
	Started      time.Time `json:"started"`
	Ended        time.Time `json:"ended"`
	// StartError is set when the job could not be started at all.
	StartError string `json:"start_error,omitempty"`
}

// Report is what the console input says when it stops: the lines it could
// not deliver before the drain's deadline.
type Report struct {
	// UndeliveredLines counts the spooled lines not accepted by the
	// pipeline, per stream.
	UndeliveredLines map[string]int64 `json:"undelivered_lines"`
	// EndRecordDelivered says whether the end-of-run record was accepted.
	EndRecordDelivered bool `json:"end_record_delivered"`
}

// WriteExit writes the job's end into dir.
func WriteExit(dir string, e Exit) error { return writeJSON(filepath.Join(dir, exitFile), e) }

// ReadExit reads the job's end; ok is false when it was not written yet.
func ReadExit(dir string) (e Exit, ok bool, err error) {
	return readJSON[Exit](filepath.Join(dir, exitFile))
}

// WriteReport writes the console input's report into dir.
func WriteReport(dir string, r Report) error { return writeJSON(filepath.Join(dir, reportFile), r) }

// ReadReport reads the console input's report; ok is false when none was
// written.
func ReadReport(dir string) (r Report, ok bool, err error) {
	return readJSON[Report](filepath.Join(dir, reportFile))
}

// ReadEnded reads a stream's .end file; ok is false while the stream is
// still being written.
func ReadEnded(dir, stream string) (e Ended, ok bool, err error) {
	return readJSON[Ended](filepath.Join(dir, stream+".end"))
}

// WriteCheckpoint saves a stream's checkpoint.
func WriteCheckpoint(dir, stream string, offset int64) error {
	return writeFile(filepath.Join(dir, stream+".pos"), strconv.AppendInt(nil, offset, 10))
}

// ReadCheckpoint reads a stream's checkpoint, 0 when none was saved.
func ReadCheckpoint(dir, stream string) (int64, error) {
	b, err := os.ReadFile(filepath.Join(dir, stream+".pos"))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	off, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || off < 0 {
		return 0, fmt.Errorf("checkpoint of %s in %s is not an offset", stream, dir)
	}
	return off, nil
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return writeFile(path, b)
}

func readJSON[T any](path string) (v T, ok bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return v, false, nil
	}
	if err != nil {
		return v, false, err
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return v, false, fmt.Errorf("%s is not valid: %w", filepath.Base(path), err)
	}
	return v, true, nil
}

// writeFile replaces path atomically, so that a reader sees the old
// content or the new, never a part.
func writeFile(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// segmentName is the name of the segment of stream starting at offset.
func segmentName(stream string, start int64) string {
	return fmt.Sprintf("%s.%016d", stream, start)
}
