//go:build integration && reliability

package integration

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Scenario 3: Loki is down for 10 minutes (20 s in the short run) under a
// steady 50 lines/s, and the collector is restarted halfway through the
// outage (with 30 s, or 4 s, in which no collector runs at all). The
// persistent sending queue and the receiver's checkpoints hold the lines;
// after Loki's return every line must be in Loki.
func TestReliabilityLokiOutage(t *testing.T) {
	const scenario = "3 Loki outage"
	p := outagePhases{
		before:      scaled(30*time.Second, 5*time.Second),
		down:        scaled(5*time.Minute, 8*time.Second),
		noCollector: scaled(30*time.Second, 4*time.Second),
		restarted:   scaled(270*time.Second, 8*time.Second),
		after:       scaled(time.Minute, 5*time.Second),
		interval:    20 * time.Millisecond, // 50 lines/s
		wait:        scaled(10*time.Minute, 3*time.Minute),
	}
	f := runLokiOutage(t, p)
	recordFigure(t, scenario, "input rate (lines/s)", int(time.Second/p.interval))
	recordFigure(t, scenario, "outage length", f.outage.Round(time.Second))
	recordFigure(t, scenario, "collector down during outage", p.noCollector)
	recordFigure(t, scenario, "lines written", f.written)
	recordFigure(t, scenario, "entries stored", f.stored)
	recordFigure(t, scenario, "lines missing", f.missing)
	recordFigure(t, scenario, "lines duplicated", f.duplicated)
	if f.catchUp >= 0 {
		recordFigure(t, scenario, "catch-up after recovery", f.catchUp.Round(100*time.Millisecond))
	} else {
		recordFigure(t, scenario, "catch-up after recovery", "not within "+p.wait.String())
	}
	if f.peakQueue >= 0 {
		recordFigure(t, scenario, "peak sending queue (records in flight; the rest wait in their file)", f.peakQueue)
	}
	require.Zero(t, f.missing, "lines lost across the outage")
	assert.GreaterOrEqual(t, f.catchUp, time.Duration(0), "Loki did not catch up within %s", p.wait)
	assert.Equal(t, f.written, f.stored-f.duplicated)
}
