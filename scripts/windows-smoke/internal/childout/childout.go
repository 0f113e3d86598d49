// Package childout is what the Windows smoke test's child program
// (scripts/windows-smoke/child) writes, shared with the checker
// (scripts/windows-smoke/check), which compares the wrapper's output and
// records with it.
package childout

import "strings"

// ExitCode is the child's exit status.
const ExitCode = 3

// Command is the end-of-run record's process.command for the child: the
// program's name only, as `otelcol-aind run` reports it.
const Command = "child.exe"

// The streams.
const (
	Stdout = "stdout"
	Stderr = "stderr"
)

// Write is one write of the child to one of its streams.
type Write struct {
	Stream string
	Text   string
}

// Writes are the child's writes, in order, the two streams interleaved:
// CRLF line ends as Windows programs write them, a line ended with LF only,
// non-ASCII UTF-8, a line written in two writes, and on each stream a last
// line without its line end. No line has leading or trailing blanks or is
// empty, so that every console decoder makes one record of each with the
// line as its body.
var Writes = []Write{
	{Stdout, "windows-smoke child: stdout line 1\r\n"},
	{Stderr, "windows-smoke child: stderr line 1\r\n"},
	{Stdout, "Température 37,5 °C — Ω µs 日本語 🐭\r\n"},
	{Stdout, "a line ended with LF only\n"},
	{Stderr, "erreur : données ünïcode — 日本語\r\n"},
	{Stdout, "a line written in two "},
	{Stdout, "writes\r\n"},
	{Stderr, "stderr: partial last line ü"},
	{Stdout, "stdout: partial last line — no line end"},
}

// Bytes is everything the child writes to stream.
func Bytes(stream string) string {
	var b strings.Builder
	for _, w := range Writes {
		if w.Stream == stream {
			b.WriteString(w.Text)
		}
	}
	return b.String()
}

// Lines are the lines of stream, without their line ends: the bodies of
// its records, in order.
func Lines(stream string) []string {
	lines := strings.Split(Bytes(stream), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}
