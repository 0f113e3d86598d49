package fileinput

import (
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/fileconsumer"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/operator/helper"
	"github.com/stretchr/testify/assert"
)

func TestFileConsumerConfig(t *testing.T) {
	cfg := NewDefaultConfig()
	cfg.Include = []string{"/a/*.log"}
	cfg.Exclude = []string{"/a/x.log"}
	cfg.StartAt = StartAtBeginning
	cfg.PollInterval = time.Second
	cfg.IncludeFileName = false
	cfg.IncludeFilePath = true

	fc := cfg.fileConsumerConfig(1000)
	assert.Equal(t, []string{"/a/*.log"}, fc.Include)
	assert.Equal(t, []string{"/a/x.log"}, fc.Exclude)
	assert.Equal(t, "beginning", fc.StartAt)
	assert.Equal(t, time.Second, fc.PollInterval)
	assert.Equal(t, helper.ByteSize(1001), fc.MaxLogSize)
	assert.Equal(t, fileconsumer.MaxLogSizeBehaviorTruncate, fc.MaxLogSizeBehavior)
	assert.False(t, fc.IncludeFileName)
	assert.True(t, fc.IncludeFilePath)
	assert.True(t, fc.TrimConfig.PreserveLeading)
	assert.True(t, fc.TrimConfig.PreserveTrailing)
}
