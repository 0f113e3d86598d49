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
	}
	for in, want := range tests {
		got, ok := SeverityFromText(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "NOTICE", "INFOO", "inf"} {
		got, ok := SeverityFromText(in)
		assert.False(t, ok, in)
		assert.Equal(t, plog.SeverityNumberUnspecified, got, in)
	}
}

func TestLevelFromNumber(t *testing.T) {
	tests := []struct {
		in   int64
		name string
		sev  plog.SeverityNumber
	}{
		{5, "TRACE", 1}, {9, "TRACE", 1}, {10, "DEBUG", 5}, {20, "INFO", 9}, {25, "INFO", 9},
		{30, "WARNING", 13}, {40, "ERROR", 17}, {49, "ERROR", 17}, {50, "CRITICAL", 21}, {99, "CRITICAL", 21},
	}
	for _, tt := range tests {
		l, ok := LevelFromNumber(tt.in)
		assert.True(t, ok, tt.in)
		assert.Equal(t, tt.name, l.Name, tt.in)
		assert.Equal(t, tt.sev, l.Severity, tt.in)
	}
	for _, in := range []int64{0, 4, -10} {
		_, ok := LevelFromNumber(in)
		assert.False(t, ok, in)
	}
}
