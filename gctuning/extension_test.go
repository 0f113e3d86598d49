package gctuning

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

// fakeRuntime stands for runtime/debug, starting from Go's defaults.
type fakeRuntime struct {
	percent int
	limit   int64
}

func newFakeRuntime() *fakeRuntime { return &fakeRuntime{percent: 100, limit: 1<<63 - 1} }

func (f *fakeRuntime) SetGCPercent(p int) int {
	prev := f.percent
	f.percent = p
	return prev
}

func (f *fakeRuntime) SetMemoryLimit(l int64) int64 {
	prev := f.limit
	f.limit = l
	return prev
}

func env(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}
}

func start(t *testing.T, cfg *Config, vars map[string]string) (*tuning, *fakeRuntime, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zap.InfoLevel)
	rt := newFakeRuntime()
	ext := newTuning(zap.New(core), cfg, rt, env(vars))
	require.NoError(t, ext.Start(context.Background(), componenttest.NewNopHost()))
	return ext, rt, logs
}

func TestStartAppliesAndShutdownRestores(t *testing.T) {
	ext, rt, logs := start(t, &Config{GOGC: 400, MemoryLimitMiB: 256}, nil)
	assert.Equal(t, 400, rt.percent)
	assert.Equal(t, int64(256<<20), rt.limit)
	assert.Equal(t, 2, logs.FilterMessage("Go runtime setting applied").Len())

	require.NoError(t, ext.Shutdown(context.Background()))
	assert.Equal(t, 100, rt.percent)
	assert.Equal(t, int64(1<<63-1), rt.limit)
}

func TestNoMemoryLimitLeavesItAlone(t *testing.T) {
	ext, rt, _ := start(t, &Config{GOGC: 400}, nil)
	assert.Equal(t, int64(1<<63-1), rt.limit)
	require.NoError(t, ext.Shutdown(context.Background()))
}

func TestEnvironmentWins(t *testing.T) {
	ext, rt, logs := start(t, &Config{GOGC: 400, MemoryLimitMiB: 256}, map[string]string{"GOGC": "150", "GOMEMLIMIT": "1GiB"})
	assert.Equal(t, 100, rt.percent, "GOGC in the environment must win")
	assert.Equal(t, int64(1<<63-1), rt.limit, "GOMEMLIMIT in the environment must win")
	taken := logs.FilterMessage("Go runtime setting taken from the environment, not from gc_tuning").All()
	require.Len(t, taken, 2)
	assert.Equal(t, "1GiB", taken[0].ContextMap()["GOMEMLIMIT"])
	assert.Equal(t, "150", taken[1].ContextMap()["GOGC"])

	require.NoError(t, ext.Shutdown(context.Background()))
	assert.Equal(t, 100, rt.percent)
}

// The memory limit must be in force before the collector is turned off.
func TestLimitBeforeOff(t *testing.T) {
	core, _ := observer.New(zap.InfoLevel)
	var order []string
	rt := &orderRuntime{order: &order}
	ext := newTuning(zap.New(core), &Config{GOGC: -1, MemoryLimitMiB: 512}, rt, env(nil))
	require.NoError(t, ext.Start(context.Background(), componenttest.NewNopHost()))
	assert.Equal(t, []string{"limit", "percent"}, order)
	require.NoError(t, ext.Shutdown(context.Background()))
	assert.Equal(t, []string{"limit", "percent", "percent", "limit"}, order, "undone in reverse")
}

type orderRuntime struct{ order *[]string }

func (o *orderRuntime) SetGCPercent(int) int {
	*o.order = append(*o.order, "percent")
	return 100
}

func (o *orderRuntime) SetMemoryLimit(int64) int64 {
	*o.order = append(*o.order, "limit")
	return 1<<63 - 1
}

func TestEnvSetting(t *testing.T) {
	t.Setenv("GOGC", "")
	_, ok := envSetting("GOGC")
	assert.False(t, ok, "an empty GOGC is Go's default, not a setting")
	t.Setenv("GOGC", "off")
	v, ok := envSetting("GOGC")
	assert.True(t, ok)
	assert.Equal(t, "off", v)
}
