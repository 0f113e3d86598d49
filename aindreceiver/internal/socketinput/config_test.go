package socketinput

import (
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/operator/helper"
	"github.com/stretchr/testify/assert"
)

func TestDefaultConfig(t *testing.T) {
	s := NewDefaultConfig()
	assert.Equal(t, "localhost:9000", s.Endpoint)
	assert.Equal(t, helper.ByteSize(1<<20), s.MaxFrameSize)
	assert.Equal(t, 256, s.MaxConnections)
	assert.Zero(t, s.IdleTimeout, "SocketHandler loses a record on each idle close")
	assert.Equal(t, 30*time.Second, s.ReadTimeout)
}
