package httpinput

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultConfig(t *testing.T) {
	h := NewDefaultConfig()
	assert.Equal(t, "localhost:3500", h.ServerConfig.NetAddr.Endpoint)
	assert.Equal(t, "/aind/v1/logs", h.AindPath)
	assert.Equal(t, "/loki/api/v1/push", h.LokiPath)
	assert.Empty(t, h.HeadersAsResource)
	assert.Equal(t, []headerAttr{
		{header: "X-Capsule-Id", attr: "co.capsule.id"},
		{header: "X-Computation-Id", attr: "co.computation.id"},
	}, h.headerAttrs())
}

func TestHeaderAttrsMergeWithDefaults(t *testing.T) {
	h := NewDefaultConfig()
	h.HeadersAsResource = map[string]string{
		"x-capsule-id":     "capsule", // overrides the default, whatever the case
		"X-Computation-Id": "",        // turns the default off
		"X-Rig-Id":         " rig_id ",
		"X-Scope-OrgID":    "", // not mapped: allowed
	}
	require.NoError(t, h.Validate())
	assert.Equal(t, []headerAttr{
		{header: "X-Capsule-Id", attr: "capsule"},
		{header: "X-Rig-Id", attr: "rig_id"},
	}, h.headerAttrs())
}
