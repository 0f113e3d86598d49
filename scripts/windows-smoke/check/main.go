// Command check writes the input of the Windows smoke test
// (scripts/windows-smoke.sh) and checks what the collector made of it.
//
// The collector, build/otelcol-aind.exe under wine, runs with
// scripts/windows-smoke/smoke.yaml: it tails C:\AIND-smoke\logs\*.jsonl and
// writes OTLP JSON (one ExportLogsServiceRequest per line) with contrib's
// file exporter. The input is what a rig's Python programs write on Windows:
// CRLF line ends, a UTF-8 byte order mark, non-ASCII text and a non-ASCII
// file name, an empty line, a line that is not JSON, and a file the exclude
// pattern must leave alone, and the two forms of pattern (\ and /).
//
// Usage:
//
//	check -write DIR -run N     write run N's lines into DIR (run 1 creates
//	                            the files, runs 2 and 3 append)
//	check -count FILE           print how many records FILE holds (0 if missing)
//	check -run N -out FILE      compare FILE with the records run N must have
//	      -host NAME            produced, exactly; NAME is COMPUTERNAME
//	check -child-stdout FILE    check that the child (scripts/windows-smoke/child),
//	      -child-stderr FILE    run alone, wrote exactly childout's bytes
//	check -console FILE         check the records of a run of
//	      -exit N -command NAME `otelcol-aind.exe run -- ...`: the child's lines
//	      [-lines]              (with -lines; none without) with their
//	      [-stdout FILE]        log.iostream, in order, and exactly one
//	      [-stderr FILE]        end-of-run record with process.exit.code N and
//	                            process.command NAME; with -stdout and -stderr,
//	                            that the wrapper's stdout is the child's, byte
//	                            for byte, and its stderr holds the child's
//
// Runs 2 and 3 start the collector again on the same checkpoints (run 3 as
// a Windows service): each must deliver its appended lines and nothing else.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// Windows paths of the input, as the collector must report them in
// log.file.path (the smoke config's include is C:\AIND-smoke\logs\*.jsonl).
const (
	windowsDir   = `C:\AIND-smoke\logs`
	rigFile      = "rig.jsonl"
	unicodeFile  = "données.jsonl"
	excludedFile = "skip-me.jsonl"
	// Matched by an include written with / (C:/AIND-smoke/logs/fwd/*.jsonl):
	// found all the same, and reported with \.
	slashFile = `fwd\slash-include.jsonl`
	// Excluded by a pattern written with / only: on Windows that pattern
	// never matches (the found paths have \), so the file is read. This
	// records the behaviour docs/rigs.md and rig-agent.yaml describe; if a
	// later fileconsumer changes it, this check says so.
	slashExcludedFile = "slash-exclude-ignored.jsonl"
)

const (
	rigID  = "NP.1"     // the script sets AIBS_RIG_ID (upper case)
	compID = "NP.1-Acq" // and aibs_comp_id (lower case)
)

const nonASCII = "Température 37,5 °C — Ω µs 日本語 🐭"

// line is one input line; want is the record it must become (nil: none).
type line struct {
	text string
	want *record
}

// record is what the checker compares: the fields of one log record and of
// its resource that the smoke test is about.
type record struct {
	file       string // log.file.name
	path       string // log.file.path
	body       string
	sevNumber  plog.SeverityNumber
	sevText    string
	parseError bool   // aind.parse.error present
	hostName   string // resource host.name; "" = COMPUTERNAME
	service    string // resource service.name
	rigID      string // resource rig_id
	compID     string // resource comp_id
}

func (r record) String() string {
	return fmt.Sprintf("file=%q path=%q severity=%d/%q body=%q parse_error=%t resource{host.name=%q service.name=%q rig_id=%q comp_id=%q}",
		r.file, r.path, r.sevNumber, r.sevText, r.body, r.parseError, r.hostName, r.service, r.rigID, r.compID)
}

