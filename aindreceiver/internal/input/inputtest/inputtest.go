// Package inputtest is what the tests of the aind receiver and of its
// inputs share: an input's settings and its shutdown, the AIND lines they
// send, reading back what a sink received, and next consumers that refuse
// or hold what they are given.
package inputtest // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.uber.org/zap/zaptest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
)

// WaitFor bounds every wait of the tests; nothing asserts how long a step
// takes.
const WaitFor = 20 * time.Second

// Tick is how often a wait checks again.
const Tick = 5 * time.Millisecond

// ReceiverSettings are the receiver's settings in a test: its telemetry in
// tel if given, and its own log when AIND_TEST_LOG is set. The ID is the
// receiver's, not nop settings' random one: an input started again must
// find its checkpoints.
func ReceiverSettings(t testing.TB, tel *componenttest.Telemetry) receiver.Settings {
	set := receivertest.NewNopSettings(metadata.Type)
	set.ID = component.NewID(metadata.Type)
	if tel != nil {
		set.TelemetrySettings = tel.NewTelemetrySettings()
	}
	if os.Getenv("AIND_TEST_LOG") != "" {
		set.Logger = zaptest.NewLogger(t)
	}
	return set
}

// Settings are an input's settings in a test: ReceiverSettings, and the
// receiver's defaults (drain_timeout included).
func Settings(t testing.TB, next consumer.Logs, tel *componenttest.Telemetry) input.Settings {
	t.Helper()
	set := ReceiverSettings(t, tel)
	telemetry, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	require.NoError(t, err)
	t.Cleanup(telemetry.Shutdown)
	return input.Settings{
		Settings:     set,
		Next:         next,
		Telemetry:    telemetry,
		MaxLogSize:   int(input.DefaultMaxLogSize),
		DrainTimeout: input.DefaultDrainTimeout,
	}
}

// Shutdown shuts an input down as the receiver does, with a drain bounded
// by drainTimeout.
func Shutdown(ctx context.Context, in input.Input, drainTimeout time.Duration) error {
	drainCtx, cancel := input.DrainContext(ctx, drainTimeout)
	defer cancel()
	return in.Shutdown(ctx, drainCtx)
}

// NewHost returns a host that offers the given extensions.
func NewHost(extensions map[component.ID]component.Component) component.Host {
	return host{Host: componenttest.NewNopHost(), extensions: extensions}
}

type host struct {
	component.Host
	extensions map[component.ID]component.Component
}

func (h host) GetExtensions() map[component.ID]component.Component {
	return h.extensions
}

// AindLine is a valid AIND record whose message is msg.
func AindLine(msg string) string {
	return fmt.Sprintf(`{"timestamp": "2026-02-09T21:19:24.061270Z", "level": "INFO", "message": %q}`, msg)
}

// AindLines is AindLine of each message.
func AindLines(msgs []string) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = AindLine(m)
	}
	return out
}

// Numbered is prefix-from, ..., prefix-(to-1), three digits each.
func Numbered(prefix string, from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprintf("%s-%03d", prefix, i))
	}
	return out
}

// BenchLine is a typical AIND record of about 300 bytes.
func BenchLine(i int) string {
	return fmt.Sprintf(`{"timestamp": "2026-02-09T21:19:24.%06dZ", "level": "INFO", "message": "Session recorded %d", `+
		`"hostname": "w10dt700140", "software_name": "waterlog", "software_version": "1.0.4", "rig_id": "frg_1_a", `+
		`"subject_id": "713491", "lineno": 20, "process": 1231, "status": "success", "wt_g": 23.93}`, i%1000000, i)
}

// Records lists the log records a sink received, in the order of their
// batches' arrival (a file's batches are delivered concurrently).
func Records(sink *consumertest.LogsSink) []plog.LogRecord {
	var out []plog.LogRecord
	for _, ld := range sink.AllLogs() {
		out = append(out, logRecords(ld)...)
	}
	return out
}

// logRecords lists the log records of ld, in order.
func logRecords(ld plog.Logs) []plog.LogRecord {
	var out []plog.LogRecord
	for i := 0; i < ld.ResourceLogs().Len(); i++ {
		sls := ld.ResourceLogs().At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				out = append(out, lrs.At(k))
			}
		}
	}
	return out
}

// MessageOf returns the message of a map body, or the raw text of a string
// body.
func MessageOf(lr plog.LogRecord) string {
	if lr.Body().Type() == pcommon.ValueTypeMap {
		if m, ok := lr.Body().Map().Get("message"); ok {
			return m.AsString()
		}
	}
	return lr.Body().AsString()
}

// Messages lists the messages the sink received, in the order of Records.
func Messages(sink *consumertest.LogsSink) []string {
	var out []string
	for _, lr := range Records(sink) {
		out = append(out, MessageOf(lr))
	}
	return out
}

// ResourcesOf returns the resource attributes of the records' resources,
// one map per ResourceLogs.
func ResourcesOf(lds []plog.Logs) []map[string]any {
	var out []map[string]any
	for _, ld := range lds {
		for i := 0; i < ld.ResourceLogs().Len(); i++ {
			out = append(out, ld.ResourceLogs().At(i).Resource().Attributes().AsRaw())
		}
	}
	return out
}

