package main

import (
	"slices"
)

// summary is a target's runs reduced to medians. Each figure's median is
// taken on its own, so a row may mix figures of different runs; with 3
// runs or more, one outlier run moves none of them.
type summary struct {
	name     string
	runs     int
	complete bool    // every run emitted the expected count
	records  []int64 // per run
	lps      float64 // lines/s
	lpsMin   float64
	lpsMax   float64
	cpuPerM  float64 // CPU-s per million lines
	rssMiB   float64
}

func summarise(name string, ss []sample) summary {
	sm := summary{name: name, runs: len(ss), complete: len(ss) > 0}
	var lps, cpu, rss []float64
	for _, s := range ss {
		sm.complete = sm.complete && s.complete
		sm.records = append(sm.records, s.records)
		lps = append(lps, s.linesPerSec())
		cpu = append(cpu, s.cpuPerMillion())
		rss = append(rss, s.rssMiB())
	}
	if len(ss) == 0 {
		return sm
	}
	sm.lps, sm.cpuPerM, sm.rssMiB = median(lps), median(cpu), median(rss)
	sm.lpsMin, sm.lpsMax = slices.Min(lps), slices.Max(lps)
	return sm
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
