package socketinput

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.uber.org/zap"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/pickle"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
)

const (
	// frameHeaderSize is SocketHandler's length prefix: 4 bytes, big-endian.
	frameHeaderSize = 4
	// maxBatchFrames and maxBatchBytes bound one delivery: the frames a
	// connection has already received are delivered together, up to these.
	maxBatchFrames = 1024
	maxBatchBytes  = 1 << 20
	// readBufferSize is the connection's read buffer; frames that fit in it
	// are read without a system call each.
	readBufferSize = 64 << 10
	// frameChunkSize is how much of a frame is read at a time, so that a
	// length prefix costs memory only as its bytes arrive.
	frameChunkSize = 64 << 10
	// maxKeptArena is the largest frame buffer a connection keeps between
	// batches.
	maxKeptArena = 4 << 20
)

// frameSettings are what every connection of the socket input reads and
// builds its records by.
type frameSettings struct {
	maxFrameSize  int
	readTimeout   time.Duration
	resource      map[string]string
	clientAddress bool
}

// socketConn reads one connection's frames, in batches of those already
// received, and delivers each batch before it reads on.
type socketConn struct {
	conn      net.Conn
	br        *bufio.Reader
	logger    *zap.Logger
	settings  *frameSettings
	retry     *input.Retrying
	telemetry *metadata.TelemetryBuilder
	// delivering counts the input's records being delivered.
	delivering *atomic.Int64
	// waitDeadline sets the deadline of a wait for the next frame, and
	// says whether the input is draining.
	waitDeadline func(set func(time.Time) error) (draining bool, err error)
	// client is the peer's IP address for client.address, if asked for.
	client string

	decoder pickle.Decoder
	// arena holds the batch's frames back to back; ends[i] is where frame
	// i ends. They stay until the batch is delivered: each attempt decodes
	// them again.
	arena []byte
	ends  []int
}

func newSocketConn(conn net.Conn, logger *zap.Logger, settings *frameSettings, retry *input.Retrying, telemetry *metadata.TelemetryBuilder,
	delivering *atomic.Int64, waitDeadline func(func(time.Time) error) (bool, error),
) *socketConn {
	c := &socketConn{
		conn:         conn,
		br:           bufio.NewReaderSize(conn, readBufferSize),
		logger:       logger,
		settings:     settings,
		retry:        retry,
		telemetry:    telemetry,
		delivering:   delivering,
		waitDeadline: waitDeadline,
	}
	if settings.clientAddress {
		c.client = conn.RemoteAddr().String()
		if host, _, err := net.SplitHostPort(c.client); err == nil {
			c.client = host
		}
	}
	return c
}

// serve reads and delivers batches until the connection ends, and returns
// why it ended. The frames read before it ended are delivered first, a
// frame cut short included (decoded as far as it goes, and flagged).
func (c *socketConn) serve(ctx context.Context) string {
	for {
		reason := c.readBatch()
		if len(c.ends) > 0 && c.deliver(ctx) != nil {
			return closeShutdown // the drain ran out of time
		}
		if reason != "" {
			return reason
		}
	}
}

// readBatch reads one frame, waiting for it, then the frames already
// received, up to the batch limits. It returns a close reason when the
// connection cannot go on.
func (c *socketConn) readBatch() string {
	c.arena, c.ends = c.arena[:0], c.ends[:0]
	for len(c.ends) < maxBatchFrames && len(c.arena) < maxBatchBytes {
		if len(c.ends) > 0 && !c.frameBuffered() {
			return ""
		}
		if reason := c.readFrame(len(c.ends) == 0); reason != "" {
			return reason
		}
	}
	return ""
}

// frameBuffered reports whether a whole frame is in the read buffer.
func (c *socketConn) frameBuffered() bool {
	hdr, err := c.br.Peek(min(frameHeaderSize, c.br.Buffered()))
	if err != nil || len(hdr) < frameHeaderSize {
		return false
	}
	return uint64(c.br.Buffered()) >= frameHeaderSize+uint64(binary.BigEndian.Uint32(hdr))
}

