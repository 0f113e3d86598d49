// Written by hand in the layout of mdatagen's generated lifecycle test.

package aindprocessor

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/confmap/confmaptest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
)

func TestComponentFactoryType(t *testing.T) {
	require.Equal(t, "aind", NewFactory().Type().String())
}

func TestComponentConfigStruct(t *testing.T) {
	require.NoError(t, componenttest.CheckConfigStruct(NewFactory().CreateDefaultConfig()))
}

func TestComponentLifecycle(t *testing.T) {
	factory := NewFactory()
	cm, err := confmaptest.LoadConf("metadata.yaml")
	require.NoError(t, err)
	cfg := factory.CreateDefaultConfig()
	sub, err := cm.Sub("tests::config")
	require.NoError(t, err)
	require.NoError(t, sub.Unmarshal(&cfg))

	t.Run("logs-shutdown", func(t *testing.T) {
		c, err := factory.CreateLogs(context.Background(), processortest.NewNopSettings(metadata.Type), cfg, consumertest.NewNop())
		require.NoError(t, err)
		require.NoError(t, c.Shutdown(context.Background()))
	})
	t.Run("logs-lifecycle", func(t *testing.T) {
		c, err := factory.CreateLogs(context.Background(), processortest.NewNopSettings(metadata.Type), cfg, consumertest.NewNop())
		require.NoError(t, err)
		host := componenttest.NewNopHost()
		require.NoError(t, c.Start(context.Background(), host))
		require.NotPanics(t, func() {
			logs := generateLifecycleTestLogs()
			if !c.Capabilities().MutatesData {
				logs.MarkReadOnly()
			}
			require.NoError(t, c.ConsumeLogs(context.Background(), logs))
		})
		require.NoError(t, c.Shutdown(context.Background()))
	})
	var _ processor.Factory = factory
	var _ component.Config = cfg
}

func generateLifecycleTestLogs() plog.Logs {
	logs := plog.NewLogs()
	rl := logs.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("resource", "R1")
	l := rl.ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
	l.Body().SetStr("test log message")
	l.SetTimestamp(pcommon.NewTimestampFromTime(time.Now()))
	return logs
}
