package aind

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/plog"
)

func TestSeverityFromText(t *testing.T) {
	tests := map[string]plog.SeverityNumber{
		"TRACE": 1, "debug": 5, "INFO": 9, "info": 9, "Warning": 13, "WARN": 13,
		"ERROR": 17, "CRITICAL": 21, "CRITICAl": 21, "fatal": 21,
		"START_STOP": 15, "admin": 15, "LIMS": 15, "MTRAIN": 16, "SLIMS": 16,
	}
	for in, want := range tests {
		got, ok := SeverityFromText(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "NOTICE", "INFOO", "inf", "Level 35"} {
		got, ok := SeverityFromText(in)
		assert.False(t, ok, in)
		assert.Equal(t, plog.SeverityNumberUnspecified, got, in)
	}
}

func TestSeverityFromNumber(t *testing.T) {
	tests := []struct {
		in   int64
		name string
		sev  plog.SeverityNumber
	}{
		{1, "TRACE", 1}, {4, "TRACE", 1}, {5, "TRACE", 1}, {6, "TRACE", 1}, {7, "TRACE", 2}, {9, "TRACE", 4},
		{10, "DEBUG", 5}, {15, "DEBUG", 7}, {19, "DEBUG", 8},
		{20, "INFO", 9}, {25, "INFO", 11},
		{30, "WARNING", 13}, {31, "WARNING", 13}, {33, "WARNING", 14},
		// The rig levels: inside WARNING's range, never INFO, never ERROR.
		{35, "START_STOP", 15}, {36, "ADMIN", 15}, {37, "LIMS", 15}, {38, "MTRAIN", 16}, {39, "SLIMS", 16},
		{40, "ERROR", 17}, {45, "ERROR", 19}, {49, "ERROR", 20},
		{50, "CRITICAL", 21}, {55, "CRITICAL", 23}, {59, "CRITICAL", 24}, {99, "CRITICAL", 24}, {1 << 40, "CRITICAL", 24},
	}
	for _, tt := range tests {
		name, sev, ok := LevelOfNumber(tt.in)
		assert.True(t, ok, tt.in)
		assert.Equal(t, tt.name, name, tt.in)
		assert.Equal(t, tt.sev, sev, tt.in)
	}
	for _, in := range []int64{0, -10, -1 << 62} {
		_, sev, ok := LevelOfNumber(in)
		assert.False(t, ok, in)
		assert.Equal(t, plog.SeverityNumberUnspecified, sev, in)
	}
}

// The rig levels' severities in the table are what their numbers give, so
// "LIMS" and 37 map alike.
func TestRigLevelsFollowTheNumbers(t *testing.T) {
	for _, l := range RigLevels {
		sev, ok := SeverityFromNumber(l.Python)
		assert.True(t, ok, l.Name)
		assert.Equal(t, sev, l.Severity, l.Name)
		assert.Greater(t, l.Severity, plog.SeverityNumberWarn, l.Name)
		assert.Less(t, l.Severity, plog.SeverityNumberError, l.Name)
	}
}

func TestSeverityFromLabel(t *testing.T) {
	tests := map[string]plog.SeverityNumber{
		// python-logging-loki: the level name in lower case.
		"debug": 5, "info": 9, "warning": 13, "error": 17, "critical": 21, "lims": 15,
		// Promtail and Alloy pipelines, Loki's own abbreviations.
		"warn": 13, "WRN": 13, "err": 17, "inf": 9, "dbg": 5, "trc": 1, "information": 9,
		// syslog, as the OpenTelemetry data model maps it.
		"emerg": 21, "Emergency": 21, "panic": 21, "alert": 19, "crit": 18, "notice": 10, "informational": 9,
	}
	for in, want := range tests {
		got, ok := SeverityFromLabel(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "verbose", "errors", "Level 35"} {
		_, ok := SeverityFromLabel(in)
		assert.False(t, ok, in)
	}
}
