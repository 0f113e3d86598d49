package main

import (
	"math"
	"testing"

	"github.com/AllenNeuralDynamics/otelcol-aind/bench/harness/internal/corpus"
)

func testCurvesConfig() curvesConfig {
	return curvesConfig{bytes: 512 << 20, maxLines: 500_000, sizes: "100, 65536", sizeFields: 3,
		fields: "5,60", fieldsBytes: 2048, secrets: "0,0.1"}
}

// TestCurveDefinitions: each curve moves its one property and holds the
// others, with the realistic rate of secrets where it does not move them.
func TestCurveDefinitions(t *testing.T) {
	cc := testCurvesConfig()
	defs, err := cc.definitions()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]corpus.Options{
		"size":    {{LineBytes: 100, Fields: 3, Secrets: corpus.DefaultSecrets}, {LineBytes: 65536, Fields: 3, Secrets: corpus.DefaultSecrets}},
		"fields":  {{LineBytes: 2048, Fields: 5, Secrets: corpus.DefaultSecrets}, {LineBytes: 2048, Fields: 60, Secrets: corpus.DefaultSecrets}},
		"secrets": {{Secrets: 0}, {Secrets: 0.1}},
	}
	labels := map[string][]string{"size": {"100 B", "65536 B"}, "fields": {"5", "60"}, "secrets": {"0 %", "10 %"}}
	for _, cv := range defs {
		if len(cv.variants) != len(want[cv.name]) {
			t.Fatalf("%s: %d variants, want %d", cv.name, len(cv.variants), len(want[cv.name]))
		}
		for i, v := range cv.variants {
			if v.opt != want[cv.name][i] || v.label != labels[cv.name][i] {
				t.Errorf("%s %d: %q %+v, want %q %+v", cv.name, i, v.label, v.opt, labels[cv.name][i], want[cv.name][i])
			}
		}
	}
	for _, bad := range []func(*curvesConfig){
		func(c *curvesConfig) { c.sizes = "100,x" },
		func(c *curvesConfig) { c.fields = "-5" },
		func(c *curvesConfig) { c.secrets = "0,ten" },
	} {
		c := testCurvesConfig()
		bad(&c)
		if _, err := c.definitions(); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}

// TestCurveLines: a variant gets -curve-bytes of lines of its size, or
// -curve-lines when that is fewer.
func TestCurveLines(t *testing.T) {
	cc := testCurvesConfig()
	for opt, want := range map[corpus.Options]int{
		{LineBytes: 65536}: 8192,
		{LineBytes: 4096}:  131072,
		{LineBytes: 100}:   500_000,
		{}:                 500_000,
	} {
		if got := cc.lines(opt); got != want {
			t.Errorf("%+v: %d lines, want %d", opt, got, want)
		}
	}
	cc.maxLines = 1 << 30
	if got := cc.lines(corpus.Options{}); got != 512<<20/naturalLineBytes {
		t.Errorf("realistic lines: %d", got)
	}
}

// TestPointPerByte: per-byte figures follow from the per-line ones and
// the line size.
func TestPointPerByte(t *testing.T) {
	p := point{c: corpusInfo{lines: 1000, bytes: 1000 << 10}, s: summary{lps: 2048, cpuPerM: 10}}
	if got := p.mibPerSec(); got != 2 {
		t.Errorf("MiB/s %v, want 2", got)
	}
	// 10 CPU-s per M lines of 1 KiB: 10 s per 1e6/1024 MiB.
	if got, want := p.cpuMsPerMiB(), 10e3/(1e6/1024); math.Abs(got-want) > 1e-9 {
		t.Errorf("CPU-ms/MiB %v, want %v", got, want)
	}
}