// AttrsOf returns a record's attributes as a plain map.
func AttrsOf(lr plog.LogRecord) map[string]any {
	return lr.Attributes().AsRaw()
}

// BodyMap returns a record's map body, or nil.
func BodyMap(lr plog.LogRecord) map[string]any {
	if lr.Body().Type() != pcommon.ValueTypeMap {
		return nil
	}
	return lr.Body().Map().AsRaw()
}

// WaitForMessage waits until the sink received a record with message msg.
func WaitForMessage(t *testing.T, sink *consumertest.LogsSink, msg string) {
	t.Helper()
	require.Eventually(t, func() bool {
		for _, m := range Messages(sink) {
			if m == msg {
				return true
			}
		}
		return false
	}, WaitFor, Tick, "message %q never arrived", msg)
}

// WaitForCount waits until the sink received at least n records.
func WaitForCount(t *testing.T, sink *consumertest.LogsSink, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return sink.LogRecordCount() >= n }, WaitFor, Tick,
		"expected %d records", n)
}

// RequireExactlyOnce checks every expected message arrived exactly once
// and nothing else did.
func RequireExactlyOnce(t *testing.T, got, expected []string) {
	t.Helper()
	counts := map[string]int{}
	for _, m := range got {
		counts[m]++
	}
	var problems []string
	for _, m := range expected {
		if counts[m] != 1 {
			problems = append(problems, fmt.Sprintf("%q received %d times", m, counts[m]))
		}
		delete(counts, m)
	}
	for m, n := range counts {
		problems = append(problems, fmt.Sprintf("unexpected %q received %d times", m, n))
	}
	require.Empty(t, problems, strings.Join(problems, "\n"))
}

// ErrBusy is the retryable error of the consumers that refuse.
var ErrBusy = errors.New("downstream busy")

// RefusingConsumer refuses with the error its refuse function returns for
// each call (nil: accept), mutating the refused data the way a misbehaving
// processor might; the rest goes to the sink.
type RefusingConsumer struct {
	consumertest.LogsSink
	mu       sync.Mutex
	refuse   func(call int) error
	calls    int
	refusals int
}

// NewRefusingConsumer returns a RefusingConsumer that refuses by refuse.
func NewRefusingConsumer(refuse func(call int) error) *RefusingConsumer {
	return &RefusingConsumer{refuse: refuse}
}

// SetRefuse replaces the refuse function for the calls to come.
func (c *RefusingConsumer) SetRefuse(refuse func(call int) error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refuse = refuse
}

func (c *RefusingConsumer) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	c.mu.Lock()
	c.calls++
	err := c.refuse(c.calls)
	if err != nil {
		c.refusals++
	}
	c.mu.Unlock()
	if err != nil {
		lrs := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
		for i := 0; i < lrs.Len(); i++ {
			lrs.At(i).Body().SetStr("mutated by a refusing consumer")
			lrs.At(i).Attributes().PutStr("mutated", "yes")
		}
		ld.ResourceLogs().At(0).Resource().Attributes().PutStr("mutated", "yes")
		return err
	}
	return c.LogsSink.ConsumeLogs(ctx, ld)
}

// Counts returns the calls so far, and how many were refused.
func (c *RefusingConsumer) Counts() (calls, refusals int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls, c.refusals
}

// HoldingConsumer accepts at once the batches whose every record Accepts
// takes (by the number its message ends with), and holds every other call
// until Release is closed (then accepts it) or its context ends (then
// refuses it), as a backend that is down. A nil Accepts holds every call.
// It goes by the lines, not by the order of the calls: the file input
// delivers a file's batches concurrently.
type HoldingConsumer struct {
	consumertest.LogsSink
	Accepts func(line int) bool
	Release chan struct{}
	// Calls counts the calls, held ones included.
	Calls atomic.Int64
}

func (c *HoldingConsumer) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	c.Calls.Add(1)
	if c.acceptsAll(ld) {
		return c.LogsSink.ConsumeLogs(ctx, ld)
	}
	select {
	case <-c.Release:
		return c.LogsSink.ConsumeLogs(ctx, ld)
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *HoldingConsumer) acceptsAll(ld plog.Logs) bool {
	if c.Accepts == nil {
		return false
	}
	for _, lr := range logRecords(ld) {
		msg := MessageOf(lr)
		n, err := strconv.Atoi(msg[strings.LastIndexByte(msg, '-')+1:])
		if err != nil || !c.Accepts(n) {
			return false
		}
	}
	return true
}

// BlockingConsumer holds every call until Gate is closed, unless the
// caller gives up first, and then counts the records.
type BlockingConsumer struct {
	consumertest.LogsSink
	Gate chan struct{}
	mu   sync.Mutex
	n    int
}

func (c *BlockingConsumer) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	select {
	case <-c.Gate:
	case <-ctx.Done():
		return ctx.Err()
	}
	return c.LogsSink.ConsumeLogs(ctx, ld)
}

// Calls returns the calls so far, held ones included.
func (c *BlockingConsumer) Calls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
