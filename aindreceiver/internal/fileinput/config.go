package fileinput

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/fileconsumer"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/fileconsumer/matcher"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/operator/helper"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/trim"
	"go.opentelemetry.io/collector/component"
)

const (
	// StartAtBeginning reads files found at start from their first line.
	StartAtBeginning = "beginning"
	// StartAtEnd reads only lines written after the receiver found a file.
	StartAtEnd = "end"

	// FormatJSONL reads each line as an AIND JSON Lines record.
	FormatJSONL = "jsonl"
	// FormatText reads plain-text logs (a rotating file of Python's
	// logging, mpetk's) as console lines: levels, loggers and tracebacks,
	// as `otelcol-aind run` reads a job's output (internal/consoletext).
	FormatText = "text"

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

// Config is the file input's part of the receiver's configuration: its
// top-level keys about files, where the receiver's Config says what each
// means. They are not a section of their own, so the receiver's Validate
// calls this one's.
type Config struct {
	Include            []string
	Exclude            []string
	StartAt            string
	PollInterval       time.Duration
	Storage            *component.ID
	IncludeFileName    bool
	IncludeFilePath    bool
	MaxBatchesInFlight int
	Format             string
}

// NewDefaultConfig returns the file input's defaults: no files, and what
// applies once include lists some.
func NewDefaultConfig() Config {
	return Config{
		StartAt:            StartAtEnd,
		PollInterval:       defaultPollInterval,
		IncludeFileName:    true,
		MaxBatchesInFlight: defaultMaxBatchesInFlight,
		Format:             FormatJSONL,
	}
}

// Validate checks the file input's keys. An empty include is valid: the
// receiver then has no file input, and says whether it has another one.
func (cfg *Config) Validate() error {
	var errs []error
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
	switch cfg.Format {
	case FormatJSONL, FormatText:
	default:
		errs = append(errs, fmt.Errorf("'format' must be %q or %q, got %q", FormatJSONL, FormatText, cfg.Format))
	}
	if cfg.PollInterval <= 0 {
		errs = append(errs, fmt.Errorf("'poll_interval' must be positive, got %s", cfg.PollInterval))
	}
	if cfg.MaxBatchesInFlight < 1 || cfg.MaxBatchesInFlight > maxMaxBatchesInFlight {
		errs = append(errs, fmt.Errorf("'max_batches_in_flight' must be between 1 and %d, got %d", maxMaxBatchesInFlight, cfg.MaxBatchesInFlight))
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

// fileConsumerConfig maps the file input's configuration, and the
// receiver's max_log_size, onto fileconsumer's.
func (cfg *Config) fileConsumerConfig(maxLogSize int) *fileconsumer.Config {
	c := fileconsumer.NewConfig()
	c.Include = cfg.Include
	c.Exclude = cfg.Exclude
	c.StartAt = cfg.StartAt
	c.PollInterval = cfg.PollInterval
	// fileconsumer hands over at most MaxLogSize bytes of a line and drops
	// the rest of it. One byte more than max_log_size tells a line that was
	// cut from one that fits exactly: see jsonlines.Builder.CutRaw.
	c.MaxLogSize = helper.ByteSize(maxLogSize) + 1
	c.MaxLogSizeBehavior = fileconsumer.MaxLogSizeBehaviorTruncate
	// Raw bytes: lengths stay those of the file, and invalid UTF-8 is
	// replaced once, by jsonlines.DecodeLine.
	c.Encoding = "utf-8-raw"
	// No trimming by fileconsumer, so that a cut line is always one byte
	// longer than max_log_size; the Builder cleans the line afterwards.
	c.TrimConfig = trim.Config{PreserveLeading: true, PreserveTrailing: true}
	// The path is always asked for: it names the files whose lines were
	// not delivered when a drain runs out of time. The record gets only the
	// attributes the configuration asks for (Input.fileAttrs).
	c.IncludeFileName = cfg.IncludeFileName
	c.IncludeFilePath = true
	return c
}
