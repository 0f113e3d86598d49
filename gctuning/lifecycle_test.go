// Written by hand in mdatagen's layout (see internal/metadata).

package gctuning

import (
	"context"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/confmap/confmaptest"
	"go.opentelemetry.io/collector/extension/extensiontest"
)

var typ = component.MustNewType("gc_tuning")

func TestComponentFactoryType(t *testing.T) {
	require.Equal(t, typ, NewFactory().Type())
}

func TestComponentConfigStruct(t *testing.T) {
	require.NoError(t, componenttest.CheckConfigStruct(NewFactory().CreateDefaultConfig()))
}

// The real runtime: started twice and shut down, the process's GC target
// is what it was before.
func TestComponentLifecycle(t *testing.T) {
	t.Setenv("GOGC", "")
	factory := NewFactory()
	cm, err := confmaptest.LoadConf("metadata.yaml")
	require.NoError(t, err)
	cfg := factory.CreateDefaultConfig()
	sub, err := cm.Sub("tests::config")
	require.NoError(t, err)
	require.NoError(t, sub.Unmarshal(&cfg))

	before := debug.SetGCPercent(100)
	debug.SetGCPercent(before)
	for range 2 {
		e, err := factory.Create(context.Background(), extensiontest.NewNopSettings(typ), cfg)
		require.NoError(t, err)
		require.NoError(t, e.Start(context.Background(), componenttest.NewNopHost()))
		assert.Equal(t, 400, debug.SetGCPercent(400), "gogc from tests::config in force")
		require.NoError(t, e.Shutdown(context.Background()))
		assert.Equal(t, before, debug.SetGCPercent(before), "the GC target before Start is back")
	}
}
