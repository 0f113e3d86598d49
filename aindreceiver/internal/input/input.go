// Package input is what the aind receiver's inputs share: the settings the
// receiver gives each of them (Settings), the lifecycle it runs them by
// (Input), and how they hand records to the next consumer (Retrying,
// CountLines). Each input is a package beside this one (fileinput,
// httpinput, socketinput) that builds an Input from Settings and its own
// Config.
package input // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"

import (
	"context"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/operator/helper"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receiverhelper"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
)

const (
	// DefaultDrainTimeout is drain_timeout's default: Vector's graceful
	// shutdown limit.
	DefaultDrainTimeout = 60 * time.Second
	// DefaultMaxLogSize is max_log_size's default.
	DefaultMaxLogSize = helper.ByteSize(1 << 20) // 1 MiB
	// MaxMaxLogSize caps max_log_size, and the socket input's max_frame_size:
	// a line or a frame is held in memory whole, more than once while it is
	// decoded, so a typo ("1GiB") must not be accepted.
	MaxMaxLogSize = helper.ByteSize(64 << 20) // 64 MiB

	// AttrClientAddress is the semantic-convention name of the peer's
	// address, which the inputs that listen put on the resource when asked
	// (include_client_address).
	AttrClientAddress = "client.address"
)

// Settings is what the receiver gives each of its inputs: its own settings
// and telemetry, the next consumer, and the receiver-wide keys of its
// configuration.
type Settings struct {
	receiver.Settings
	// Next is the consumer every input hands its records to.
	Next consumer.Logs
	// Telemetry is the receiver's own telemetry, which its inputs share.
	Telemetry *metadata.TelemetryBuilder
	// Resource holds the static resource attributes put on every record
	// (resource).
	Resource map[string]string
	// MaxLogSize is the longest line delivered whole (max_log_size).
	MaxLogSize int
	// DrainTimeout bounds the drain at shutdown (drain_timeout), which an
	// input names when it reports what it did not deliver; 0 means no
	// drain, and nothing to report.
	DrainTimeout time.Duration
}

// NewObsReport returns the obsreport of an input that receives over
// transport. longLivedCtx says the context an input passes to it outlives
// each receive operation, as the file input's does.
func (s Settings) NewObsReport(transport string, longLivedCtx bool) (*receiverhelper.ObsReport, error) {
	return receiverhelper.NewObsReport(receiverhelper.ObsReportSettings{
		ReceiverID:             s.ID,
		Transport:              transport,
		LongLivedCtx:           longLivedCtx,
		ReceiverCreateSettings: s.Settings,
	})
}

// Input is one of the receiver's inputs, as the receiver runs it: it starts
// them in order, and at shutdown drains them all at once.
type Input interface {
	// Start starts the input. After a failed Start, Shutdown stops what it
	// started.
	Start(ctx context.Context, host component.Host) error
	// Shutdown delivers what the input received before it was called,
	// within drainCtx, then stops the input within ctx. When drainCtx ends
	// first, what is in flight is cancelled, and Shutdown logs and returns
	// an error that counts what was not delivered (counts, never content).
	// It is safe to call without Start and more than once.
	Shutdown(ctx, drainCtx context.Context) error
}

// DrainContext is the context of a drain bounded by drain_timeout: the
// inputs' Shutdown, then the wait for the sending queues, all run within it.
func DrainContext(ctx context.Context, drainTimeout time.Duration) (context.Context, context.CancelFunc) {
	if drainTimeout <= 0 {
		// No drain: stop at once, as if it had run out of time.
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, drainTimeout)
}
