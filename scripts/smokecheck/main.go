// Command smokecheck checks the output of the otelcol-aind smoke test.
//
// It reads the file exporter's output (OTLP JSON, one
// ExportLogsServiceRequest per line) and compares it with the AIND JSON-lines
// input the collector was given:
//
//   - there is exactly one log record per non-empty input line;
//   - every record whose body is the string "Starting program" has severity
//     number 9 (INFO), the time of the sample lines (2026-02-09T21:19:24.061270Z)
//     and a resource carrying service.name;
//   - every input line that is not a JSON object is there, flagged with
//     aind.parse.error.
//
// With -wait it first polls the output until it holds at least as many
// records as expected (or the time is up, or the collector given by -pid has
// exited), and does not check anything else: run it again without -wait once
// the collector has stopped.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

const (
	markerBody     = "Starting program"
	markerSeverity = plog.SeverityNumberInfo
	markerTime     = pcommon.Timestamp(1770671964061270000)
	parseErrorAttr = "aind.parse.error"
)

type globs []string

func (g *globs) String() string     { return strings.Join(*g, ",") }
func (g *globs) Set(v string) error { *g = append(*g, v); return nil }

func main() {
	var include globs
	out := flag.String("out", "out/logs.json", "file exporter output (OTLP JSON lines)")
	flag.Var(&include, "include", "glob of the input files (repeatable)")
	wait := flag.Duration("wait", 0, "poll the output until it holds the expected number of records, for at most this long")
	pid := flag.Int("pid", 0, "with -wait: stop waiting if this process exits")
	flag.Parse()
	if len(include) == 0 {
		fail("no -include glob given")
	}

	want, malformed, err := countInputLines(include)
	if err != nil {
		fail("%v", err)
	}
	if want == 0 {
		fail("no non-empty input lines in %s", include.String())
	}

	if *wait > 0 {
		if err := waitFor(*out, want, *wait, *pid); err != nil {
			fail("%v", err)
		}
		fmt.Printf("smokecheck: %s holds the %d expected records\n", *out, want)
		return
	}

	if err := check(*out, want, malformed); err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "smokecheck: FAIL: "+format+"\n", args...)
	os.Exit(1)
}

// countInputLines counts the lines of the matching files that hold anything
// besides white space and a UTF-8 byte order mark: the lines the aind
// receiver turns into records; and, of those, the ones that are not a JSON
// object.
func countInputLines(patterns []string) (lines, malformed int, err error) {
	var files []string
	for _, p := range patterns {
		m, err := filepath.Glob(p)
		if err != nil {
			return 0, 0, fmt.Errorf("bad glob %q: %w", p, err)
		}
		files = append(files, m...)
	}
	sort.Strings(files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return 0, 0, err
		}
		for line := range bytes.SplitSeq(data, []byte("\n")) {
			line = bytes.TrimSpace(bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")))
			if len(line) == 0 {
				continue
			}
			lines++
			var object map[string]any
			if json.Unmarshal(line, &object) != nil || object == nil {
				malformed++
			}
		}
	}
	return lines, malformed, nil
}

// readOutput parses the exporter's output. With strict unset, a last line
// that does not parse (the exporter may be half-way through writing it) is
// ignored.
func readOutput(path string, strict bool) ([]plog.Logs, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	var (
		batches []plog.Logs
		bad     error
		u       plog.JSONUnmarshaler
	)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 256<<20)
	for lineNo := 1; sc.Scan(); lineNo++ {
		if bad != nil {
			return nil, bad // a bad line that was not the last one
		}
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		ld, err := u.UnmarshalLogs(sc.Bytes())
		if err != nil {
			bad = fmt.Errorf("%s:%d: not OTLP JSON: %w", path, lineNo, err)
			continue
		}
		batches = append(batches, ld)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if bad != nil && strict {
		return nil, bad
	}
	return batches, nil
}

func countRecords(batches []plog.Logs) int {
	n := 0
	for _, ld := range batches {
		n += ld.LogRecordCount()
	}
	return n
}

func waitFor(out string, want int, timeout time.Duration, pid int) error {
	deadline := time.Now().Add(timeout)
	got := 0
	for {
		batches, err := readOutput(out, false)
		if err == nil {
			got = countRecords(batches)
			if got >= want {
				return nil
			}
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
		if pid > 0 && !alive(pid) {
			return fmt.Errorf("collector (pid %d) exited; %s holds %d of %d records", pid, out, got, want)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %s: %s holds %d of %d records", timeout, out, got, want)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func check(out string, want, wantMalformed int) error {
	batches, err := readOutput(out, true)
	if err != nil {
		return err
	}
	var errs []error
	if got := countRecords(batches); got != want {
		errs = append(errs, fmt.Errorf("%s holds %d records, want one per non-empty input line: %d", out, got, want))
	}

	markers, flagged := 0, 0
	for _, ld := range batches {
		for _, rl := range ld.ResourceLogs().All() {
			svc, hasSvc := rl.Resource().Attributes().Get("service.name")
			for _, sl := range rl.ScopeLogs().All() {
				for _, lr := range sl.LogRecords().All() {
					if _, ok := lr.Attributes().Get(parseErrorAttr); ok {
						flagged++
					}
					// The body must be the string value itself, not a map
					// or a JSON text that still contains the message.
					if lr.Body().Type() != pcommon.ValueTypeStr || lr.Body().Str() != markerBody {
						continue
					}
					markers++
					where := fmt.Sprintf("record %q", markerBody)
					if lr.SeverityNumber() != markerSeverity {
						errs = append(errs, fmt.Errorf("%s: severityNumber %d, want %d", where, lr.SeverityNumber(), markerSeverity))
					}
					if lr.Timestamp() != markerTime {
						errs = append(errs, fmt.Errorf("%s: timeUnixNano %d, want %d", where, lr.Timestamp(), markerTime))
					}
					if !hasSvc || svc.AsString() == "" {
						errs = append(errs, fmt.Errorf("%s: resource has no service.name", where))
					}
				}
			}
		}
	}
	if markers == 0 {
		errs = append(errs, fmt.Errorf("no record with body %q", markerBody))
	}
	if flagged != wantMalformed {
		errs = append(errs, fmt.Errorf("%d records flagged %s, want one per input line that is not a JSON object: %d", flagged, parseErrorAttr, wantMalformed))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	fmt.Printf("smokecheck: ok: %d records, %d %q record(s) checked, %d malformed line(s) flagged\n", want, markers, markerBody, flagged)
	return nil
}
