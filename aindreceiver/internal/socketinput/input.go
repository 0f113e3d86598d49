// Package socketinput is the aind receiver's socket input: Python logging's
// SocketHandler over TCP, and its DatagramHandler over UDP. Each frame, a
// pickled LogRecord dict, becomes one record. See design.md.
package socketinput // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/socketinput"

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
)

const (
	// formatPythonPickle names what the socket input reads in its
	// obsreport spans.
	formatPythonPickle = "python_pickle"

	// drainReadWindow is how long, at shutdown, the socket input goes on
	// reading its connections: the frames a client had sent by then are
	// delivered. A client that never pauses would otherwise hold the drain
	// until its deadline.
	drainReadWindow = 500 * time.Millisecond
	// acceptRetryMax bounds the pause after a failed Accept.
	acceptRetryMax = time.Second
	// limitWarnEvery spaces the warnings about refused connections, which a
	// flood of connections would otherwise turn into a flood of logs.
	limitWarnEvery = 10 * time.Second
)

// Input serves Python logging's SocketHandler protocol: each connection is
// a stream of frames, a 4-byte big-endian length and a pickled LogRecord
// dict, and each frame becomes one record. A connection is read by its own
// goroutine, which delivers what it read before reading on: while the
// pipeline is slow, the client's socket fills and its sendall waits.
type Input struct {
	set       input.Settings
	cfg       Config
	telemetry *metadata.TelemetryBuilder
	retry     input.Retrying
	// frames holds what each connection needs to build its records.
	frames frameSettings

	listener net.Listener
	addr     net.Addr
	udp      *udpInput // nil without udp_endpoint
	// slots has one token per open connection, max_connections in all.
	slots chan struct{}
	wg    sync.WaitGroup

	mu    sync.Mutex
	conns map[*socketConn]struct{}
	// drainUntil, once set, is when the connections stop reading.
	drainUntil time.Time

	// deliveryCtx ends the deliveries in progress when a drain runs out of
	// time.
	deliveryCtx    context.Context
	cancelDelivery context.CancelFunc
	// deliveryRecords counts the records being delivered: what a drain
	// that runs out of time cuts off.
	deliveryRecords atomic.Int64
	lastLimitWarn   atomic.Int64
}

// Attribute sets of the reasons a connection is closed, made once.
var closeReasons = func() map[string]metric.AddOption {
	m := map[string]metric.AddOption{}
	for _, r := range []string{closeClient, closeIdle, closeReadTimeout, closeFrameTooLarge, closeLimit, closeShutdown, closeError} {
		m[r] = metric.WithAttributeSet(attribute.NewSet(attribute.String("reason", r)))
	}
	return m
}()

// Why a connection was closed (the reason attribute of
// receiver_aind_socket_connections_closed).
const (
	closeClient        = "client"
	closeIdle          = "idle_timeout"
	closeReadTimeout   = "read_timeout"
	closeFrameTooLarge = "frame_too_large"
	closeLimit         = "connection_limit"
	closeShutdown      = "shutdown"
	closeError         = "error"
)

var _ input.Input = (*Input)(nil)

// New returns the socket input of cfg.
func New(set input.Settings, cfg Config) (*Input, error) {
	obsrecv, err := set.NewObsReport("tcp", false)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Input{
		set:       set,
		cfg:       cfg,
		telemetry: set.Telemetry,
		retry:     input.NewRetrying(set.Logger, set.Next, obsrecv, set.Telemetry, formatPythonPickle),
		frames: frameSettings{
			maxFrameSize:  int(cfg.MaxFrameSize),
			readTimeout:   cfg.ReadTimeout,
			resource:      maps.Clone(set.Resource),
			clientAddress: cfg.IncludeClientAddress,
		},
		slots:          make(chan struct{}, cfg.MaxConnections),
		conns:          map[*socketConn]struct{}{},
		deliveryCtx:    ctx,
		cancelDelivery: cancel,
	}, nil
}

// Start listens and accepts connections in the background. When it cannot
// listen on udp_endpoint, the TCP listener it started is stopped by
// Shutdown.
func (in *Input) Start(ctx context.Context, _ component.Host) error {
	listener, err := in.cfg.Listen(ctx)
	if err != nil {
		return fmt.Errorf("listen on %q: %w", in.cfg.Endpoint, err)
	}
	in.listener = listener
	in.addr = listener.Addr()
	in.set.Logger.Info("Socket input listening (Python logging SocketHandler)", zap.String("address", in.addr.String()))
	in.wg.Go(in.accept)
	if in.cfg.UDPEndpoint == "" {
		return nil
	}
	in.udp = newUDPInput(in)
	if err := in.udp.start(ctx); err != nil {
		in.udp = nil
		return fmt.Errorf("listen on %q (udp): %w", in.cfg.UDPEndpoint, err)
	}
	return nil
}

