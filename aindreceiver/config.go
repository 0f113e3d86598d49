package aindreceiver // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver"

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/fileconsumer/matcher"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/operator/helper"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configoptional"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/httpinput"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/socketinput"
)

const (
	// StartAtBeginning reads files found at start from their first line.
	StartAtBeginning = "beginning"
	// StartAtEnd reads only lines written after the receiver found a file.
	StartAtEnd = "end"

	defaultPollInterval = 200 * time.Millisecond
	// defaultMaxBatchesInFlight keeps four round trips to the backend
	// going per file: into a real Loki the shipped agent ran 1.7× the
	// lines/s of one; into the benchmark's loopback sink two were enough,
	// and eight gained nothing measurable (bench/RESULTS.md).
	defaultMaxBatchesInFlight = 4
	// maxMaxBatchesInFlight bounds the records a file holds in delivery
	// (fileconsumer's batches are 100 lines).
	maxMaxBatchesInFlight = 64
)

// Config defines the configuration of the aind receiver. It has three
// inputs: files (include, exclude, ...), HTTP (http) and Python logging's
// SocketHandler (socket). At least one must be configured; a receiver may
// use all of them.
type Config struct {
	// Include lists the glob patterns of the files to read. Required unless
	// http or socket is set; empty means no file input.
	Include []string `mapstructure:"include"`
	// Exclude lists glob patterns of files not to read, even if included.
	Exclude []string `mapstructure:"exclude"`
	// StartAt is "end" (default: only new lines) or "beginning". It applies
	// only to files the receiver has no checkpoint for.
	StartAt string `mapstructure:"start_at"`
	// PollInterval is how often the files are checked for new lines.
	PollInterval time.Duration `mapstructure:"poll_interval"`
	// MaxLogSize is the longest line delivered whole; a longer line is cut to
	// this many bytes and flagged aind.truncated.
	MaxLogSize helper.ByteSize `mapstructure:"max_log_size"`
	// Storage names a storage extension that keeps the read offsets across
	// restarts. Without it offsets live in memory.
	Storage *component.ID `mapstructure:"storage"`
	// IncludeFileName adds the attribute log.file.name to each record.
	IncludeFileName bool `mapstructure:"include_file_name"`
	// IncludeFilePath adds the attribute log.file.path to each record.
	IncludeFilePath bool `mapstructure:"include_file_path"`
	// MaxBatchesInFlight is how many batches of one file (100 lines each)
	// may be in delivery at once; a file's checkpoint still moves only past
	// batches that were accepted, with every batch before them. 1 delivers
	// a file's batches one after the other, in order.
	MaxBatchesInFlight int `mapstructure:"max_batches_in_flight"`
	// Resource holds static resource attributes put on every record.
	Resource map[string]string `mapstructure:"resource"`
	// HTTP enables the HTTP input (AIND JSON Lines and the Loki push API).
	HTTP configoptional.Optional[httpinput.Config] `mapstructure:"http"`
	// Socket enables the socket input (Python logging's SocketHandler).
	Socket configoptional.Optional[socketinput.Config] `mapstructure:"socket"`
	// DrainTimeout bounds the drain at shutdown: the file input reads every
	// file to its end and delivers it, the HTTP input finishes the requests
	// in progress, the socket input delivers what its clients sent. 0 stops
	// at once.
	DrainTimeout time.Duration `mapstructure:"drain_timeout"`
}

var _ component.Config = (*Config)(nil)

// Validate checks the receiver configuration is valid.
func (cfg *Config) Validate() error {
	var errs []error
	if len(cfg.Include) == 0 && !cfg.HTTP.HasValue() && !cfg.Socket.HasValue() {
		errs = append(errs, errors.New("'include' must list at least one glob pattern, or 'http' or 'socket' must be set"))
	}
	if len(cfg.Include) == 0 && len(cfg.Exclude) > 0 {
		errs = append(errs, errors.New("'exclude' is set but 'include' is empty"))
	}
	errs = append(errs, validateGlobs("include", cfg.Include)...)
	errs = append(errs, validateGlobs("exclude", cfg.Exclude)...)

	switch cfg.StartAt {
	case StartAtBeginning, StartAtEnd:
	default:
		errs = append(errs, fmt.Errorf("'start_at' must be %q or %q, got %q", StartAtBeginning, StartAtEnd, cfg.StartAt))
	}
	if cfg.DrainTimeout < 0 {
		errs = append(errs, fmt.Errorf("'drain_timeout' must not be negative, got %s", cfg.DrainTimeout))
	}
	if cfg.PollInterval <= 0 {
		errs = append(errs, fmt.Errorf("'poll_interval' must be positive, got %s", cfg.PollInterval))
	}
	switch {
	case cfg.MaxLogSize <= 0:
		errs = append(errs, fmt.Errorf("'max_log_size' must be positive, got %d", int64(cfg.MaxLogSize)))
	case cfg.MaxLogSize > input.MaxMaxLogSize:
		errs = append(errs, fmt.Errorf("'max_log_size' must be at most %d bytes (64MiB), got %d", int64(input.MaxMaxLogSize), int64(cfg.MaxLogSize)))
	}
	if cfg.MaxBatchesInFlight < 1 || cfg.MaxBatchesInFlight > maxMaxBatchesInFlight {
		errs = append(errs, fmt.Errorf("'max_batches_in_flight' must be between 1 and %d, got %d", maxMaxBatchesInFlight, cfg.MaxBatchesInFlight))
	}
	for k := range cfg.Resource {
		if strings.TrimSpace(k) == "" {
			errs = append(errs, errors.New("'resource' must not have an empty attribute name"))
			break
		}
	}
	return errors.Join(errs...)
}

// validateGlobs checks each pattern the way fileconsumer will parse it.
func validateGlobs(key string, globs []string) []error {
	var errs []error
	for i, glob := range globs {
		if strings.TrimSpace(glob) == "" {
			errs = append(errs, fmt.Errorf("'%s[%d]' is empty", key, i))
			continue
		}
		if _, err := matcher.New(matcher.Criteria{Include: []string{glob}}); err != nil {
			if inner := errors.Unwrap(err); inner != nil {
				err = inner // drop matcher's "include: " prefix
			}
			errs = append(errs, fmt.Errorf("'%s[%d]' %q is not a valid glob pattern: %w", key, i, glob, err))
		}
	}
	return errs
}
