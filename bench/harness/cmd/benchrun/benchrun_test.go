package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	if got := median([]float64{3, 1, 2}); got != 2 {
		t.Errorf("odd: %v", got)
	}
	if got := median([]float64{4, 1, 3, 2}); got != 2.5 {
		t.Errorf("even: %v", got)
	}
}

func TestSummarise(t *testing.T) {
	ss := []sample{
		{wall: 10 * time.Second, cpu: 20 * time.Second, peakRSS: 100 << 20, records: 1e6, complete: true},
		{wall: 5 * time.Second, cpu: 10 * time.Second, peakRSS: 50 << 20, records: 1e6, complete: true},
		{wall: 20 * time.Second, cpu: 40 * time.Second, peakRSS: 80 << 20, records: 1e6, complete: false},
	}
	s := summarise("x", ss)
	if s.lps != 1e5 || s.lpsMin != 5e4 || s.lpsMax != 2e5 || s.cpuPerM != 20 || s.rssMiB != 80 || s.complete {
		t.Errorf("%+v", s)
	}
}

func TestGoals(t *testing.T) {
	by := map[string]summary{
		"ours":          {lps: 300, cpuPerM: 3, rssMiB: 50},
		"peer":          {lps: 100, cpuPerM: 10, rssMiB: 60},
		"physref goccy": {lps: 700},
	}
	want := map[string]string{"throughput": "met", "CPU": "met", "memory": "met", "physical reference": "NOT met"}
	for _, g := range goals(by) {
		if g.status() != want[g.name] {
			t.Errorf("%s: %s (%s), want %s", g.name, g.status(), g.value(), want[g.name])
		}
	}
	delete(by, "peer")
	for _, g := range goals(by) {
		if g.name != "physical reference" && g.status() != "n/a" {
			t.Errorf("without a peer, %s is %s", g.name, g.status())
		}
	}
	for lps, want := range map[float64]string{290: "met", 280: "NOT met"} {
		by[oursCheckpoints] = summary{lps: lps}
		found := false
		for _, g := range goals(by) {
			if g.name == "checkpoints" {
				found = true
				if g.status() != want {
					t.Errorf("checkpoints at %v lines/s against 300: %s, want %s", lps, g.status(), want)
				}
			}
		}
		if !found {
			t.Error("no checkpoints goal")
		}
	}
}

func TestCountLines(t *testing.T) {
	dir := t.TempDir()
	for name, tc := range map[string]struct {
		content string
		lines   int64
	}{
		"nl.jsonl":   {"a\nb\n", 2},
		"nonl.jsonl": {"a\nb", 2},
		"none.jsonl": {"", 0},
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(tc.content), 0o644); err != nil {
			t.Fatal(err)
		}
		n, size, err := countLines(p, make([]byte, 3))
		if err != nil || n != tc.lines || size != int64(len(tc.content)) {
			t.Errorf("%s: %d lines, %d bytes, %v", name, n, size, err)
		}
	}
	c, err := scanCorpus(filepath.Join(dir, "n*.jsonl"))
	if err != nil || c.lines != 2+2+0 || len(c.files) != 3 {
		t.Errorf("scanCorpus: %+v %v", c, err)
	}
}

func TestTail(t *testing.T) {
	p := filepath.Join(t.TempDir(), "log")
	if err := os.WriteFile(p, []byte("1\n2\n3\n4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := tail(p, 2); got != "3\n4\n" {
		t.Errorf("tail 2: %q", got)
	}
	if got := tail(p, 10); got != "1\n2\n3\n4\n" {
		t.Errorf("tail 10: %q", got)
	}
}
