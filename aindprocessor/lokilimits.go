package aindprocessor // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor"

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// LokiLimitsConfig makes every record fit a Loki's per-record limits, so that
// Loki's native OTLP endpoint does not answer 400 and the exporter does not
// drop the whole batch for one record. The values mirror the Loki's
// limits_config; the defaults are Loki 3.7's.
type LokiLimitsConfig struct {
	// Enabled turns the guard on (the default).
	Enabled bool `mapstructure:"enabled"`
	// MaxLineSize is Loki's max_line_size: the longest log line, in bytes.
	// 0 means unlimited.
	MaxLineSize ByteSize `mapstructure:"max_line_size"`
	// MaxStructuredMetadataSize is Loki's max_structured_metadata_size: the
	// sum of the names' and values' lengths of one record's structured
	// metadata. 0 means unlimited.
	MaxStructuredMetadataSize ByteSize `mapstructure:"max_structured_metadata_size"`
	// MaxStructuredMetadataEntriesCount is Loki's
	// max_structured_metadata_entries_count. 0 means unlimited.
	MaxStructuredMetadataEntriesCount int `mapstructure:"max_structured_metadata_entries_count"`
	// RejectOldSamples and RejectOldSamplesMaxAge are Loki's settings of the
	// same names; a max age of 0 turns the check off too.
	RejectOldSamples       bool          `mapstructure:"reject_old_samples"`
	RejectOldSamplesMaxAge time.Duration `mapstructure:"reject_old_samples_max_age"`
	// CreationGracePeriod is Loki's creation_grace_period: how far in the
	// future a timestamp may be.
	CreationGracePeriod time.Duration `mapstructure:"creation_grace_period"`
	// MaxDeliveryDelay is how long a record may take from this processor to
	// Loki (batching, sending queue, retries). A record is treated as too old
	// when it is within this of reject_old_samples_max_age.
	MaxDeliveryDelay time.Duration `mapstructure:"max_delivery_delay"`
	// IndexLabels are the resource attributes this Loki stores as stream
	// labels (otlp_config's index_label action, plus Loki's defaults unless
	// ignore_defaults is set). All other resource attributes are structured
	// metadata of every record. List only attributes Loki really indexes:
	// one missing here only makes the guard count conservatively.
	IndexLabels []string `mapstructure:"index_labels"`
}

// LokiDefaultIndexLabels is Loki 3.7's
// distributor.otlp.default_resource_attributes_as_index_labels.
var LokiDefaultIndexLabels = []string{
	"service.name",
	"service.namespace",
	"service.instance.id",
	"deployment.environment",
	"deployment.environment.name",
	"cloud.region",
	"cloud.availability_zone",
	"k8s.cluster.name",
	"k8s.namespace.name",
	"k8s.pod.name",
	"k8s.container.name",
	"container.name",
	"k8s.replicaset.name",
	"k8s.deployment.name",
	"k8s.statefulset.name",
	"k8s.daemonset.name",
	"k8s.cronjob.name",
	"k8s.job.name",
}

// Loki 3.7's defaults (pkg/validation/limits.go).
const (
	lokiDefaultMaxLineSize               = 256 << 10 // "256KB"
	lokiDefaultMaxStructuredMetadataSize = 64 << 10  // "64kb"
	lokiDefaultMaxStructuredMetadataN    = 128
	lokiDefaultRejectOldSamplesMaxAge    = 7 * 24 * time.Hour
	lokiDefaultCreationGracePeriod       = 10 * time.Minute
	defaultMaxDeliveryDelay              = 10 * time.Minute
)

// The smallest limits the guard can work with: the fields Loki adds itself
// (severity, observed_timestamp, trace_id, …) and the guard's own flags must
// fit next to the record's attributes.
const (
	minStructuredMetadataSize    = 1 << 10
	minStructuredMetadataEntries = 16
)

func defaultLokiLimits() LokiLimitsConfig {
	return LokiLimitsConfig{
		Enabled:                           true,
		MaxLineSize:                       lokiDefaultMaxLineSize,
		MaxStructuredMetadataSize:         lokiDefaultMaxStructuredMetadataSize,
		MaxStructuredMetadataEntriesCount: lokiDefaultMaxStructuredMetadataN,
		RejectOldSamples:                  true,
		RejectOldSamplesMaxAge:            lokiDefaultRejectOldSamplesMaxAge,
		CreationGracePeriod:               lokiDefaultCreationGracePeriod,
		MaxDeliveryDelay:                  defaultMaxDeliveryDelay,
		IndexLabels:                       append([]string(nil), LokiDefaultIndexLabels...),
	}
}

