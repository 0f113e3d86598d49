// Package lokifit makes every log record fit Grafana Loki's per-record
// limits, so that Loki's native OTLP endpoint does not answer 400 and the
// exporter does not drop a whole batch for one record. How Loki counts a
// record, and how the guard makes it fit, is in design.md.
package lokifit // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"

import (
	"errors"
	"fmt"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/operator/helper"
)

// Config is the processor's loki_limits section. The values mirror a Loki's
// limits_config; the defaults are Loki 3.7's.
type Config struct {
	// Enabled turns the guard on (the default).
	Enabled bool `mapstructure:"enabled"`
	// MaxLineSize is Loki's max_line_size: the longest log line, in bytes.
	// 0 means unlimited. It is the receiver's byte-size type, so that sizes
	// are written alike across the distribution.
	MaxLineSize helper.ByteSize `mapstructure:"max_line_size"`
	// MaxStructuredMetadataSize is Loki's max_structured_metadata_size: the
	// sum of the names' and values' lengths of one record's structured
	// metadata. 0 means unlimited.
	MaxStructuredMetadataSize helper.ByteSize `mapstructure:"max_structured_metadata_size"`
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

// DefaultIndexLabels is Loki 3.7's
// distributor.otlp.default_resource_attributes_as_index_labels.
var DefaultIndexLabels = []string{
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

// Loki 3.7's defaults (pkg/validation/limits.go). Loki reads sizes in powers
// of 1024: its "256KB" is 256 KiB.
const (
	defaultMaxLineSize               = 256 << 10 // Loki's "256KB"
	defaultMaxStructuredMetadataSize = 64 << 10  // Loki's "64kb"
	defaultMaxStructuredMetadataN    = 128
	defaultRejectOldSamplesMaxAge    = 7 * 24 * time.Hour
	defaultCreationGracePeriod       = 10 * time.Minute
	defaultMaxDeliveryDelay          = 10 * time.Minute
)

// The smallest limits the guard can work with: the fields Loki adds itself
// (severity, observed_timestamp, trace_id, …) and the guard's own flags must
// fit next to the record's attributes.
const (
	minStructuredMetadataSize    = 1 << 10
	minStructuredMetadataEntries = 16
)

// DefaultConfig is the guard on, with Loki's defaults.
func DefaultConfig() Config {
	return Config{
		Enabled:                           true,
		MaxLineSize:                       defaultMaxLineSize,
		MaxStructuredMetadataSize:         defaultMaxStructuredMetadataSize,
		MaxStructuredMetadataEntriesCount: defaultMaxStructuredMetadataN,
		RejectOldSamples:                  true,
		RejectOldSamplesMaxAge:            defaultRejectOldSamplesMaxAge,
		CreationGracePeriod:               defaultCreationGracePeriod,
		MaxDeliveryDelay:                  defaultMaxDeliveryDelay,
		IndexLabels:                       append([]string(nil), DefaultIndexLabels...),
	}
}

// Validate checks the loki_limits section. The messages name only settings.
// The byte-size type takes negative numbers, so the sizes are checked here.
func (c *Config) Validate() error {
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
