package main

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseJobResult(t *testing.T) {
	wall, cpu, err := parseJobResult([]byte("151609457 154680000\n"))
	if err != nil || wall != 151609457*time.Nanosecond || cpu != 154680000*time.Nanosecond {
		t.Errorf("parseJobResult: %v %v %v", wall, cpu, err)
	}
	for _, bad := range []string{"", "12", "1 2 3", "x 2", "0 5", "5 -1"} {
		if _, _, err := parseJobResult([]byte(bad)); err == nil {
			t.Errorf("parseJobResult(%q): no error", bad)
		}
	}
}

// testRunReport is a report of the go job's three targets and the CPU
// targets, from per-run job wall times and collector CPU times (ms).
func testRunReport() runReport {
	tg := func(job, via string, lines int64) runTarget { return runTarget{job: job, via: via, lines: lines} }
	ms := func(v int) time.Duration { return time.Duration(v) * time.Millisecond }
	samples := func(walls []int, cpus []int, jobCPU int, records int64) []runSample {
		var ss []runSample
		for i := range walls {
			ss = append(ss, runSample{jobWall: ms(walls[i]), total: ms(walls[i] + 1000), processCPU: ms(cpus[i] + jobCPU), jobCPU: ms(jobCPU), records: records})
		}
		return ss
	}
	r := runReport{lines: 1000, lineBytes: 100, maxRatio: 1.1}
	r.rows = []runRow{
		summariseRun(tg("go", viaRedirect, 1000), samples([]int{100, 300, 95}, []int{0, 0, 0}, 100, -1)),
		// Medians: 105 against the redirect's 100 (1.05×), 130 down (1.30×).
		summariseRun(tg("go", viaUp, 1000), samples([]int{105, 90, 200}, []int{3000, 2000, 2500}, 100, 1001)),
		summariseRun(tg("go", viaDown, 1000), samples([]int{150, 120, 130}, []int{500, 500, 500}, 100, -1)),
		summariseRun(tg("", viaFile, 1000), samples([]int{0, 0, 0}, []int{5000, 4000, 4500}, 0, 1001)),
		summariseRun(tg("", viaNothing, 0), samples([]int{0, 0, 0}, []int{500, 400, 500}, 0, 1)),
	}
	return r
}

func TestRunReportRatiosAndVerdicts(t *testing.T) {
	r := testRunReport()
	if got := r.ratio("go", viaUp); got < 1.0499 || got > 1.0501 {
		t.Errorf("ratio up = %v, want 1.05 (medians 105 / 100)", got)
	}
	if got := r.ratio("go", viaDown); got < 1.2999 || got > 1.3001 {
		t.Errorf("ratio down = %v, want 1.30", got)
	}
	want := []string{
		"go job, backend up: its wall time 1.05× its wall time redirected to a file (≤ 1.10×): PASS",
		"go job, backend down: its wall time 1.30× its wall time redirected to a file (≤ 1.10×): FAIL",
	}
	if got := r.verdicts(); !reflect.DeepEqual(got, want) {
		t.Errorf("verdicts:\n%q\nwant\n%q", got, want)
	}
	if r.pass() {
		t.Error("pass() with a FAIL")
	}
	if verdict(1.1, 1.1) != "PASS" || verdict(1.1001, 1.1) != "FAIL" || verdict(0, 1.1) != "FAIL" {
		t.Error("verdict: the bound is inclusive, a missing ratio fails")
	}
	if got := r.ratio("python", viaUp); got != 0 {
		t.Errorf("ratio of a job that did not run = %v, want 0", got)
	}
}

func TestRunReportCPUPerLine(t *testing.T) {
	r := testRunReport()
	up, _ := r.row("go", viaUp)
	raw, net, ok := r.perLine(up)
	// Collector CPU median 2.5 s over 1000 lines; run -- true's is 0.5 s.
	if !ok || raw < 2499.99 || raw > 2500.01 || net < 1999.99 || net > 2000.01 {
		t.Errorf("perLine(up) = %v, %v, %v; want 2500, 2000 µs/line", raw, net, ok)
	}
	want := []string{"go job, console path vs file path: 0.56× the file path's collector CPU per line (0.50× net of run -- true)"}
	if got := r.cpuRatios(); !reflect.DeepEqual(got, want) {
		t.Errorf("cpuRatios:\n%q\nwant\n%q", got, want)
	}
}

func TestRunReportRecords(t *testing.T) {
	r := testRunReport()
	if !r.delivered() {
		t.Fatal("every run delivered lines+1")
	}
	r.rows[1].records[2] = 1000 // the end-of-run record missing in one run
	if r.delivered() {
		t.Error("delivered() with a run short of a record")
	}
	if got := r.rows[1].recordsCell(); got != "1001/1001/1000 of 1001 ✗" {
		t.Errorf("recordsCell = %q", got)
	}
	var b bytes.Buffer
	r.markdown(&b)
	if !strings.Contains(b.String(), "Records check FAILED") {
		t.Errorf("markdown without the failed records check:\n%s", b.String())
	}
}

func TestRunJSONLines(t *testing.T) {
	base := time.Date(2026, 12, 8, 4, 0, 0, 0, time.UTC)
	for _, size := range []int{100, 101, 400} {
		b := appendRunJSONLine(nil, base, 1234567, size)
		if len(b) != size || b[len(b)-1] != '\n' {
			t.Errorf("size %d: %d bytes %q", size, len(b), b)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Errorf("size %d: not JSON: %v %q", size, err, b)
		}
		if m["level"] != "INFO" || !strings.HasPrefix(m["message"].(string), "frame 1234567 acquired;") {
			t.Errorf("size %d: %v", size, m)
		}
	}
}
