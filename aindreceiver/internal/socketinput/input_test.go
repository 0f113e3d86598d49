package socketinput

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/consumer/consumertest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/telemetrytest"
)

// A frame CPython's SocketHandler made becomes one record whose body is
// the LogRecord's dict, without its None values.
func TestSocketDeliversPythonFrames(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := socketTestConfig()
	cfg.IncludeClientAddress = true
	set := inputtest.Settings(t, sink, nil)
	set.Resource = map[string]string{"rig_id": "NP.1"}
	_, addr := startSocket(t, cfg, set)
	conn := dial(t, addr)
	_, err := conn.Write(fixtureFrame(t, "basic.p1.pickle"))
	require.NoError(t, err)

	inputtest.WaitForCount(t, sink, 1)
	lr := inputtest.Records(sink)[0]
	body := inputtest.BodyMap(lr)
	assert.Equal(t, "aind.acquire", body["name"])
	assert.Contains(t, body, "msg")
	assert.Contains(t, body, "created")
	for _, none := range []string{"args", "exc_info", "exc_text", "stack_info"} {
		assert.NotContains(t, body, none, "a None value means the field is unset")
	}
	assert.Empty(t, inputtest.AttrsOf(lr), "a plain frame is not flagged")
	assert.NotZero(t, lr.ObservedTimestamp())
	assert.Equal(t, []map[string]any{{"rig_id": "NP.1", "client.address": "127.0.0.1"}}, inputtest.ResourcesOf(sink.AllLogs()))
}

// Every protocol CPython writes decodes alike.
func TestSocketDecodesEveryProtocol(t *testing.T) {
	sink := new(consumertest.LogsSink)
	_, addr := startSocket(t, socketTestConfig(), inputtest.Settings(t, sink, nil))
	conn := dial(t, addr)
	for p := 0; p <= 5; p++ {
		_, err := conn.Write(fixtureFrame(t, fmt.Sprintf("extra.p%d.pickle", p)))
		require.NoError(t, err)
	}
	inputtest.WaitForCount(t, sink, 6)
	first := inputtest.BodyMap(inputtest.Records(sink)[0])
	for i, lr := range inputtest.Records(sink) {
		assert.Equal(t, first, inputtest.BodyMap(lr), "protocol %d", i)
		assert.Contains(t, inputtest.AttrsOf(lr)[aind.AttrParseError], "Python objects", "the datetime and the path are objects")
	}
}

// A pickle that would run code when unpickled is never run: it is
// delivered flagged, and the connection serves the next frame.
func TestSocketHostileFrameIsFlaggedNotRun(t *testing.T) {
	sink := new(consumertest.LogsSink)
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	_, addr := startSocket(t, socketTestConfig(), inputtest.Settings(t, sink, tel))
	conn := dial(t, addr)
	pwned := filepath.Join(t.TempDir(), "pwned")
	_, err := conn.Write(frame([]byte("cos\nsystem\n(S'touch " + pwned + "'\ntR.")))
	require.NoError(t, err)
	_, err = conn.Write(frame(pickleDict(map[string]any{"msg": "next", "levelno": 20})))
	require.NoError(t, err)

	inputtest.WaitForCount(t, sink, 2)
	got := inputtest.Records(sink)
	assert.Equal(t, "pickle: top value is not a dict", inputtest.AttrsOf(got[0])[aind.AttrParseError])
	assert.NotContains(t, inputtest.AttrsOf(got[0])[aind.AttrParseError], "touch", "the frame's content is never quoted")
	assert.Equal(t, map[string]any{"msg": "next", "levelno": int64(20)}, inputtest.BodyMap(got[1]))
	assert.Empty(t, inputtest.AttrsOf(got[1]))
	assert.Equal(t, int64(1), telemetrytest.Sum(t, tel, "otelcol_receiver_aind_parse_errors"))
	assert.NoFileExists(t, pwned)
}

// A length prefix over max_frame_size closes the connection at once,
// without reading or allocating the claimed size; the frames before it
// are delivered, and the input goes on accepting connections.
func TestSocketOversizedFrameClosesConnection(t *testing.T) {
	sink := new(consumertest.LogsSink)
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	cfg := socketTestConfig()
	cfg.MaxFrameSize = 1024
	_, addr := startSocket(t, cfg, inputtest.Settings(t, sink, tel))

	conn := dial(t, addr)
	good := frame(pickleDict(map[string]any{"msg": "before"}))
	_, err := conn.Write(append(good, binary.BigEndian.AppendUint32(nil, 0xFFFFFFF0)...))
	require.NoError(t, err)
	requireClosedByPeer(t, conn)
	inputtest.WaitForCount(t, sink, 1)
	assert.Equal(t, "before", inputtest.BodyMap(inputtest.Records(sink)[0])["msg"])
	assert.Eventually(t, func() bool {
		return telemetrytest.SumBy(t, tel, "otelcol_receiver_aind_socket_connections_closed", "reason")["frame_too_large"] == 1
	}, inputtest.WaitFor, inputtest.Tick)

	again := dial(t, addr)
	_, err = again.Write(frame(pickleDict(map[string]any{"msg": "after"})))
	require.NoError(t, err)
	inputtest.WaitForCount(t, sink, 2)
}

