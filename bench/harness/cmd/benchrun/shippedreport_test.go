package main

import (
	"reflect"
	"testing"
)

func TestPeerRatios(t *testing.T) {
	row := func(name string, lps, cpu, rss float64) shippedRow {
		return shippedRow{summary: summary{name: name, lps: lps, cpuPerM: cpu, rssMiB: rss}}
	}
	r := shippedReport{rows: []shippedRow{row("agent", 60000, 16, 60), row("peer", 20000, 64, 80), row("gateway×8", 40000, 20, 160)}}
	want := []string{
		"agent vs peer: 3.00× its lines/s, 0.25× its CPU per line, 0.75× its peak RSS",
		"gateway×8 vs peer: 2.00× its lines/s, 0.31× its CPU per line, 2.00× its peak RSS",
	}
	if got := r.peerRatios(); !reflect.DeepEqual(got, want) {
		t.Errorf("peerRatios:\n%q\nwant\n%q", got, want)
	}
	r.rows = r.rows[:1]
	if got := r.peerRatios(); got != nil {
		t.Errorf("without a peer: %q, want none", got)
	}
}

func TestPhysrefRatios(t *testing.T) {
	r := shippedReport{rows: []shippedRow{{summary: summary{name: "agent", lps: 100000, cpuPerM: 10}}}}
	if got := r.ratios(); got != nil {
		t.Errorf("without the physical reference or a peer: %q, want none", got)
	}
	r.physref = &summary{name: "physref goccy", lps: 400000, cpuPerM: 2.5}
	want := []string{
		"physref goccy: 400000 lines/s, 2.50 CPU-s/M lines",
		"agent vs physref goccy: 25 % of its lines/s",
	}
	if got := r.ratios(); !reflect.DeepEqual(got, want) {
		t.Errorf("ratios:\n%q\nwant\n%q", got, want)
	}
}