// Validate checks the loki_limits section. The messages name only settings.
func (c *LokiLimitsConfig) Validate() error {
	if !c.Enabled {
		return nil
	}
	var errs []error
	if c.MaxLineSize < 0 {
		errs = append(errs, errors.New("loki_limits: max_line_size must not be negative (0 means unlimited)"))
	}
	if s := c.MaxStructuredMetadataSize; s < 0 || (s > 0 && s < minStructuredMetadataSize) {
		errs = append(errs, fmt.Errorf("loki_limits: max_structured_metadata_size must be 0 (unlimited) or at least %d bytes, so that the fields Loki adds and the guard's flags fit", minStructuredMetadataSize))
	}
	if n := c.MaxStructuredMetadataEntriesCount; n < 0 || (n > 0 && n < minStructuredMetadataEntries) {
		errs = append(errs, fmt.Errorf("loki_limits: max_structured_metadata_entries_count must be 0 (unlimited) or at least %d, so that the fields Loki adds and the guard's flags fit", minStructuredMetadataEntries))
	}
	if c.RejectOldSamplesMaxAge < 0 {
		errs = append(errs, errors.New("loki_limits: reject_old_samples_max_age must not be negative (0 turns the check off)"))
	}
	if c.CreationGracePeriod < 0 {
		errs = append(errs, errors.New("loki_limits: creation_grace_period must not be negative"))
	}
	if c.MaxDeliveryDelay < 0 {
		errs = append(errs, errors.New("loki_limits: max_delivery_delay must not be negative"))
	}
	if c.RejectOldSamples && c.RejectOldSamplesMaxAge > 0 && c.MaxDeliveryDelay >= c.RejectOldSamplesMaxAge {
		errs = append(errs, fmt.Errorf("loki_limits: max_delivery_delay (%s) must be shorter than reject_old_samples_max_age (%s)", c.MaxDeliveryDelay, c.RejectOldSamplesMaxAge))
	}
	for i, l := range c.IndexLabels {
		if l == "" {
			errs = append(errs, fmt.Errorf("loki_limits: index_labels[%d] is empty", i))
		}
	}
	return errors.Join(errs...)
}

// ByteSize is a size in bytes. Like Loki's limits_config it accepts a plain
// number or a number with a unit B, KB, MB or GB, case-insensitive, in
// powers of 1024 ("256KB" is 262144), so values can be copied from a Loki
// configuration.
type ByteSize int64

var byteUnits = map[string]int64{
	"": 1, "b": 1, "byte": 1, "bytes": 1,
	"k": 1 << 10, "kb": 1 << 10, "kilo": 1 << 10, "kilobyte": 1 << 10, "kilobytes": 1 << 10,
	"m": 1 << 20, "mb": 1 << 20, "mega": 1 << 20, "megabyte": 1 << 20, "megabytes": 1 << 20,
	"g": 1 << 30, "gb": 1 << 30, "giga": 1 << 30, "gigabyte": 1 << 30, "gigabytes": 1 << 30,
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (b *ByteSize) UnmarshalText(text []byte) error {
	s := strings.TrimSpace(string(text))
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return fmt.Errorf("invalid size %q: want a number of bytes, optionally with a unit B, KB, MB or GB", s)
	}
	n, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil {
		return fmt.Errorf("invalid size %q: %w", s, err)
	}
	unit, ok := byteUnits[strings.ToLower(strings.TrimSpace(s[i:]))]
	if !ok {
		return fmt.Errorf("invalid size %q: unknown unit, want B, KB, MB or GB", s)
	}
	if n > (1<<62)/unit {
		return fmt.Errorf("invalid size %q: too large", s)
	}
	*b = ByteSize(n * unit)
	return nil
}

// MarshalText implements encoding.TextMarshaler, in the largest exact unit.
func (b ByteSize) MarshalText() ([]byte, error) {
	n := int64(b)
	switch {
	case n != 0 && n%(1<<30) == 0:
		return []byte(strconv.FormatInt(n>>30, 10) + "GB"), nil
	case n != 0 && n%(1<<20) == 0:
		return []byte(strconv.FormatInt(n>>20, 10) + "MB"), nil
	case n != 0 && n%(1<<10) == 0:
		return []byte(strconv.FormatInt(n>>10, 10) + "KB"), nil
	}
	return []byte(strconv.FormatInt(n, 10)), nil
}
