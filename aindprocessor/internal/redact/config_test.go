package redact

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHashKeyNeverPrints(t *testing.T) {
	c := DefaultConfig()
	c.HashKey = "super-secret-hmac-key-0123456789abcdef"
	for _, s := range []string{
		c.HashKey.String(),
		strings.Join([]string{fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%s", c.HashKey), fmt.Sprintf("%q", c.HashKey)}, " "),
	} {
		assert.NotContains(t, s, "super-secret")
	}
	text, err := c.HashKey.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "[REDACTED]", string(text))
}

// The value types a blocked key replaces.
