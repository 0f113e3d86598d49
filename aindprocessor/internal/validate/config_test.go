package validate

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The default configuration validates and annotates.
func TestDefaultConfig(t *testing.T) {
	cfg := DefaultConfig()
	require.NoError(t, cfg.Validate())
	assert.True(t, cfg.Enabled)
	assert.Equal(t, []string{"timestamp", "level", "message"}, cfg.Required)
	assert.Equal(t, OnViolationAnnotate, cfg.OnViolation)
	assert.Empty(t, cfg.Rules, "every rule on")
}
