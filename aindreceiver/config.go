package aindreceiver // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver"

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/operator/helper"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configoptional"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/consoleinput"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/fileinput"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/httpinput"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/socketinput"
)

const (
	// StartAtBeginning reads files found at start from their first line.
	StartAtBeginning = fileinput.StartAtBeginning
	// StartAtEnd reads only lines written after the receiver found a file.
	StartAtEnd = fileinput.StartAtEnd
)

// Config defines the configuration of the aind receiver. It has four
// inputs: files (include, exclude, ...), HTTP (http), Python logging's
// SocketHandler (socket) and the console of the job `otelcol-aind run`
// runs (console, which the run command sets). At least one must be
// configured; a receiver may use all of them.
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
	// Format is how the files' lines are read: "jsonl" (AIND JSON Lines,
	// the default) or "text" (plain-text logs, read as console lines).
	Format string `mapstructure:"format"`
	// Resource holds static resource attributes put on every record.
	Resource map[string]string `mapstructure:"resource"`
	// HTTP enables the HTTP input (AIND JSON Lines and the Loki push API).
	HTTP configoptional.Optional[httpinput.Config] `mapstructure:"http"`
	// Socket enables the socket input (Python logging's SocketHandler).
	Socket configoptional.Optional[socketinput.Config] `mapstructure:"socket"`
	// Console enables the console input: the stdout and stderr of the job
	// `otelcol-aind run` runs, which sets it.
	Console configoptional.Optional[consoleinput.Config] `mapstructure:"console"`
	// DrainTimeout bounds the drain at shutdown: the file input reads every
	// file to its end and delivers it, the HTTP input finishes the requests
	// in progress, the socket input delivers what its clients sent, the
	// console input delivers the job's output. 0 stops at once.
	DrainTimeout time.Duration `mapstructure:"drain_timeout"`
}

var _ component.Config = (*Config)(nil)

// Validate checks the receiver configuration is valid: the keys all inputs
// share, and the file input's, which are top-level keys, not a section
// that would validate itself. The http, socket and console sections validate
// themselves (confmap.Validate calls every section's Validate).
func (cfg *Config) Validate() error {
	var errs []error
	if len(cfg.Include) == 0 && !cfg.HTTP.HasValue() && !cfg.Socket.HasValue() && !cfg.Console.HasValue() {
		errs = append(errs, errors.New("'include' must list at least one glob pattern, or 'http', 'socket' or 'console' must be set"))
	}
	files := cfg.fileConfig()
	errs = append(errs, files.Validate())
	if cfg.DrainTimeout < 0 {
		errs = append(errs, fmt.Errorf("'drain_timeout' must not be negative, got %s", cfg.DrainTimeout))
	}
	switch {
	case cfg.MaxLogSize <= 0:
		errs = append(errs, fmt.Errorf("'max_log_size' must be positive, got %d", int64(cfg.MaxLogSize)))
	case cfg.MaxLogSize > input.MaxMaxLogSize:
		errs = append(errs, fmt.Errorf("'max_log_size' must be at most %d bytes (64MiB), got %d", int64(input.MaxMaxLogSize), int64(cfg.MaxLogSize)))
	}
	for k := range cfg.Resource {
		if strings.TrimSpace(k) == "" {
			errs = append(errs, errors.New("'resource' must not have an empty attribute name"))
			break
		}
	}
	return errors.Join(errs...)
}

// fileConfig is the file input's part of the configuration: the top-level
// keys about files.
func (cfg *Config) fileConfig() fileinput.Config {
	return fileinput.Config{
		Include:            cfg.Include,
		Exclude:            cfg.Exclude,
		StartAt:            cfg.StartAt,
		PollInterval:       cfg.PollInterval,
		Storage:            cfg.Storage,
		IncludeFileName:    cfg.IncludeFileName,
		IncludeFilePath:    cfg.IncludeFilePath,
		MaxBatchesInFlight: cfg.MaxBatchesInFlight,
		Format:             cfg.Format,
	}
}