// accept serves each connection it accepts, or closes it at once when
// max_connections are open: the client sees its send fail and connects
// again later, as SocketHandler does. A failed Accept (out of file
// descriptors, say) is retried after a pause, as net/http's server does.
func (in *Input) accept() {
	var pause time.Duration
	for {
		conn, err := in.listener.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			pause = min(max(2*pause, 5*time.Millisecond), acceptRetryMax)
			in.set.Logger.Warn("Socket input could not accept a connection; retrying", zap.Error(err), zap.Duration("pause", pause))
			time.Sleep(pause)
			continue
		}
		pause = 0
		ctx := context.Background()
		in.telemetry.ReceiverAindSocketConnections.Add(ctx, 1)
		select {
		case in.slots <- struct{}{}:
		default:
			// Counted before the close, which is what a client sees.
			in.telemetry.ReceiverAindSocketConnectionsClosed.Add(ctx, 1, closeReasons[closeLimit])
			_ = conn.Close()
			in.warnLimit(conn.RemoteAddr())
			continue
		}
		c, ok := in.open(conn)
		if !ok {
			continue // draining
		}
		in.wg.Go(func() {
			defer func() { <-in.slots }()
			reason := c.serve(in.deliveryCtx)
			in.close(c, reason)
		})
	}
}

// open registers a connection, unless a drain began.
func (in *Input) open(conn net.Conn) (*socketConn, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if !in.drainUntil.IsZero() {
		<-in.slots
		_ = conn.Close()
		in.telemetry.ReceiverAindSocketConnectionsClosed.Add(context.Background(), 1, closeReasons[closeShutdown])
		return nil, false
	}
	c := newSocketConn(conn, in.set.Logger, &in.frames, &in.retry, in.telemetry, &in.deliveryRecords, in.waitDeadline)
	in.conns[c] = struct{}{}
	in.set.Logger.Debug("Socket connection opened", zap.Stringer("remote", conn.RemoteAddr()))
	return c, true
}

// close unregisters a connection and counts why it closed.
func (in *Input) close(c *socketConn, reason string) {
	in.mu.Lock()
	delete(in.conns, c)
	in.mu.Unlock()
	_ = c.conn.Close()
	in.telemetry.ReceiverAindSocketConnectionsClosed.Add(context.Background(), 1, closeReasons[reason])
	in.set.Logger.Debug("Socket connection closed", zap.Stringer("remote", c.conn.RemoteAddr()), zap.String("reason", reason))
}

// waitDeadline sets the read deadline of a connection waiting for its next
// frame: drainUntil once a drain began (and says so), else idle_timeout
// from now, or none. It runs under in.mu so that a drain's deadline, set on
// every connection, is never replaced by a later one.
func (in *Input) waitDeadline(set func(time.Time) error) (draining bool, err error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	switch {
	case !in.drainUntil.IsZero():
		return true, set(in.drainUntil)
	case in.cfg.IdleTimeout > 0:
		return false, set(time.Now().Add(in.cfg.IdleTimeout))
	default:
		return false, set(time.Time{})
	}
}

// warnLimit logs that a connection was refused, at most every
// limitWarnEvery; the metric counts each one.
func (in *Input) warnLimit(remote net.Addr) {
	now := time.Now().UnixNano()
	last := in.lastLimitWarn.Load()
	if now-last < int64(limitWarnEvery) || !in.lastLimitWarn.CompareAndSwap(last, now) {
		return
	}
	in.set.Logger.Warn("Socket input refused a connection: max_connections are open",
		zap.Stringer("remote", remote), zap.Int("max_connections", in.cfg.MaxConnections))
}

// Shutdown stops accepting connections, reads each open connection for
// drainReadWindow more and delivers what it read, until drainCtx is done.
// Then it closes the connections, and logs and returns the count of the
// records it cut off.
func (in *Input) Shutdown(_, drainCtx context.Context) error {
	undelivered, err := in.drain(drainCtx)
	var errs []error
	if err != nil {
		errs = append(errs, fmt.Errorf("stop socket input: %w", err))
	}
	if undelivered > 0 && in.set.DrainTimeout > 0 {
		in.set.Logger.Error("Drain ran out of time: socket records being delivered were not; their clients do not know",
			zap.Int64("records", undelivered), zap.Stringer("drain_timeout", in.set.DrainTimeout))
		errs = append(errs, fmt.Errorf("drain: %d socket records not delivered within %s", undelivered, in.set.DrainTimeout))
	}
	return errors.Join(errs...)
}

// drain is Shutdown's drain; it returns the records it cut off.
func (in *Input) drain(ctx context.Context) (undeliveredRecords int64, err error) {
	if in.listener == nil {
		in.cancelDelivery()
		return 0, nil
	}
	err = in.listener.Close()
	if in.udp != nil {
		err = errors.Join(err, in.udp.close())
		in.udp = nil
	}
	in.mu.Lock()
	in.drainUntil = time.Now().Add(drainReadWindow)
	for c := range in.conns {
		_ = c.conn.SetReadDeadline(in.drainUntil)
	}
	in.mu.Unlock()

	done := make(chan struct{})
	go func() {
		in.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		undeliveredRecords = in.deliveryRecords.Load()
		in.cancelDelivery()
		in.mu.Lock()
		for c := range in.conns {
			_ = c.conn.Close()
		}
		in.mu.Unlock()
		<-done
	}
	in.cancelDelivery()
	in.listener = nil
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return undeliveredRecords, err
}