// One connection more than max_connections is closed as soon as it is
// accepted; a slot that frees up serves the next one.
func TestSocketMaxConnections(t *testing.T) {
	sink := new(consumertest.LogsSink)
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	cfg := socketTestConfig()
	cfg.MaxConnections = 1
	_, addr := startSocket(t, cfg, inputtest.Settings(t, sink, tel))

	first := dial(t, addr)
	_, err := first.Write(frame(pickleDict(map[string]any{"msg": "first"})))
	require.NoError(t, err)
	inputtest.WaitForCount(t, sink, 1) // first is being served

	second := dial(t, addr)
	requireClosedByPeer(t, second)
	assert.Equal(t, map[string]int64{"connection_limit": 1},
		telemetrytest.SumBy(t, tel, "otelcol_receiver_aind_socket_connections_closed", "reason"))

	require.NoError(t, first.Close())
	require.Eventually(t, func() bool {
		third := dial(t, addr)
		_, _ = third.Write(frame(pickleDict(map[string]any{"msg": "third"})))
		return !closedWithin(third, 100*time.Millisecond) // served, not refused
	}, inputtest.WaitFor, 10*inputtest.Tick)
	waitForMessages(t, sink, "third")
}

// idle_timeout closes a connection that sends nothing; read_timeout one
// that stops mid-frame, whose fields sent so far are delivered flagged.
func TestSocketTimeouts(t *testing.T) {
	sink := new(consumertest.LogsSink)
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	cfg := socketTestConfig()
	cfg.IdleTimeout = 50 * time.Millisecond
	cfg.ReadTimeout = 50 * time.Millisecond
	_, addr := startSocket(t, cfg, inputtest.Settings(t, sink, tel))

	idle := dial(t, addr)
	requireClosedByPeer(t, idle)

	stalled := dial(t, addr)
	whole := frame(pickleDict(map[string]any{"a_level": "INFO", "b_msg": "kept", "c_n": 1, "d_n": 2, "e_rest": "cut off here"}))
	_, err := stalled.Write(whole[:len(whole)-12])
	require.NoError(t, err)
	requireClosedByPeer(t, stalled)
	inputtest.WaitForCount(t, sink, 1)
	lr := inputtest.Records(sink)[0]
	assert.Equal(t, "kept", inputtest.BodyMap(lr)["b_msg"], "the pairs before the cut are kept")
	assert.Contains(t, inputtest.AttrsOf(lr)[aind.AttrParseError], "pickle: ")

	assert.Eventually(t, func() bool {
		by := telemetrytest.SumBy(t, tel, "otelcol_receiver_aind_socket_connections_closed", "reason")
		return by["idle_timeout"] == 1 && by["read_timeout"] == 1
	}, inputtest.WaitFor, inputtest.Tick)
}

// A connection's frames are read only as fast as the pipeline accepts
// them: while the next consumer holds a batch, the client's writes stop
// once the socket buffers are full. Nothing is lost when it lets go.
func TestSocketBackpressureReachesTheClient(t *testing.T) {
	gate := make(chan struct{})
	blocking := &inputtest.BlockingConsumer{Gate: gate}
	_, addr := startSocket(t, socketTestConfig(), inputtest.Settings(t, blocking, nil))
	conn := dial(t, addr)

	one := frame(pickleDict(map[string]any{"msg": "filler filler filler filler filler filler filler filler"}))
	const total = 400_000 // ~40 MiB: far more than loopback's socket buffers
	var batch []byte
	for range 1000 {
		batch = append(batch, one...)
	}
	require.NoError(t, conn.SetWriteDeadline(time.Now().Add(2*time.Second)))
	written := 0
	for written < total {
		if _, err := conn.Write(batch); err != nil {
			require.ErrorIs(t, err, os.ErrDeadlineExceeded, "writes stop when the collector stops reading")
			break
		}
		written += 1000
	}
	require.Less(t, written, total, "the collector read ahead of its pipeline")
	close(gate)
	require.NoError(t, conn.SetWriteDeadline(time.Time{}))
	require.Eventually(t, func() bool { return blocking.LogRecordCount() >= written }, inputtest.WaitFor, inputtest.Tick)
}

// A retryable error is retried until the batch is accepted: once each.
func TestSocketRetriesRetryableErrors(t *testing.T) {
	c := inputtest.NewRefusingConsumer(func(call int) error {
		if call <= 2 {
			return inputtest.ErrBusy
		}
		return nil
	})
	_, addr := startSocket(t, socketTestConfig(), inputtest.Settings(t, c, nil))
	conn := dial(t, addr)
	_, err := conn.Write(frame(pickleDict(map[string]any{"msg": "once"})))
	require.NoError(t, err)
	inputtest.WaitForCount(t, &c.LogsSink, 1)
	assert.Equal(t, map[string]any{"msg": "once"}, inputtest.BodyMap(inputtest.Records(&c.LogsSink)[0]), "rebuilt, not the mutated copy")
	calls, refusals := c.Counts()
	assert.Equal(t, 3, calls)
	assert.Equal(t, 2, refusals)

	// A permanent error drops the batch and serves the next.
	c.SetRefuse(func(call int) error {
		if call == 4 {
			return consumererror.NewPermanent(errors.New("bad"))
		}
		return nil
	})
	_, err = conn.Write(frame(pickleDict(map[string]any{"msg": "dropped"})))
	require.NoError(t, err)
	require.Eventually(t, func() bool { calls, _ := c.Counts(); return calls == 4 }, inputtest.WaitFor, inputtest.Tick)
	_, err = conn.Write(frame(pickleDict(map[string]any{"msg": "after"})))
	require.NoError(t, err)
	inputtest.WaitForCount(t, &c.LogsSink, 2)
}

