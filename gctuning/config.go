package gctuning // import "github.com/AllenNeuralDynamics/otelcol-aind/gctuning"

import (
	"fmt"

	"go.opentelemetry.io/collector/component"
)

// Config is the configuration of the gc_tuning extension.
type Config struct {
	// GOGC is the garbage collector's target percentage, as the GOGC
	// environment variable gives it: a collection starts when the heap has
	// grown by this much since the last one. -1 turns the collector off
	// (only sensible with memory_limit_mib).
	GOGC int `mapstructure:"gogc"`
	// MemoryLimitMiB is a soft limit on the Go runtime's memory, as
	// GOMEMLIMIT gives it; the collector collects harder as the heap nears
	// it. 0 sets none.
	MemoryLimitMiB int64 `mapstructure:"memory_limit_mib"`
}

var _ component.Config = (*Config)(nil)

// Go's own bounds are wider; these are the sensible ones: below 25 the
// collector runs almost constantly, above 10,000 the heap may grow a
// hundredfold before a collection.
const (
	minGOGC = 25
	maxGOGC = 10_000
)

// Validate checks the configuration.
func (cfg *Config) Validate() error {
	if cfg.GOGC != -1 && (cfg.GOGC < minGOGC || cfg.GOGC > maxGOGC) {
		return fmt.Errorf("'gogc' must be -1 (off) or between %d and %d, not %d", minGOGC, maxGOGC, cfg.GOGC)
	}
	if cfg.MemoryLimitMiB < 0 {
		return fmt.Errorf("'memory_limit_mib' must be 0 (none) or positive, not %d", cfg.MemoryLimitMiB)
	}
	if cfg.GOGC == -1 && cfg.MemoryLimitMiB == 0 {
		return fmt.Errorf("'gogc: -1' turns the garbage collector off: set 'memory_limit_mib' too, or the heap grows without bound")
	}
	return nil
}
