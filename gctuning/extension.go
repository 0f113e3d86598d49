package gctuning // import "github.com/AllenNeuralDynamics/otelcol-aind/gctuning"

import (
	"context"
	"os"
	"runtime/debug"

	"go.opentelemetry.io/collector/component"
	"go.uber.org/zap"
)

// gcRuntime is what the extension sets of runtime/debug; tests give their
// own, so that they leave the test process's collector alone.
type gcRuntime interface {
	SetGCPercent(percent int) int
	SetMemoryLimit(limit int64) int64
}

type runtimeGC struct{}

func (runtimeGC) SetGCPercent(percent int) int     { return debug.SetGCPercent(percent) }
func (runtimeGC) SetMemoryLimit(limit int64) int64 { return debug.SetMemoryLimit(limit) }

// envSetting returns the environment's value of a Go runtime variable, if
// it sets one.
func envSetting(name string) (string, bool) {
	v, ok := os.LookupEnv(name)
	return v, ok && v != ""
}

// tuning is the extension: Start applies the configuration where the
// environment sets nothing, Shutdown puts back what was there before, so a
// collector that reloads its configuration starts from the same state.
type tuning struct {
	logger  *zap.Logger
	cfg     *Config
	rt      gcRuntime
	env     func(name string) (string, bool)
	restore []func()
}

func newTuning(logger *zap.Logger, cfg *Config, rt gcRuntime, env func(string) (string, bool)) *tuning {
	return &tuning{logger: logger, cfg: cfg, rt: rt, env: env}
}

// Start sets the memory limit before the target, so that turning the
// collector off (gogc: -1) never runs without its limit.
func (t *tuning) Start(context.Context, component.Host) error {
	if t.cfg.MemoryLimitMiB > 0 {
		limit := t.cfg.MemoryLimitMiB << 20
		t.apply("GOMEMLIMIT", "memory_limit_mib", t.cfg.MemoryLimitMiB, func() func() {
			prev := t.rt.SetMemoryLimit(limit)
			return func() { t.rt.SetMemoryLimit(prev) }
		})
	}
	t.apply("GOGC", "gogc", int64(t.cfg.GOGC), func() func() {
		prev := t.rt.SetGCPercent(t.cfg.GOGC)
		return func() { t.rt.SetGCPercent(prev) }
	})
	return nil
}

// apply runs set, which returns its undoing, unless the environment
// variable envName is set: then the runtime already follows it, and the
// operator's word wins over the configuration's.
func (t *tuning) apply(envName, key string, value int64, set func() (undo func())) {
	if v, ok := t.env(envName); ok {
		t.logger.Info("Go runtime setting taken from the environment, not from gc_tuning",
			zap.String(envName, v), zap.Int64(key, value))
		return
	}
	t.restore = append(t.restore, set())
	t.logger.Info("Go runtime setting applied", zap.Int64(key, value))
}

func (t *tuning) Shutdown(context.Context) error {
	for i := len(t.restore) - 1; i >= 0; i-- {
		t.restore[i]()
	}
	t.restore = nil
	return nil
}