// readFrame reads one frame into the arena. first says the batch is empty,
// so the connection may wait for the frame as long as idle_timeout allows;
// from its first byte on, the frame must arrive within read_timeout.
func (c *socketConn) readFrame(first bool) string {
	if first && c.br.Buffered() == 0 {
		draining, err := c.waitDeadline(c.conn.SetReadDeadline)
		if err != nil {
			return closeError
		}
		if _, err := c.br.Peek(1); err != nil {
			if isTimeout(err) && draining {
				return closeShutdown
			}
			return closedBy(err, closeIdle)
		}
	}
	if !c.frameBuffered() {
		if err := c.conn.SetReadDeadline(time.Now().Add(c.settings.readTimeout)); err != nil {
			return closeError
		}
	}
	hdr, err := c.br.Peek(frameHeaderSize)
	if err != nil {
		return closedBy(err, closeReadTimeout) // a few bytes that are no frame are lost
	}
	size := binary.BigEndian.Uint32(hdr)
	if uint64(size) > uint64(c.settings.maxFrameSize) {
		c.logger.Warn("Socket input closed a connection: a frame is longer than max_frame_size",
			zap.Stringer("remote", c.conn.RemoteAddr()), zap.Uint32("frame_size", size),
			zap.Int("max_frame_size", c.settings.maxFrameSize))
		return closeFrameTooLarge
	}
	_, _ = c.br.Discard(frameHeaderSize)
	for remaining := int(size); remaining > 0; {
		chunk := min(remaining, frameChunkSize)
		at := len(c.arena)
		c.arena = slices.Grow(c.arena, chunk)[:at+chunk]
		n, err := io.ReadFull(c.br, c.arena[at:])
		remaining -= n
		if err != nil {
			c.arena = c.arena[:at+n]
			c.ends = append(c.ends, len(c.arena)) // cut short: decoded as far as it goes
			return closedBy(err, closeReadTimeout)
		}
	}
	c.ends = append(c.ends, len(c.arena))
	return ""
}

// deliver hands the batch to the next consumer until it is accepted (see
// input.Retrying.Deliver).
func (c *socketConn) deliver(ctx context.Context) error {
	n := int64(len(c.ends))
	c.delivering.Add(n)
	defer c.delivering.Add(-n)
	observed := pcommon.NewTimestampFromTime(time.Now())
	err := c.retry.Deliver(ctx, func(attempt int) plog.Logs {
		ld, counts := c.build(observed)
		if attempt == 1 {
			input.CountLines(ctx, c.telemetry, counts)
		}
		return ld
	})
	if cap(c.arena) > maxKeptArena {
		c.arena = nil
	}
	return err
}

// build makes one record of each frame of the batch: its body the
// LogRecord's dict, without the keys whose value is None (SocketHandler
// sets args and exc_info to None; a None means the field is unset).
func (c *socketConn) build(observed pcommon.Timestamp) (plog.Logs, jsonlines.Counts) {
	var counts jsonlines.Counts
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	res := rl.Resource().Attributes()
	res.EnsureCapacity(len(c.settings.resource) + 1)
	for k, v := range c.settings.resource {
		res.PutStr(k, v)
	}
	if c.client != "" {
		res.PutStr(input.AttrClientAddress, c.client)
	}
	records := rl.ScopeLogs().AppendEmpty().LogRecords()
	records.EnsureCapacity(len(c.ends))
	start := 0
	for _, end := range c.ends {
		frame := c.arena[start:end]
		start = end
		lr := records.AppendEmpty()
		lr.SetObservedTimestamp(observed)
		body := lr.Body().SetEmptyMap()
		report, err := c.decoder.DecodeDict(frame, body)
		body.RemoveIf(func(_ string, v pcommon.Value) bool { return v.Type() == pcommon.ValueTypeEmpty })
		if reason := frameError(report, err); reason != "" {
			lr.Attributes().PutStr(aind.AttrParseError, reason)
			counts.ParseErrors++
		}
	}
	return ld, counts
}

// frameError is the aind.parse.error of a frame: why it is not a plain
// pickled dict. The decoder's errors name opcodes and offsets, never the
// frame's bytes.
func frameError(report pickle.Report, err error) string {
	switch {
	case err != nil:
		return err.Error() // "pickle: truncated (opcode 0x58 at offset 10)"
	case report.Objects > 0:
		return fmt.Sprintf("pickle: %d values are Python objects, kept as their class names", report.Objects)
	}
	return ""
}

// closedBy names why a read ended: the client closed the connection, the
// deadline passed (timeoutReason), or it failed.
func closedBy(err error, timeoutReason string) string {
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return closeClient
	case isTimeout(err):
		return timeoutReason
	}
	return closeError
}

func isTimeout(err error) bool {
	return errors.Is(err, os.ErrDeadlineExceeded)
}
