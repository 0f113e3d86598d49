package consoleinput

import (
	"errors"
	"fmt"
	"time"
)

const (
	defaultPollInterval = 50 * time.Millisecond
	// defaultHoldInterval is how long a complete line waits for what may
	// belong to it (a traceback after a logging line).
	defaultHoldInterval = time.Second
	// defaultRedrawInterval bounds how long a line still being redrawn (a
	// progress bar) is held before its state is delivered anyway.
	defaultRedrawInterval = time.Minute
)

// Config configures the console input, the receiver's console section:
// the stdout and stderr of the job `otelcol-aind run` runs, which it
// spools into a directory. The run command sets it; a configuration has no
// reason to.
type Config struct {
	// Spool is the spool directory of the run (internal/consolespool).
	Spool string `mapstructure:"spool"`
	// PollInterval is how often the spool is looked at for new output once
	// everything in it was read.
	PollInterval time.Duration `mapstructure:"poll_interval"`
	// HoldInterval bounds how long a complete line is held to see whether
	// the next one belongs to it (a traceback after its log.exception()
	// line, a chained traceback after the first).
	HoldInterval time.Duration `mapstructure:"hold_interval"`
	// RedrawInterval bounds how long a line redrawn with carriage returns,
	// or not ended yet, is held: past it, its state so far is delivered.
	RedrawInterval time.Duration `mapstructure:"redraw_interval"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// NewDefaultConfig returns the console input's defaults.
func NewDefaultConfig() Config {
	return Config{
		PollInterval:   defaultPollInterval,
		HoldInterval:   defaultHoldInterval,
		RedrawInterval: defaultRedrawInterval,
	}
}

// Validate checks the console section.
func (cfg *Config) Validate() error {
	var errs []error
	if cfg.Spool == "" {
		errs = append(errs, errors.New("'console::spool' must name the run's spool directory (otelcol-aind run sets it)"))
	}
	for _, d := range []struct {
		name string
		d    time.Duration
	}{{"poll_interval", cfg.PollInterval}, {"hold_interval", cfg.HoldInterval}, {"redraw_interval", cfg.RedrawInterval}} {
		if d.d <= 0 {
			errs = append(errs, fmt.Errorf("'console::%s' must be positive, got %s", d.name, d.d))
		}
	}
	return errors.Join(errs...)
}