func want(file, body string, sev plog.SeverityNumber, sevText, service string) *record {
	return &record{file: file, path: windowsDir + `\` + file, body: body, sevNumber: sev, sevText: sevText,
		service: service, rigID: rigID, compID: compID}
}

const bom = "\ufeff"

// The first run's files.
var firstRun = map[string][]line{
	rigFile: {
		{bom + `{"timestamp":"2026-02-09T21:19:24.061270Z","level":"INFO","message":"Starting program","hostname":"W10DT713843","software_name":"waterlog"}`,
			func() *record {
				r := want(rigFile, "Starting program", plog.SeverityNumberInfo, "INFO", "waterlog")
				r.hostName = "W10DT713843" // the line's own hostname wins over COMPUTERNAME
				return r
			}()},
		{`{"timestamp":"2026-02-09T21:19:25Z","level":"WARNING","message":"` + nonASCII + `","software_name":"waterlog"}`,
			want(rigFile, nonASCII, plog.SeverityNumberWarn, "WARNING", "waterlog")},
		{"", nil}, // an empty line: skipped
		{`{"timestamp":"2026-02-09T21:19:26Z","level":"error","message":"two spaces at the end  ","software_name":"waterlog"}`,
			want(rigFile, "two spaces at the end  ", plog.SeverityNumberError, "error", "waterlog")},
		{"not JSON — ünïcode", func() *record {
			r := want(rigFile, "not JSON — ünïcode", plog.SeverityNumberUnspecified, "", "aind")
			r.parseError = true
			return r
		}()},
	},
	unicodeFile: {
		{`{"timestamp":"2026-02-09T21:19:27Z","level":"DEBUG","message":"from a file with a non-ASCII name","software_name":"waterlog"}`,
			want(unicodeFile, "from a file with a non-ASCII name", plog.SeverityNumberDebug, "DEBUG", "waterlog")},
	},
	excludedFile: {
		{`{"timestamp":"2026-02-09T21:19:28Z","level":"ERROR","message":"excluded: must not be read"}`, nil},
	},
	slashFile: {
		{`{"timestamp":"2026-02-09T21:19:29Z","level":"INFO","message":"found by an include with slashes","software_name":"waterlog"}`,
			func() *record {
				r := want("slash-include.jsonl", "found by an include with slashes", plog.SeverityNumberInfo, "INFO", "waterlog")
				r.path = windowsDir + `\` + slashFile
				return r
			}()},
	},
	slashExcludedFile: {
		{`{"timestamp":"2026-02-09T21:19:30Z","level":"INFO","message":"an exclude with slashes does not match","software_name":"waterlog"}`,
			want(slashExcludedFile, "an exclude with slashes does not match", plog.SeverityNumberInfo, "INFO", "waterlog")},
	},
}

// The lines appended before the second and third runs.
var secondRun = map[string][]line{
	rigFile: {
		{`{"timestamp":"2026-02-09T21:20:00Z","level":"CRITICAL","message":"after the restart","software_name":"waterlog"}`,
			want(rigFile, "after the restart", plog.SeverityNumberFatal, "CRITICAL", "waterlog")},
	},
}

var thirdRun = map[string][]line{
	unicodeFile: {
		{`{"timestamp":"2026-02-09T21:21:00Z","level":"INFO","message":"read by the Windows service","software_name":"waterlog"}`,
			want(unicodeFile, "read by the Windows service", plog.SeverityNumberInfo, "INFO", "waterlog")},
	},
}

var runs = map[int]map[string][]line{1: firstRun, 2: secondRun, 3: thirdRun}

func main() {
	write := flag.String("write", "", "write the lines of -run into this directory")
	count := flag.String("count", "", "print the number of records in this output file")
	run := flag.Int("run", 0, "the run (1, 2, 3) whose lines to write or whose output to check")
	out := flag.String("out", "", "with -run: the file exporter's output")
	host := flag.String("host", "", "with -run: the collector's COMPUTERNAME")
	console := flag.String("console", "", "check this file exporter output of a run of otelcol-aind.exe run")
	exit := flag.Int("exit", -1, "with -console: the end-of-run record's process.exit.code")
	command := flag.String("command", "", "with -console: the end-of-run record's process.command")
	childLines := flag.Bool("lines", false, "with -console: the child's lines must be there (else no line records)")
	wrapperOut := flag.String("stdout", "", "with -console: the wrapper's stdout, to compare with the child's")
	wrapperErr := flag.String("stderr", "", "with -console: the wrapper's stderr, which must hold the child's")
	childStdout := flag.String("child-stdout", "", "the child's stdout when run alone")
	childStderr := flag.String("child-stderr", "", "the child's stderr when run alone")
	flag.Parse()

	lines, known := runs[*run]
	var err error
	switch {
	case *console != "" && *exit >= 0 && *command != "":
		err = checkConsole(*console, *exit, *command, *childLines, *wrapperOut, *wrapperErr)
	case *childStdout != "" && *childStderr != "":
		err = checkChild(*childStdout, *childStderr)
	case *write != "" && known:
		flags := os.O_APPEND | os.O_WRONLY
		if *run == 1 {
			flags = os.O_CREATE | os.O_TRUNC | os.O_WRONLY
		}
		err = writeLines(*write, lines, flags)
	case *count != "":
		var got []record
		got, err = readRecords(*count)
		if errors.Is(err, os.ErrNotExist) {
			got, err = nil, nil
		}
		fmt.Println(len(got))
	case known && *out != "" && *host != "":
		err = check(*out, expected(lines, *host))
	default:
		err = errors.New("give -count FILE, -write DIR -run N, -run N -out FILE -host NAME (N = 1, 2, 3), -child-stdout FILE -child-stderr FILE, or -console FILE -exit N -command NAME")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "check:", err)
		os.Exit(1)
	}
}

// writeLines writes each file's lines with CRLF ends, as Windows programs do.
func writeLines(dir string, files map[string][]line, flags int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, lines := range files {
		var b strings.Builder
		for _, l := range lines {
			b.WriteString(l.text + "\r\n")
		}
		path := filepath.Join(dir, filepath.FromSlash(strings.ReplaceAll(name, `\`, "/")))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		f, err := os.OpenFile(path, flags, 0o644)
		if err != nil {
			return err
		}
		_, err = f.WriteString(b.String())
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func expected(files map[string][]line, host string) []record {
	var out []record
	for _, lines := range files {
		for _, l := range lines {
			if l.want == nil {
				continue
			}
			r := *l.want
			if r.hostName == "" {
				r.hostName = host
			}
			out = append(out, r)
		}
	}
	return out
}

// readLogs reads the file exporter's output, one OTLP JSON request per
// line, and calls each for every record, with its resource and scope.
func readLogs(path string, each func(res pcommon.Map, sl plog.ScopeLogs, lr plog.LogRecord)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var u plog.JSONUnmarshaler
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		ld, err := u.UnmarshalLogs(sc.Bytes())
		if err != nil {
			// The exporter may be writing this line right now.
			return fmt.Errorf("%s line %d: %w", path, n, err)
		}
		for _, rl := range ld.ResourceLogs().All() {
			for _, sl := range rl.ScopeLogs().All() {
				for _, lr := range sl.LogRecords().All() {
					each(rl.Resource().Attributes(), sl, lr)
				}
			}
		}
	}
	return sc.Err()
}

// readRecords reads the file input's records from the file exporter's
// output.
func readRecords(path string) ([]record, error) {
	var out []record
	err := readLogs(path, func(res pcommon.Map, _ plog.ScopeLogs, lr plog.LogRecord) {
		attrs := lr.Attributes()
		_, parseErr := attrs.Get("aind.parse.error")
		out = append(out, record{
			file:       str(attrs, "log.file.name"),
			path:       str(attrs, "log.file.path"),
			body:       lr.Body().AsString(),
			sevNumber:  lr.SeverityNumber(),
			sevText:    lr.SeverityText(),
			parseError: parseErr,
			hostName:   str(res, "host.name"),
			service:    str(res, "service.name"),
			rigID:      str(res, "rig_id"),
			compID:     str(res, "comp_id"),
		})
	})
	return out, err
}

func str(m pcommon.Map, key string) string {
	if v, ok := m.Get(key); ok {
		return v.AsString()
	}
	return ""
}

// check compares the records in out with want, as multisets.
func check(out string, want []record) error {
	got, err := readRecords(out)
	if err != nil {
		return err
	}
	var problems []string
	for _, r := range got {
		if strings.HasSuffix(r.body, "\r") {
			problems = append(problems, "body ends with CR: "+r.String())
		}
	}
	gotS, wantS := sortedStrings(got), sortedStrings(want)
	for _, s := range wantS {
		if i := slices.Index(gotS, s); i >= 0 {
			gotS = slices.Delete(gotS, i, i+1)
		} else {
			problems = append(problems, "missing: "+s)
		}
	}
	for _, s := range gotS {
		problems = append(problems, "unexpected: "+s)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s: %d records, want %d:\n  %s", out, len(got), len(want), strings.Join(problems, "\n  "))
	}
	fmt.Printf("check: %s holds exactly the %d expected records\n", out, len(want))
	for _, r := range want {
		fmt.Println("  " + r.String())
	}
	return nil
}

func sortedStrings(rs []record) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.String()
	}
	slices.Sort(out)
	return out
}
