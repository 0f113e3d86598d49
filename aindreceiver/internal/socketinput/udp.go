package socketinput

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"time"

	"go.uber.org/zap"
)

// maxDatagramSize is the largest UDP payload.
const maxDatagramSize = 65535

// udpInput serves Python logging's DatagramHandler: each datagram is one
// record, framed as by SocketHandler (CPython's DatagramHandler inherits its
// makePickle, length prefix included). UDP has no backpressure: while a
// datagram is being delivered, the kernel queues the next ones and drops
// what its buffer cannot hold.
type udpInput struct {
	in   *Input
	conn net.PacketConn
	// reader builds and delivers the records as a connection's do.
	reader socketConn
}

func newUDPInput(in *Input) *udpInput {
	return &udpInput{in: in, reader: socketConn{
		logger:     in.set.Logger,
		settings:   &in.frames,
		retry:      &in.retry,
		telemetry:  in.telemetry,
		delivering: &in.deliveryRecords,
	}}
}

// start listens on udp_endpoint and serves it in the background.
func (u *udpInput) start(ctx context.Context) error {
	var lc net.ListenConfig
	conn, err := lc.ListenPacket(ctx, "udp", u.in.cfg.UDPEndpoint)
	if err != nil {
		return err
	}
	u.conn = conn
	u.in.set.Logger.Info("Socket input listening for datagrams (Python logging DatagramHandler)", zap.String("address", conn.LocalAddr().String()))
	u.in.wg.Go(u.serve)
	return nil
}

// serve delivers each datagram until the socket is closed.
func (u *udpInput) serve() {
	buf := make([]byte, maxDatagramSize)
	for {
		n, from, err := u.conn.ReadFrom(buf)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			u.in.set.Logger.Warn("Socket input could not read a datagram", zap.Error(err))
			time.Sleep(acceptRetryMax / 10)
			continue
		}
		r := &u.reader
		r.arena, r.ends = append(r.arena[:0], datagramPickle(buf[:n])...), append(r.ends[:0], 0)
		r.ends[0] = len(r.arena)
		r.client = ""
		if r.settings.clientAddress {
			if addr, ok := from.(*net.UDPAddr); ok {
				r.client = addr.IP.String()
			}
		}
		if r.deliver(u.in.deliveryCtx) != nil {
			return // the drain ran out of time
		}
	}
}

// datagramPickle is a datagram's pickle: without its length prefix when it
// has one (CPython's DatagramHandler), else the whole datagram.
func datagramPickle(d []byte) []byte {
	if len(d) >= frameHeaderSize && int(binary.BigEndian.Uint32(d)) == len(d)-frameHeaderSize {
		return d[frameHeaderSize:]
	}
	return d
}

// close stops reading datagrams.
func (u *udpInput) close() error {
	err := u.conn.Close()
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}