// At shutdown, what a client had sent is delivered before its connection
// is closed.
func TestSocketShutdownDeliversWhatWasSent(t *testing.T) {
	sink := new(consumertest.LogsSink)
	set := inputtest.Settings(t, sink, nil)
	in, addr := startSocket(t, socketTestConfig(), set)
	conn := dial(t, addr)
	var all []byte
	for i := range 500 {
		all = append(all, frame(pickleDict(map[string]any{"msg": fmt.Sprintf("m%d", i)}))...)
	}
	_, err := conn.Write(all)
	require.NoError(t, err)
	require.NoError(t, inputtest.Shutdown(context.Background(), in, set.DrainTimeout))
	assert.Equal(t, 500, sink.LogRecordCount())
	requireClosedByPeer(t, conn)
}

// A drain that runs out of time says how many records it cut off.
func TestSocketDrainTimeout(t *testing.T) {
	blocking := &inputtest.BlockingConsumer{Gate: make(chan struct{})}
	set := inputtest.Settings(t, blocking, nil)
	set.DrainTimeout = 100 * time.Millisecond
	in, addr := startSocket(t, socketTestConfig(), set)
	conn := dial(t, addr)
	_, err := conn.Write(frame(pickleDict(map[string]any{"msg": "stuck"})))
	require.NoError(t, err)
	require.Eventually(t, func() bool { return blocking.Calls() > 0 }, inputtest.WaitFor, inputtest.Tick)
	err = inputtest.Shutdown(context.Background(), in, set.DrainTimeout)
	require.ErrorContains(t, err, "drain: 1 socket records not delivered within 100ms")
	close(blocking.Gate)
}

// requireClosedByPeer waits until the collector closed conn.
func requireClosedByPeer(t *testing.T, conn net.Conn) {
	t.Helper()
	require.True(t, closedWithin(conn, inputtest.WaitFor), "the collector did not close the connection")
}

// closedWithin reports whether the peer closed conn within d: a read ends
// with EOF or a reset rather than the deadline.
func closedWithin(conn net.Conn, d time.Duration) bool {
	_ = conn.SetReadDeadline(time.Now().Add(d))
	buf := make([]byte, 1)
	_, err := conn.Read(buf)
	var ne net.Error
	return err != nil && (errors.Is(err, io.EOF) || !(errors.As(err, &ne) && ne.Timeout()))
}

// waitForMessages waits for records whose body's msg is each of msgs.
func waitForMessages(t *testing.T, sink *consumertest.LogsSink, msgs ...string) {
	t.Helper()
	require.Eventually(t, func() bool {
		seen := map[string]bool{}
		for _, lr := range inputtest.Records(sink) {
			if m, ok := inputtest.BodyMap(lr)["msg"].(string); ok {
				seen[m] = true
			}
		}
		for _, m := range msgs {
			if !seen[m] {
				return false
			}
		}
		return true
	}, inputtest.WaitFor, inputtest.Tick, "messages %v never arrived", msgs)
}

// udp_endpoint reads DatagramHandler's datagrams: SocketHandler's frames,
// length prefix included, one per datagram; a datagram holding only a
// pickle is read too.
func TestSocketDatagrams(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := socketTestConfig()
	udpAddr := freeUDPAddr(t)
	cfg.UDPEndpoint = udpAddr
	cfg.IncludeClientAddress = true
	startSocket(t, cfg, inputtest.Settings(t, sink, nil))

	conn, err := net.Dial("udp", udpAddr)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	_, err = conn.Write(fixtureFrame(t, "basic.p1.pickle"))
	require.NoError(t, err)
	_, err = conn.Write(pickleDict(map[string]any{"msg": "no prefix"}))
	require.NoError(t, err)

	inputtest.WaitForCount(t, sink, 2)
	got := inputtest.Records(sink)
	assert.Equal(t, "aind.acquire", inputtest.BodyMap(got[0])["name"])
	assert.Empty(t, inputtest.AttrsOf(got[0]))
	assert.Equal(t, map[string]any{"msg": "no prefix"}, inputtest.BodyMap(got[1]))
	assert.Equal(t, []map[string]any{{"client.address": "127.0.0.1"}, {"client.address": "127.0.0.1"}}, inputtest.ResourcesOf(sink.AllLogs()))
}

// freeUDPAddr is a loopback UDP address nothing listens on.
func freeUDPAddr(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := pc.LocalAddr().String()
	require.NoError(t, pc.Close())
	return addr
}
