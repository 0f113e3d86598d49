package main

import "fmt"

// A goal of the issue "cost per line", checked on the medians.
type goal struct {
	name   string
	want   string  // the goal, as stated
	ratio  float64 // the measured ratio
	format string  // how ratio is shown
	known  bool    // both sides were measured
	met    bool
}

func (g goal) status() string {
	switch {
	case !g.known:
		return "n/a"
	case g.met:
		return "met"
	default:
		return "NOT met"
	}
}

func (g goal) value() string {
	if !g.known {
		return "–"
	}
	return fmt.Sprintf(g.format, g.ratio)
}

// goals compares ours with the stock contrib pipeline (peer) and the
// physical reference (goccy/go-json on one core). A missing side makes
// a goal n/a.
func goals(byName map[string]summary) []goal {
	ours, hasOurs := byName["ours"]
	peer, hasPeer := byName["peer"]
	ref, hasRef := byName["physref goccy"]
	both := hasOurs && hasPeer && peer.lps > 0 && peer.cpuPerM > 0 && peer.rssMiB > 0
	var gs []goal
	g := goal{name: "throughput", want: "ours ≥ 3 × peer lines/s", format: "%.2f×", known: both}
	if both {
		g.ratio = ours.lps / peer.lps
		g.met = g.ratio >= 3
	}
	gs = append(gs, g)
	g = goal{name: "CPU", want: "ours ≤ ⅓ of peer CPU-s per M lines", format: "%.3f×", known: both}
	if both {
		g.ratio = ours.cpuPerM / peer.cpuPerM
		g.met = g.ratio <= 1.0/3
	}
	gs = append(gs, g)
	g = goal{name: "memory", want: "ours peak RSS ≤ peer's", format: "%.2f×", known: both}
	if both {
		g.ratio = ours.rssMiB / peer.rssMiB
		g.met = g.ratio <= 1
	}
	gs = append(gs, g)
	g = goal{name: "physical reference", want: "ours ≥ 50 % of physref goccy lines/s", format: "%.0f %%", known: hasOurs && hasRef && ref.lps > 0}
	if g.known {
		g.ratio = 100 * ours.lps / ref.lps
		g.met = g.ratio >= 50
	}
	gs = append(gs, g)
	// The cost of a checkpoint after every accepted batch, against ours
	// keeping its offsets in memory, measured in the same run.
	if ckpt, ok := byName[oursCheckpoints]; ok {
		g = goal{name: "checkpoints", want: "ours+checkpoints ≥ 95 % of ours lines/s", format: "%.1f %%", known: hasOurs && ours.lps > 0}
		if g.known {
			g.ratio = 100 * ckpt.lps / ours.lps
			g.met = g.ratio >= 95
		}
		gs = append(gs, g)
	}
	return gs
}
