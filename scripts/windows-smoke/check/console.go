package main

// The checks of the run subcommand: `otelcol-aind.exe run --config
// C:\AIND-smoke\run\run.yaml -- child.exe` (scripts/windows-smoke/run.yaml).

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/scripts/windows-smoke/internal/childout"
)

// The attributes and scope the console input gives its records
// (aindreceiver/internal/consoleinput).
const (
	attrIOStream = "log.iostream"
	attrExitCode = "process.exit.code"
	attrCommand  = "process.command"
	endScope     = "otelcol-aind run"
	// wrapperPrefix begins every line the wrapper writes of its own.
	wrapperPrefix = "otelcol-aind run:"
)

// consoleRecord is a record of the console input.
type consoleRecord struct {
	stream   string // log.iostream; "" if none
	scope    string
	body     string
	exitCode *int64 // process.exit.code, if present
	command  string // process.command
	severity string
	event    string
}

func readConsoleRecords(path string) ([]consoleRecord, error) {
	var out []consoleRecord
	err := readLogs(path, func(_ pcommon.Map, sl plog.ScopeLogs, lr plog.LogRecord) {
		attrs := lr.Attributes()
		r := consoleRecord{
			stream:   str(attrs, attrIOStream),
			scope:    sl.Scope().Name(),
			body:     lr.Body().AsString(),
			command:  str(attrs, attrCommand),
			severity: lr.SeverityText(),
			event:    lr.EventName(),
		}
		if v, ok := attrs.Get(attrExitCode); ok {
			code := v.Int()
			r.exitCode = &code
		}
		out = append(out, r)
	})
	return out, err
}

// checkConsole checks the records of one run of the wrapper, and its output.
func checkConsole(path string, exit int, command string, withLines bool, stdoutPath, stderrPath string) error {
	records, err := readConsoleRecords(path)
	if err != nil {
		return err
	}
	var problems []string
	var ends []consoleRecord
	got := map[string][]string{}
	for _, r := range records {
		switch {
		case r.exitCode != nil || r.scope == endScope:
			ends = append(ends, r)
		case r.stream == childout.Stdout || r.stream == childout.Stderr:
			got[r.stream] = append(got[r.stream], r.body)
		default:
			problems = append(problems, fmt.Sprintf("a record with %s %q that is neither a line nor the end-of-run record", attrIOStream, r.stream))
		}
	}
	lines := 0
	for _, stream := range []string{childout.Stdout, childout.Stderr} {
		var want []string
		if withLines {
			want = childout.Lines(stream)
		}
		lines += len(want)
		if slices.Equal(got[stream], want) {
			continue
		}
		problems = append(problems, fmt.Sprintf("%s: %d line records, want %d", stream, len(got[stream]), len(want)))
		for i := range max(len(got[stream]), len(want)) {
			switch {
			case i >= len(got[stream]):
				problems = append(problems, fmt.Sprintf("  %s record %d missing: want %q", stream, i+1, want[i]))
			case i >= len(want):
				problems = append(problems, fmt.Sprintf("  %s record %d unexpected: %q", stream, i+1, got[stream][i]))
			case got[stream][i] != want[i]:
				problems = append(problems, fmt.Sprintf("  %s record %d: %q, want %q", stream, i+1, got[stream][i], want[i]))
			}
		}
	}
	if len(ends) != 1 {
		problems = append(problems, fmt.Sprintf("%d end-of-run records, want exactly 1", len(ends)))
	}
	for _, e := range ends {
		code := "none"
		if e.exitCode != nil {
			code = fmt.Sprint(*e.exitCode)
		}
		if code != fmt.Sprint(exit) || e.command != command {
			problems = append(problems, fmt.Sprintf("end-of-run record: %s %s, %s %q; want %d, %q", attrExitCode, code, attrCommand, e.command, exit, command))
		}
		if e.stream != "" {
			problems = append(problems, fmt.Sprintf("end-of-run record has %s %q", attrIOStream, e.stream))
		}
		if wantSev, wantEvent := endSeverity(exit); e.severity != wantSev || e.event != wantEvent {
			problems = append(problems, fmt.Sprintf("end-of-run record: severity %q, event %q; want %q, %q", e.severity, e.event, wantSev, wantEvent))
		}
	}
	if stdoutPath != "" {
		problems = append(problems, checkPassThrough(stdoutPath, stderrPath, withLines)...)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s: %d records:\n  %s", path, len(records), strings.Join(problems, "\n  "))
	}
	fmt.Printf("check: %s holds the %d line records (log.iostream stdout %d, stderr %d, in order) and one end-of-run record (%s %d, %s %q)\n",
		path, lines, len(got[childout.Stdout]), len(got[childout.Stderr]), attrExitCode, exit, attrCommand, command)
	if len(ends) == 1 {
		fmt.Printf("  end-of-run record: %q\n", ends[0].body)
	}
	return nil
}

func endSeverity(exit int) (severity, event string) {
	if exit == 0 {
		return "INFO", "stage_complete"
	}
	return "ERROR", "stage_error"
}

// checkPassThrough checks the wrapper's stdout and stderr: stdout is the
// child's, byte for byte; stderr holds the child's, and no line of the
// wrapper's own (a complete delivery says nothing). Without the child's
// lines, stdout must be empty. Only offsets and lengths are reported.
func checkPassThrough(stdoutPath, stderrPath string, withLines bool) []string {
	var problems []string
	stdout, err := os.ReadFile(stdoutPath)
	if err != nil {
		return []string{err.Error()}
	}
	stderr, err := os.ReadFile(stderrPath)
	if err != nil {
		return []string{err.Error()}
	}
	wantOut, wantErr := childout.Bytes(childout.Stdout), childout.Bytes(childout.Stderr)
	if !withLines {
		wantOut, wantErr = "", ""
	}
	if d := diff(stdout, []byte(wantOut)); d != "" {
		problems = append(problems, "the wrapper's stdout is not the child's: "+d)
	}
	rest := stderr
	if i := bytes.Index(stderr, []byte(wantErr)); i < 0 {
		problems = append(problems, fmt.Sprintf("the wrapper's stderr (%d bytes) does not hold the child's (%d bytes) in one piece", len(stderr), len(wantErr)))
	} else {
		rest = slices.Concat(stderr[:i], stderr[i+len(wantErr):])
	}
	if withLines {
		for l := range strings.Lines(string(rest)) {
			if strings.HasPrefix(l, wrapperPrefix) {
				problems = append(problems, "the wrapper reported a problem on stderr: "+strings.TrimSpace(l))
			}
		}
	}
	return problems
}

// diff says where got and want differ, in offsets and lengths only.
func diff(got, want []byte) string {
	if bytes.Equal(got, want) {
		return ""
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	return fmt.Sprintf("%d bytes, want %d; they differ from byte %d on", len(got), len(want), i)
}

// checkChild checks that the child, run alone under wine, wrote exactly
// childout's bytes: the reference the wrapper's pass-through is held to.
func checkChild(stdoutPath, stderrPath string) error {
	var errs []error
	for _, s := range []struct{ path, stream string }{{stdoutPath, childout.Stdout}, {stderrPath, childout.Stderr}} {
		b, err := os.ReadFile(s.path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if d := diff(b, []byte(childout.Bytes(s.stream))); d != "" {
			errs = append(errs, fmt.Errorf("the child's %s run alone: %s", s.stream, d))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	fmt.Printf("check: child.exe alone wrote its %d + %d bytes of stdout and stderr exactly\n",
		len(childout.Bytes(childout.Stdout)), len(childout.Bytes(childout.Stderr)))
	return nil
}
